package dev.mkplat.service.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real fake-gcs-server process (the binary that {@code scripts/gcs-emulator path} builds), on a
 * fixed port, so that it can be killed and started again on the same port: an outage and a
 * recovery as a client sees them. With a data directory the objects survive that restart.
 */
public final class GcsEmulatorFixture implements AutoCloseable {
    /** The environment variable naming the binary; {@code scripts/test} sets it. */
    public static final String BINARY_ENV = "MKPLAT_TEST_GCS_EMULATOR";

    /** Why a test that needs the emulator did not run, for {@code assumeTrue}. */
    public static final String MISSING =
            BINARY_ENV + " is not set, so the test against a real GCS emulator does not run. "
                    + "scripts/test sets it (it builds fake-gcs-server with Go through scripts/gcs-emulator); "
                    + "by hand: export " + BINARY_ENV + "=$(scripts/gcs-emulator path)";

    private final Path binary;
    private final int port;
    private final Path data;
    private final Path log;
    private Process process;

    private GcsEmulatorFixture(Path binary, int port, Path data, Path log) {
        this.binary = binary;
        this.port = port;
        this.data = data;
        this.log = log;
    }

    /**
     * The emulator binary named by {@value #BINARY_ENV}, or null when it is not set. Under
     * {@code CI=true} a missing binary is an error instead: there a skipped wire test would hide a
     * broken setup.
     */
    public static Path binaryOrNull() {
        String path = System.getenv(BINARY_ENV);
        if (path == null || path.isBlank()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI=true: the GCS emulator test must run, not be skipped. " + MISSING);
            }
            return null;
        }
        Path binary = Path.of(path);
        if (!Files.isExecutable(binary)) {
            throw new AssertionError(BINARY_ENV + "=" + path
                    + " is not an executable file; rebuild it with scripts/gcs-emulator install");
        }
        return binary;
    }

    /**
     * An emulator (not yet started) on a free port. With {@code data} the objects are kept in that
     * directory; with null they live in memory. Its log goes to {@code logDir}.
     */
    public static GcsEmulatorFixture on(Path binary, Path data, Path logDir) {
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = freePort();
        return new GcsEmulatorFixture(binary, port, data, logDir.resolve("fake-gcs-server-" + port + ".log"));
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Starts the process and waits until it answers the JSON API. */
    public GcsEmulatorFixture start() {
        List<String> command = new ArrayList<>(List.of(
                binary.toString(),
                "-scheme",
                "http",
                "-host",
                "127.0.0.1",
                "-port",
                Integer.toString(port),
                "-external-url",
                url(),
                "-log-level",
                "warn"));
        if (data == null) {
            command.addAll(List.of("-backend", "memory"));
        } else {
            command.addAll(List.of("-backend", "filesystem", "-filesystem-root", data.toString()));
        }
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/storage/v1/b"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        await("fake-gcs-server on port " + port + " (log: " + log + ")")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("fake-gcs-server exited with " + process.exitValue() + "; see " + log);
                    }
                    return http.send(probe, HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
                });
        return this;
    }

    /** Kills the process (as an outage would) and waits until it is gone. */
    public void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("fake-gcs-server on port " + port + " did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
