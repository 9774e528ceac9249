package dev.mkplat.service.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The image of one service, as {@code ./mvnw -Pimages package} wrote it, and what every service
 * image must be: started by java itself (no shell), as user 10001, tagged with the project
 * version, exposing the service's port and the metrics port, labelled, and the same as the
 * service's Dockerfile on all of that.
 */
public final class ServiceImage {
    /** The system property the images profile sets for failsafe: the archive of this module. */
    public static final String ARCHIVE_PROPERTY = "mkplat.image.archive";
    /** The system property the images profile sets for failsafe: the project version, the image's tag. */
    public static final String VERSION_PROPERTY = "mkplat.image.version";
    /** Every service serves /metrics here (application.yaml, metrics.port). */
    public static final int METRICS_PORT = 9464;

    private ServiceImage() {}

    /**
     * The archive this build wrote, or a skipped test when the build ran without {@code -Pimages}
     * (then there is no image to check: building one is that profile's job).
     */
    public static Path archiveOrSkip() {
        String path = System.getProperty(ARCHIVE_PROPERTY);
        assumeTrue(
                path != null && !path.isBlank(),
                "no image archive: run with -Pimages (./mvnw -Pimages verify) to build and test the service images");
        Path archive = Path.of(path);
        assertThat(archive)
                .as("the images profile builds the archive in the package phase")
                .isRegularFile();
        return archive;
    }

    /** The archive this build wrote, opened under {@code workDir}; skips the test without -Pimages. */
    public static ImageArchive open(Path workDir) {
        return ImageArchive.open(archiveOrSkip(), workDir);
    }

    /**
     * The image is what the service's Deployment expects ({@link #assertConfig}) and what its
     * Dockerfile (in the module's directory) builds ({@link #assertSameAsDockerfile}).
     */
    public static void assertBuiltAsDeployed(Path workDir, int servicePort, Class<?> mainClass) {
        ImageArchive image = open(workDir);
        assertConfig(image, servicePort, mainClass.getName(), System.getProperty(VERSION_PROPERTY));
        assertSameAsDockerfile(image, Path.of("Dockerfile"));
    }

    /** Checks the image's config; {@code version} is the project version, {@code mainClass} the service's. */
    public static void assertConfig(ImageArchive image, int servicePort, String mainClass, String version) {
        ImageArchive.ImageConfig config = image.config();
        assertThat(config.user()).isEqualTo("10001:10001");
        assertThat(config.workingDir()).isEqualTo("/app");
        // exec form with java first: no shell is needed to start the service (the project's own
        // base image has none), and java is PID 1, so it receives SIGTERM.
        assertThat(config.entrypoint()).first().isEqualTo("java");
        assertThat(config.entrypoint())
                .doesNotContain("sh", "/bin/sh", "-c", "bash")
                .contains("-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError")
                .endsWith(mainClass);
        assertThat(config.cmd()).isEmpty();
        assertThat(config.exposedPorts()).containsExactlyInAnyOrder(servicePort + "/tcp", METRICS_PORT + "/tcp");
        assertThat(image.refName()).endsWith(":" + version).doesNotEndWith(":latest");
        assertThat(config.labels())
                .containsEntry("org.opencontainers.image.version", version)
                .containsKeys(
                        "org.opencontainers.image.source",
                        "org.opencontainers.image.revision",
                        "org.opencontainers.image.title");
        assertThat(config.env()).anyMatch(e -> e.startsWith("PATH="));
    }

    /** What a Dockerfile's run stage says about user, working directory, ports and entrypoint. */
    public record DockerfileRunStage(
            String user, String workingDir, Set<String> exposedPorts, List<String> entrypoint) {}

    /** Reads the last stage of a Dockerfile (the run stage): USER, WORKDIR, EXPOSE, ENTRYPOINT (exec form). */
    public static DockerfileRunStage readDockerfile(Path dockerfile) {
        try {
            String user = "";
            String workingDir = "";
            Set<String> ports = new TreeSet<>();
            List<String> entrypoint = List.of();
            for (String raw : Files.readAllLines(dockerfile)) {
                String line = raw.strip();
                String[] words = line.split("\\s+", 2);
                if (words.length < 2) {
                    continue;
                }
                switch (words[0].toUpperCase()) {
                    case "FROM" -> {
                        // A new stage: only the last one is the image.
                        user = "";
                        workingDir = "";
                        ports = new TreeSet<>();
                        entrypoint = List.of();
                    }
                    case "USER" -> user = words[1].strip();
                    case "WORKDIR" -> workingDir = words[1].strip();
                    case "EXPOSE" ->
                        Arrays.stream(words[1].split("\\s+"))
                                .map(p -> p.contains("/") ? p : p + "/tcp")
                                .forEach(ports::add);
                    case "ENTRYPOINT" ->
                        entrypoint = new ArrayList<>(
                                new ObjectMapper().readValue(words[1], new TypeReference<List<String>>() {}));
                    default -> {}
                }
            }
            return new DockerfileRunStage(user, workingDir, ports, entrypoint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dockerfile, e);
        }
    }

    /** The Dockerfile builds the same image as Jib on what Kubernetes sees: user, workdir, ports, entrypoint. */
    public static void assertSameAsDockerfile(ImageArchive image, Path dockerfile) {
        DockerfileRunStage stage = readDockerfile(dockerfile);
        ImageArchive.ImageConfig config = image.config();
        assertThat(stage.user()).as("USER in " + dockerfile).isEqualTo(config.user());
        assertThat(stage.workingDir()).as("WORKDIR in " + dockerfile).isEqualTo(config.workingDir());
        assertThat(stage.exposedPorts()).as("EXPOSE in " + dockerfile).isEqualTo(config.exposedPorts());
        assertThat(stage.entrypoint()).as("ENTRYPOINT in " + dockerfile).isEqualTo(config.entrypoint());
    }

    /**
     * Starts the service image as its Deployment would (the image's own entrypoint and user, a
     * read-only root), on free ports given through SERVER_PORT and METRICS_PORT, with {@code env}
     * pointing it at the test's real dependencies; waits until /healthz and /readyz answer 200 and
     * /metrics serves on its own port. Returns the running container and its service port.
     */
    public static Started startAndAwaitReady(ImageArchive image, Path workDir, Map<String, String> env) {
        try {
            return startAndAwait(image, workDir, env);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while starting the image", e);
        }
    }

    private static Started startAndAwait(ImageArchive image, Path workDir, Map<String, String> env)
            throws InterruptedException {
        int port = freePort();
        int metricsPort = freePort();
        RuncContainer.Spec spec = RuncContainer.of(image)
                .env("SERVER_PORT", Integer.toString(port))
                .env("METRICS_PORT", Integer.toString(metricsPort));
        env.forEach(spec::env);
        RuncContainer container = spec.start(workDir);
        try {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            // A cold JVM on a loaded 2-core machine: minutes, not seconds, are the honest bound.
            await("the container's /readyz on port " + port)
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> {
                        if (!container.running()) {
                            throw new AssertionError("the container exited; its output:\n" + container.log());
                        }
                        return status(http, port, "/healthz") == 200 && status(http, port, "/readyz") == 200;
                    });
            assertThat(status(http, metricsPort, "/metrics")).isEqualTo(200);
            return new Started(container, port);
        } catch (IOException | RuntimeException | Error e) {
            String log = container.log();
            container.close();
            throw new AssertionError("the image did not become ready; container output:\n" + log, e);
        }
    }

    /** A service container that answered its probes, and the port it serves on. */
    public record Started(RuncContainer container, int port) implements AutoCloseable {
        @Override
        public void close() {
            container.close();
        }
    }

    private static int status(HttpClient http, int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A TCP port nothing listens on right now: the container shares the host's network. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
