package dev.mkplat.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mkplat.service.testing.AuthStandIn;
import dev.mkplat.service.testing.GcsEmulatorFixture;
import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.TestImages;
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
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forty parallel uploads of 10 MiB each (400 MiB in all) against the real service in a JVM of its
 * own with a 256 MiB heap, as a pod's heap would be: the service keeps only as many uploads in
 * memory as its budget allows and answers the rest 503 with {@code Retry-After}, so it survives,
 * and every answer is one a client can act on.
 */
class ParallelUploadsIT {
    private static final int UPLOADS = 40;
    private static final int SIZE = 10 * 1024 * 1024;

    private static final HttpClient PATIENT =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static Path binary;
    private static AuthStandIn auth;
    private static GcsEmulatorFixture emulator;
    private static Process service;

    @TempDir
    static Path work;

    @BeforeAll
    static void start() {
        binary = GcsEmulatorFixture.binaryOrNull();
        assumeTrue(binary != null, GcsEmulatorFixture.MISSING);
        auth = AuthStandIn.create();
        emulator = GcsEmulatorFixture.on(binary, null, Path.of("target", "fake-gcs-server"))
                .start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (service != null) {
            service.destroy();
            if (!service.waitFor(20, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
        if (emulator != null) {
            emulator.close();
        }
        if (auth != null) {
            auth.close();
        }
    }

    @Test
    void fortyParallelTenMebibyteUploadsIntoA256MebibyteHeap() throws Exception {
        int port = freePort();
        Path log = Files.createDirectories(Path.of("target")).resolve("parallel-uploads-service.log");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment()
                .putAll(java.util.Map.of(
                        "SERVER_PORT", Integer.toString(port),
                        "SERVER_HOST", "127.0.0.1",
                        "METRICS_PORT", "0",
                        "GCS_BUCKET", "parallel-" + UUID.randomUUID().toString().substring(0, 8),
                        "GCS_EMULATOR_HOST", emulator.url(),
                        "AUTH_URL", auth.url(),
                        // generous: the machine is busy with forty uploads, and this test is about memory, not timeouts
                        "AUTH_TIMEOUT", "30s",
                        "GCS_TIMEOUT", "60s",
                        "LOG_LEVEL", "WARN"));
        service = builder.start();
        HttpTestClient client = new HttpTestClient("http://127.0.0.1:" + port);
        await("the service in its own JVM, /readyz 200 (log: " + log + ")")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    assertThat(service.isAlive())
                            .as("the service process is alive")
                            .isTrue();
                    return client.get("/readyz").status() == 200;
                });

        byte[] png = TestImages.png();
        List<Callable<Integer>> uploads = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            byte[] image = Arrays.copyOf(png, SIZE);
            image[SIZE - 1] = (byte) i;
            String token = auth.login("user" + i);
            uploads.add(() -> upload(port, image, token));
        }
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService executor = Executors.newFixedThreadPool(UPLOADS)) {
            for (Future<Integer> status : executor.invokeAll(uploads)) {
                statuses.add(status.get());
            }
        }

        assertThat(statuses)
                .as("answers to %d parallel uploads (service log: %s)", UPLOADS, log)
                .containsAnyOf(201)
                .allSatisfy(status -> assertThat(status).isIn(201, 429, 503));
        assertThat(service.isAlive()).as("the service survived").isTrue();
        assertThat(client.get("/healthz").status()).isEqualTo(200);
        byte[] image = Arrays.copyOf(png, SIZE);
        String token = auth.login("afterwards");
        assertThat(upload(port, image, token)).as("an upload after the burst").isEqualTo(201);
        assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
    }

    /**
     * One upload with a patient client: 400 MiB through one busy machine takes a while, and this
     * test is about memory, so a slow answer is fine and only a wrong one fails it.
     */
    private static int upload(int port, byte[] image, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/images/upload"))
                .timeout(Duration.ofMinutes(3))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(image))
                .build();
        return PATIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
