package dev.mkplat.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkplat.service.testing.ExternalServer;
import dev.mkplat.service.testing.HttpTestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real OpenTelemetry Collector (scripts/otelcol builds it from the collector's Go modules;
 * MKPLAT_TEST_OTELCOL names the binary): an OTLP/HTTP receiver on a free loopback port and the file
 * exporter, which writes every batch it receives as one line of OTLP JSON that the test reads back.
 */
final class OtelCollectorFixture implements AutoCloseable {
    static final String BINARY_ENV = "MKPLAT_TEST_OTELCOL";
    static final String MISSING =
            BINARY_ENV + " is not set, so the tests against a real OpenTelemetry Collector do not run. "
                    + "scripts/test sets it (scripts/otelcol path builds the collector with Go).";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExternalServer server;
    private final int port;
    private final Path spans;

    /** One span as the collector received it, with the service.name of the resource that sent it. */
    record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name, int kind) {
        static final int SERVER = 2;
        static final int CLIENT = 3;
    }

    private OtelCollectorFixture(ExternalServer server, int port, Path spans) {
        this.server = server;
        this.port = port;
        this.spans = spans;
    }

    /** The binary, or null when not configured; under CI=true a missing binary fails instead of skipping. */
    static Path binaryOrNull() {
        return ExternalServer.binaryOrNull(BINARY_ENV, "a real OpenTelemetry Collector", MISSING);
    }

    static OtelCollectorFixture start(Path binary, Path directory) throws IOException {
        Files.createDirectories(directory);
        int port = ExternalServer.freePort();
        Path spans = directory.resolve("spans.jsonl");
        // No metrics of its own (they would want port 8888, which two runs would fight over); the
        // file exporter flushes every 100 ms instead of every second.
        Path config = Files.writeString(directory.resolve("otelcol.yaml"), """
                receivers:
                  otlp:
                    protocols:
                      http:
                        endpoint: 127.0.0.1:%d
                exporters:
                  file:
                    path: %s
                    flush_interval: 100ms
                service:
                  telemetry:
                    metrics:
                      level: none
                    logs:
                      level: warn
                  pipelines:
                    traces:
                      receivers: [otlp]
                      exporters: [file]
                """.formatted(port, spans.toAbsolutePath()));
        HttpTestClient client = new HttpTestClient(endpoint(port));
        ExternalServer server = ExternalServer.start(
                "the collector",
                List.of(binary.toString(), "--config=" + config.toAbsolutePath()),
                directory.resolve("otelcol.log"),
                // An empty export request is answered 200 once the receiver listens.
                () -> client.post("/v1/traces", "{}", "Content-Type", "application/json")
                                .status()
                        == 200);
        return new OtelCollectorFixture(server, port, spans);
    }

    /** What the services get as OTEL_EXPORTER_OTLP_ENDPOINT (OTLP over HTTP; the SDK adds /v1/traces). */
    String endpoint() {
        return endpoint(port);
    }

    private static String endpoint(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** Every span the file exporter has written so far. */
    List<ReceivedSpan> spans() {
        List<ReceivedSpan> received = new ArrayList<>();
        if (!Files.exists(spans)) {
            return received;
        }
        try {
            for (String line : Files.readAllLines(spans)) {
                if (line.isBlank()) {
                    continue;
                }
                for (JsonNode resourceSpans : JSON.readTree(line).path("resourceSpans")) {
                    String service = "";
                    for (JsonNode attribute : resourceSpans.path("resource").path("attributes")) {
                        if (attribute.path("key").asText().equals("service.name")) {
                            service =
                                    attribute.path("value").path("stringValue").asText();
                        }
                    }
                    for (JsonNode scopeSpans : resourceSpans.path("scopeSpans")) {
                        for (JsonNode span : scopeSpans.path("spans")) {
                            received.add(new ReceivedSpan(
                                    service,
                                    span.path("traceId").asText(),
                                    span.path("spanId").asText(),
                                    span.path("parentSpanId").asText(),
                                    span.path("name").asText(),
                                    span.path("kind").asInt()));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return received;
    }

    /** What the collector logged, for failure messages. */
    String log() {
        return server.log();
    }

    @Override
    public void close() {
        server.close();
    }
}
