package dev.mkplat.e2e;

import static dev.mkplat.service.testing.HttpTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkplat.e2e.OtelCollectorFixture.ReceivedSpan;
import dev.mkplat.service.logging.JsonLineEncoder;
import dev.mkplat.service.testing.GcsEmulatorFixture;
import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.HttpTestClient.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * One request's path across the services, as a real OpenTelemetry Collector receives it: the three
 * services export OTLP to it (as deploy configures them with {@code tracing.endpoint}), one
 * {@code POST /items} through api is one trace with api's server span, its call to auth and auth's
 * server span, each the child of the one before, and both services' access log lines carry the
 * trace id and their own span id.
 */
class TracingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The access log of all three services (one JVM here), as the JSON lines they write. */
    private static final List<JsonNode> ACCESS_LINES = new CopyOnWriteArrayList<>();

    private static final AppenderBase<ILoggingEvent> ACCESS_LOG = new AppenderBase<>() {
        private final JsonLineEncoder encoder = new JsonLineEncoder();

        @Override
        protected void append(ILoggingEvent event) {
            try {
                ACCESS_LINES.add(JSON.readTree(new String(encoder.encode(event), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static OtelCollectorFixture collector;
    private static LocalPlatform platform;

    @BeforeAll
    static void start() throws IOException {
        Path emulator = GcsEmulatorFixture.binaryOrNull();
        assumeTrue(emulator != null, GcsEmulatorFixture.MISSING);
        Path binary = OtelCollectorFixture.binaryOrNull();
        assumeTrue(binary != null, OtelCollectorFixture.MISSING);
        collector = OtelCollectorFixture.start(binary, Path.of("target", "otelcol-" + UUID.randomUUID()));
        Map<String, String> tracing = Map.of(
                "otel.exporter.otlp.endpoint",
                collector.endpoint(),
                // Batches leave every 100 ms instead of every 5 s, so that the test waits less.
                "otel.bsp.schedule.delay",
                "100");
        Map<String, Map<String, String>> extra = new HashMap<>();
        for (String service : List.of("auth", "api", "images")) {
            extra.put(service, tracing);
        }
        platform = LocalPlatform.start(emulator, Path.of("target", "fake-gcs-server-tracing"), extra);
        ACCESS_LOG.start();
        ((Logger) LoggerFactory.getLogger("access")).addAppender(ACCESS_LOG);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger("access")).detachAppender(ACCESS_LOG);
        if (platform != null) {
            platform.close();
        }
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void onePostThroughApiIsOneTraceWithSpansFromApiAndAuth() {
        HttpTestClient auth = platform.client("auth");
        String credentials = "{\"username\":\"tracer-"
                + UUID.randomUUID().toString().substring(0, 8) + "\",\"password\":\"correct horse battery\"}";
        assertThat(auth.post("/register", credentials).status()).isEqualTo(201);
        String token = auth.post("/login", credentials).json().path("token").asText();

        // The token is new to api, so api asks auth about it: one call to /verify in this trace.
        Reply created = platform.client("api").post("/items", "{\"name\":\"traced\"}", bearer(token));
        assertThat(created.status()).isEqualTo(201);

        String requestId = created.header("X-Request-Id").orElseThrow();
        JsonNode apiLine = accessLine(line -> line.path("requestId").asText().equals(requestId)
                && line.path("route").asText().equals("/items"));
        String traceId = apiLine.path("traceId").asText();
        assertThat(traceId).matches("[0-9a-f]{32}");
        JsonNode authLine = accessLine(line -> line.path("route").asText().equals("/verify")
                && line.path("traceId").asText().equals(traceId));
        assertThat(authLine.path("requestId").asText())
                .as("auth's line is the same request's: api passes its request id on")
                .isEqualTo(requestId);

        List<ReceivedSpan> trace = await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> collector.spans().stream()
                                .filter(span -> span.traceId().equals(traceId))
                                .toList(),
                        spans -> spans.size() >= 3);
        assertThat(trace).as("the trace as the collector received it").hasSize(3);

        ReceivedSpan apiServer = only(trace, "api", ReceivedSpan.SERVER);
        ReceivedSpan apiClient = only(trace, "api", ReceivedSpan.CLIENT);
        ReceivedSpan authServer = only(trace, "auth", ReceivedSpan.SERVER);
        assertThat(apiServer.name()).isEqualTo("POST /items");
        assertThat(apiServer.parentSpanId())
                .as("api's span is the root: the client sent no traceparent")
                .isEmpty();
        assertThat(apiClient.name()).isEqualTo("GET /verify");
        assertThat(apiClient.parentSpanId()).isEqualTo(apiServer.spanId());
        assertThat(authServer.name()).isEqualTo("GET /verify");
        assertThat(authServer.parentSpanId()).isEqualTo(apiClient.spanId());

        assertThat(apiLine.path("spanId").asText())
                .as("api's log line names api's server span")
                .isEqualTo(apiServer.spanId());
        assertThat(authLine.path("spanId").asText())
                .as("auth's log line names auth's server span")
                .isEqualTo(authServer.spanId());
    }

    private static ReceivedSpan only(List<ReceivedSpan> trace, String service, int kind) {
        List<ReceivedSpan> matching = trace.stream()
                .filter(span -> span.service().equals(service) && span.kind() == kind)
                .toList();
        assertThat(matching)
                .as("spans of " + service + " of kind " + kind + " in " + trace)
                .hasSize(1);
        return matching.getFirst();
    }

    /** The first access log line that matches; lines are written once the response is sent, so they are waited for. */
    private static JsonNode accessLine(java.util.function.Predicate<JsonNode> matches) {
        return await().atMost(Duration.ofSeconds(30))
                .until(() -> ACCESS_LINES.stream().filter(matches).findFirst(), Optional::isPresent)
                .orElseThrow();
    }
}
