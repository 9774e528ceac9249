package dev.mkplat.e2e;

import dev.mkplat.service.testing.ExternalServer;
import dev.mkplat.service.testing.HttpTestClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real Prometheus (scripts/prometheus builds it from its Go module; MKPLAT_TEST_PROMETHEUS names
 * the binary) with a scrape configuration the test writes, its HTTP API on a free loopback port.
 */
final class PrometheusFixture implements AutoCloseable {
    static final String BINARY_ENV = "MKPLAT_TEST_PROMETHEUS";
    static final String MISSING = BINARY_ENV + " is not set, so the tests against a real Prometheus do not run. "
            + "scripts/test sets it (scripts/prometheus path builds Prometheus with Go).";

    private final ExternalServer server;
    private final HttpTestClient client;

    private PrometheusFixture(ExternalServer server, HttpTestClient client) {
        this.server = server;
        this.client = client;
    }

    /** The binary, or null when not configured; under CI=true a missing binary fails instead of skipping. */
    static Path binaryOrNull() {
        return ExternalServer.binaryOrNull(BINARY_ENV, "a real Prometheus", MISSING);
    }

    static PrometheusFixture start(Path binary, Path directory, String scrapeConfig) throws IOException {
        Files.createDirectories(directory);
        Path config = Files.writeString(directory.resolve("prometheus.yml"), scrapeConfig);
        int port = ExternalServer.freePort();
        HttpTestClient client = new HttpTestClient("http://127.0.0.1:" + port);
        ExternalServer server = ExternalServer.start(
                "Prometheus",
                List.of(
                        binary.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + directory.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--log.level=warn"),
                directory.resolve("prometheus.log"),
                () -> client.get("/-/ready").status() == 200);
        return new PrometheusFixture(server, client);
    }

    /** The raw answer of {@code GET /api/v1/targets}, as mkplat reads it through the service proxy. */
    String targets() {
        return client.get("/api/v1/targets?state=active").body();
    }

    /** The raw answer of {@code GET /api/v1/rules}: the rule groups loaded, each rule's health and last error. */
    String rules() {
        return client.get("/api/v1/rules").body();
    }

    /** The answer of an instant query. */
    HttpTestClient.Reply query(String promql) {
        return client.get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.close();
    }
}
