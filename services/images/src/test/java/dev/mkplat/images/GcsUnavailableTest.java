package dev.mkplat.images;

import static dev.mkplat.service.testing.HttpTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Storage;
import dev.mkplat.images.storage.GcsSettings;
import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.HttpTestClient.Reply;
import dev.mkplat.service.testing.TestImages;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GCS that does not answer, with the real HTTP client: the service's own GCS client is pointed at
 * a local port where nothing listens (connection refused, as when the emulator or a proxy is
 * down). Every route that needs the bucket answers 503 with Retry-After, quickly. The outage and
 * recovery against a real emulator process are in {@code ImagesEmulatorIT}.
 */
class GcsUnavailableTest {
    private static ImagesEnvironment environment;
    private static WebServer realGcsPath;
    private static WebServer emulatorPath;
    private static String token;

    @BeforeAll
    static void start() throws IOException {
        environment = ImagesEnvironment.create();
        token = environment.auth.login("erin");
        String nowhere = "http://127.0.0.1:" + freePort();
        // The environment's auth timeout is generous: these routes must fail on the bucket, not on
        // the token check before it. Never ready, so started here rather than by the environment.
        Config config =
                environment.config("gcs.bucket", "unreachable", "gcs.emulator.host", nowhere, "gcs.timeout", "2s");
        // As with real GCS (the bucket exists, nothing to create), on an unreachable host.
        Storage unreachable = GcsSettings.from(config.get("gcs")).createStorage();
        realGcsPath = Main.start(config, unreachable, false);
        // As with an emulator: the bucket cannot be created yet.
        emulatorPath = Main.start(config);
    }

    @AfterAll
    static void stop() {
        realGcsPath.stop();
        emulatorPath.stop();
        environment.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void assertUnavailable(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).isPresent();
        assertThat(reply.json().path("error").asText()).isEqualTo("gcs unavailable");
        assertThat(reply.json().path("requestId").asText()).isNotBlank();
    }

    @Test
    void everyBucketRouteIs503WithRetryAfterWithinSeconds() {
        for (WebServer server : new WebServer[] {realGcsPath, emulatorPath}) {
            HttpTestClient client = new HttpTestClient("http://127.0.0.1:" + server.port());
            long started = System.nanoTime();
            assertUnavailable(client.postBytes("/images/upload", TestImages.png(), bearer(token)));
            assertUnavailable(client.get("/images", bearer(token)));
            assertUnavailable(client.get("/images/AAAAAAAAAAAAAAAAAAAAAA", bearer(token)));
            assertUnavailable(client.delete("/images/AAAAAAAAAAAAAAAAAAAAAA", bearer(token)));
            Reply ready = client.get("/readyz");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.header("Retry-After")).isPresent();
            assertThat(ready.json().path("checks").path("gcs").asText()).isNotEqualTo("UP");
            // Each call is bounded by gcs.timeout (2 s): six of them fit well within 25 s even on a loaded
            // machine, while one call that hung on the client's default retries (50 s) would not.
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(25));
            // Liveness does not depend on the bucket, and bad input is still judged first.
            assertThat(client.get("/healthz").status()).isEqualTo(200);
            assertThat(client.postBytes("/images/upload", "text".getBytes(), bearer(token))
                            .status())
                    .isEqualTo(415);
            assertThat(client.get("/images").status()).isEqualTo(401);
        }
    }

    @Test
    void emulatorBucketPendingIsDownWithoutNamingTheBucket() {
        HttpTestClient client = new HttpTestClient("http://127.0.0.1:" + emulatorPath.port());
        Reply ready = client.get("/readyz");
        assertThat(ready.json().path("checks").path("gcs").asText()).isEqualTo("DOWN");
        assertThat(ready.body()).doesNotContain("unreachable");
    }
}
