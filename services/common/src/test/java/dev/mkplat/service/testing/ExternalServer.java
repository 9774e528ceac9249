package dev.mkplat.service.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A server built from its Go module into the test cache (Prometheus, the OpenTelemetry Collector)
 * and run by a test as a process of its own: found through the variable {@code scripts/test} sets,
 * started with its output in a log, waited for until it answers, and stopped. A fixture passes
 * what differs: the command and the question that tells it is ready.
 */
public final class ExternalServer implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private ExternalServer(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * The executable that {@code variable} names, or null when there is none. Under {@code CI=true}
     * a missing one fails instead: there a skipped test would hide a broken setup.
     *
     * @param what    what the tests run against, for the failure: {@code a real Prometheus}
     * @param missing why the tests do not run and how to make them, for {@code assumeTrue}
     */
    public static Path binaryOrNull(String variable, String what, String missing) {
        String binary = System.getenv(variable);
        if (binary == null || binary.isBlank() || !Files.isExecutable(Path.of(binary))) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(
                        "CI=true: the tests against " + what + " must run, not be skipped. " + missing);
            }
            return null;
        }
        return Path.of(binary);
    }

    /** A loopback port free now, for a server that is told its port on its command line. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts {@code command} with stdout and stderr in {@code log} and waits up to a minute until
     * {@code ready} says yes; an exception from it counts as not yet (a refused connection).
     * Fails at once with the log when the process exits, and stops it when it does not get ready.
     */
    public static ExternalServer start(String name, List<String> command, Path log, Callable<Boolean> ready)
            throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ExternalServer server = new ExternalServer(name, process, log);
        try {
            await(name + " ready (log: " + log + ")")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError(name + " exited " + process.exitValue() + ": " + server.log());
                        }
                        try {
                            return ready.call();
                        } catch (Exception
                                | AssertionError
                                        notYet) { // HttpTestClient reports a refused connection as an AssertionError
                            return false;
                        }
                    });
            return server;
        } catch (RuntimeException | AssertionError e) {
            server.close();
            throw e;
        }
    }

    /** What the server logged so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log of " + name + ": " + e + ")";
        }
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
