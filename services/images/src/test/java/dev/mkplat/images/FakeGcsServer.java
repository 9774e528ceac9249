package dev.mkplat.images;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * A real fake-gcs-server process (the binary that {@code scripts/gcs-emulator path} builds), on a
 * fixed port with a filesystem backend, so that it can be killed and started again on the same
 * port with the same objects: an outage and a recovery as a client sees them.
 */
final class FakeGcsServer implements AutoCloseable {
    static final String BINARY_ENV = "MKPLAT_TEST_GCS_EMULATOR";

    private final Path binary;
    private final int port;
    private final Path data;
    private final Path log;
    private Process process;

    private FakeGcsServer(Path binary, int port, Path data, Path log) {
        this.binary = binary;
        this.port = port;
        this.data = data;
        this.log = log;
    }

    static final String MISSING = BINARY_ENV + " is not set, so the test against a real GCS emulator does not run. "
            + "scripts/test sets it (it builds fake-gcs-server with Go through scripts/gcs-emulator); "
            + "by hand: export " + BINARY_ENV + "=$(scripts/gcs-emulator path)";

    /**
     * The emulator binary named by {@code MKPLAT_TEST_GCS_EMULATOR}, or null when it is not set.
     * Under {@code CI=true} a missing binary fails instead: there a skipped wire test would hide a
     * broken setup.
     */
    static Path binaryOrNull() {
        String path = System.getenv(BINARY_ENV);
        if (path == null || path.isBlank()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true: the GCS emulator test must run, not be skipped. " + MISSING);
            }
            return null;
        }
        Path binary = Path.of(path);
        if (!Files.isExecutable(binary)) {
            fail(BINARY_ENV + "=" + path + " is not an executable file; rebuild it with scripts/gcs-emulator install");
        }
        return binary;
    }

    /** A server (not yet started) on a free port, keeping its objects under {@code data}. */
    static FakeGcsServer on(Path binary, Path data) throws IOException {
        Path logs = Path.of("target", "fake-gcs-server");
        Files.createDirectories(logs);
        int port = freePort();
        return new FakeGcsServer(binary, port, data, logs.resolve("port-" + port + ".log"));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the process and waits until it answers the JSON API. */
    FakeGcsServer start() throws IOException {
        process = new ProcessBuilder(List.of(binary.toString(),
                "-scheme", "http",
                "-host", "127.0.0.1",
                "-port", Integer.toString(port),
                "-external-url", url(),
                "-backend", "filesystem",
                "-filesystem-root", data.toString(),
                "-log-level", "warn"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/storage/v1/b")).timeout(Duration.ofSeconds(2)).GET().build();
        await("fake-gcs-server on port " + port + " (log: " + log + ")")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("fake-gcs-server exited with " + process.exitValue() + "; see " + log);
                    }
                    return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
        return this;
    }

    /** Kills the process (as an outage would) and waits until it is gone and the port is closed. */
    void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("fake-gcs-server on port " + port + " did not stop");
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
