package dev.mkplat.e2e;

import static org.awaitility.Awaitility.await;

import dev.mkplat.service.testing.HttpTestClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (scripts/prometheus builds it from its Go module; MKPLAT_TEST_PROMETHEUS names
 * the binary) with a scrape configuration the test writes, its HTTP API on a free loopback port.
 */
final class PrometheusFixture implements AutoCloseable {
    static final String BINARY_ENV = "MKPLAT_TEST_PROMETHEUS";
    static final String MISSING = BINARY_ENV + " is not set, so the tests against a real Prometheus do not run. "
            + "scripts/test sets it (scripts/prometheus path builds Prometheus with Go).";

    private final Process process;
    private final HttpTestClient client;

    private PrometheusFixture(Process process, HttpTestClient client) {
        this.process = process;
        this.client = client;
    }

    /** The binary, or null when not configured; under CI=true a missing binary fails instead of skipping. */
    static Path binaryOrNull() {
        String binary = System.getenv(BINARY_ENV);
        if (binary == null || binary.isBlank() || !Files.isExecutable(Path.of(binary))) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(
                        "CI=true: the tests against a real Prometheus must run, not be skipped. " + MISSING);
            }
            return null;
        }
        return Path.of(binary);
    }

    static PrometheusFixture start(Path binary, Path directory, String scrapeConfig) throws IOException {
        Files.createDirectories(directory);
        Path config = Files.writeString(directory.resolve("prometheus.yml"), scrapeConfig);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(
                        binary.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + directory.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("prometheus.log").toFile())
                .start();
        HttpTestClient client = new HttpTestClient("http://127.0.0.1:" + port);
        PrometheusFixture prometheus = new PrometheusFixture(process, client);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("Prometheus exited " + process.exitValue() + ": "
                            + Files.readString(directory.resolve("prometheus.log")));
                }
                try {
                    return client.get("/-/ready").status() == 200;
                } catch (RuntimeException
                        | AssertionError notYet) { // the test client reports a refused connection as an AssertionError
                    return false;
                }
            });
            return prometheus;
        } catch (RuntimeException | AssertionError e) {
            prometheus.close();
            throw e;
        }
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
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
