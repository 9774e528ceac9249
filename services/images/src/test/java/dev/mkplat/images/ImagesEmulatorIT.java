package dev.mkplat.images;

import static dev.mkplat.service.testing.HttpTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import dev.mkplat.images.storage.GcsSettings;
import dev.mkplat.service.testing.AuthStandIn;
import dev.mkplat.service.testing.GcsEmulatorFixture;
import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.HttpTestClient.Reply;
import dev.mkplat.service.testing.TestImages;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service against a real GCS emulator process (fake-gcs-server) over the wire: the bucket is
 * created at start, the routes work end to end, an emulator outage is a quick 503 that heals by
 * itself on the same server, and the images outlive a restart of the service.
 */
class ImagesEmulatorIT {
    private static final String BUCKET = "mkplat-images-it";

    private static Path binary;
    private static ImagesEnvironment environment;
    private static AuthStandIn auth;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @TempDir
    Path data;

    @BeforeAll
    static void findEmulator() {
        binary = GcsEmulatorFixture.binaryOrNull();
        if (binary != null) {
            environment = ImagesEnvironment.create();
            auth = environment.auth;
        }
    }

    @BeforeEach
    void requireEmulator() {
        // Per test, so that each one is reported as skipped with the reason.
        assumeTrue(binary != null, GcsEmulatorFixture.MISSING);
    }

    @AfterAll
    static void stopAuth() {
        if (environment != null) {
            environment.close();
        }
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable closeable : cleanup.reversed()) {
            closeable.close();
        }
    }

    private GcsEmulatorFixture emulator() {
        GcsEmulatorFixture emulator =
                GcsEmulatorFixture.on(binary, data.resolve("gcs"), Path.of("target", "fake-gcs-server"));
        cleanup.add(emulator);
        return emulator;
    }

    private static Config config(String emulatorUrl) {
        return environment.config(
                "gcs.bucket",
                BUCKET,
                "gcs.emulator.host",
                emulatorUrl,
                "gcs.timeout",
                "2s",
                "gcs.connect.timeout",
                "1s",
                "images.max.size",
                Integer.toString(1024 * 1024));
    }

    private WebServer service(GcsEmulatorFixture emulator) {
        WebServer server = Main.start(config(emulator.url()));
        cleanup.add(() -> {
            if (server.isRunning()) {
                server.stop();
            }
        });
        return server;
    }

    private Storage directClient(GcsEmulatorFixture emulator) throws Exception {
        Storage storage = GcsSettings.from(config(emulator.url()).get("gcs")).createStorage();
        cleanup.add(storage);
        return storage;
    }

    private static HttpTestClient client(WebServer server) {
        return new HttpTestClient("http://127.0.0.1:" + server.port());
    }

    private static String user() {
        return "it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void awaitReady(HttpTestClient client) {
        await("/readyz 200")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> client.get("/readyz").status() == 200);
    }

    private static String upload(HttpTestClient client, String token, byte[] image) {
        Reply created = client.postBytes("/images/upload", image, bearer(token));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asText();
    }

    private static void assertUnavailableQuickly(java.util.function.Supplier<Reply> call) {
        long started = System.nanoTime();
        Reply reply = call.get();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).isPresent();
        assertThat(reply.json().path("error").asText()).isEqualTo("gcs unavailable");
    }

    @Test
    void createsTheBucketOnceTheEmulatorComesUp() throws Exception {
        GcsEmulatorFixture emulator = emulator();
        WebServer server = service(emulator);
        HttpTestClient client = client(server);
        String token = auth.login(user());

        // The emulator is not running yet: the service is up but not ready, and says why.
        Reply notReady = client.get("/readyz");
        assertThat(notReady.status()).isEqualTo(503);
        assertThat(notReady.json().path("checks").path("gcs").asText()).isEqualTo("DOWN");
        assertThat(notReady.body()).doesNotContain(BUCKET);
        assertUnavailableQuickly(() -> client.postBytes("/images/upload", TestImages.png(), bearer(token)));

        emulator.start();
        awaitReady(client);
        assertThat(directClient(emulator).get(BUCKET))
                .as("the bucket the service created")
                .isNotNull();
        assertThat(client.postBytes("/images/upload", TestImages.png(), bearer(token))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void uploadsReadsListsAndDeletesOverTheWire() throws Exception {
        GcsEmulatorFixture emulator = emulator().start();
        HttpTestClient client = client(service(emulator));
        awaitReady(client);
        String owner = user();
        String token = auth.login(owner);

        Map<String, byte[]> sent = new HashMap<>();
        Map<String, String> types =
                Map.of("image/png", "png", "image/jpeg", "jpeg", "image/gif", "gif", "image/webp", "webp");
        for (var format : List.of(TestImages.png(), TestImages.jpeg(), TestImages.gif(), TestImages.webp())) {
            sent.put(upload(client, token, format), format);
            MultipartBody form =
                    new MultipartBody().field("title", "x").file("file", "a.bin", "application/octet-stream", format);
            Reply multipart = client.postBytes(
                    "/images/upload",
                    form.build(),
                    "Authorization",
                    "Bearer " + token,
                    "Content-Type",
                    form.contentType());
            assertThat(multipart.status()).as(multipart.body()).isEqualTo(201);
            assertThat(types).containsKey(multipart.json().path("contentType").asText());
            sent.put(multipart.json().path("id").asText(), format);
        }
        byte[] large = TestImages.png(300, 300, 9);
        sent.put(upload(client, token, large), large);

        Storage direct = directClient(emulator);
        for (var entry : sent.entrySet()) {
            Reply read = client.get("/images/" + entry.getKey(), bearer(token));
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.bytes()).isEqualTo(entry.getValue());
            assertThat(read.header("Content-Length")).contains(Integer.toString(entry.getValue().length));
            Blob blob = direct.get(BlobId.of(BUCKET, "images/" + owner + "/" + entry.getKey()));
            assertThat(blob.getContentType())
                    .isEqualTo(read.header("Content-Type").orElseThrow());
            assertThat(blob.getSize()).isEqualTo(entry.getValue().length);
            assertThat(blob.getMetadata()).containsEntry("owner", owner);
        }

        // Paging through nine images two at a time with the emulator's page tokens.
        Set<String> listed = new HashSet<>();
        String pageToken = null;
        int pages = 0;
        do {
            Reply page = client.get(
                    "/images?limit=2"
                            + (pageToken == null
                                    ? ""
                                    : "&pageToken=" + URLEncoder.encode(pageToken, StandardCharsets.UTF_8)),
                    bearer(token));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            assertThat(page.json().path("images").size()).isLessThanOrEqualTo(2);
            for (JsonNode image : page.json().path("images")) {
                assertThat(listed.add(image.path("id").asText()))
                        .as("listed twice: " + image)
                        .isTrue();
                assertThat(image.path("size").asLong())
                        .isEqualTo(sent.get(image.path("id").asText()).length);
                assertThat(image.path("createdAt").asText()).isNotBlank();
            }
            JsonNode next = page.json().path("nextPageToken");
            pageToken = next.isNull() ? null : next.asText();
            pages++;
        } while (pageToken != null && pages < 20);
        assertThat(listed).isEqualTo(sent.keySet());
        assertThat(pages).isGreaterThanOrEqualTo(5);

        // Someone else sees none of it.
        String stranger = auth.login(user());
        String someId = sent.keySet().iterator().next();
        assertThat(client.get("/images/" + someId, bearer(stranger)).status()).isEqualTo(404);
        assertThat(client.delete("/images/" + someId, bearer(stranger)).status())
                .isEqualTo(404);
        assertThat(client.get("/images", bearer(stranger)).json().path("images").size())
                .isZero();

        assertThat(client.delete("/images/" + someId, bearer(token)).status()).isEqualTo(204);
        assertThat(client.get("/images/" + someId, bearer(token)).status()).isEqualTo(404);
        assertThat(client.delete("/images/" + someId, bearer(token)).status()).isEqualTo(404);
        assertThat(direct.get(BlobId.of(BUCKET, "images/" + owner + "/" + someId)))
                .isNull();
        assertThat(client.get("/images/..%2F..%2F" + someId, bearer(token)).status())
                .isIn(400, 404);
    }

    @Test
    void emulatorOutageIs503AndTheSameServerRecovers() throws Exception {
        GcsEmulatorFixture emulator = emulator().start();
        WebServer server = service(emulator);
        HttpTestClient client = client(server);
        awaitReady(client);
        String token = auth.login(user());
        byte[] before = TestImages.gif();
        String id = upload(client, token, before);

        emulator.stop();
        await("/readyz 503")
                .atMost(Duration.ofSeconds(15))
                .until(() -> client.get("/readyz").status() == 503);
        Reply notReady = client.get("/readyz");
        assertThat(notReady.header("Retry-After")).isPresent();
        assertThat(notReady.json().path("checks").path("gcs").asText()).isNotEqualTo("UP");
        assertUnavailableQuickly(() -> client.postBytes("/images/upload", TestImages.png(), bearer(token)));
        assertUnavailableQuickly(() -> client.get("/images/" + id, bearer(token)));
        assertUnavailableQuickly(() -> client.get("/images", bearer(token)));
        assertUnavailableQuickly(() -> client.delete("/images/" + id, bearer(token)));

        emulator.start();
        awaitReady(client);
        assertThat(server.isRunning()).isTrue();
        Reply after = client.get("/images/" + id, bearer(token));
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.bytes()).isEqualTo(before);
        assertThat(client.postBytes("/images/upload", TestImages.png(), bearer(token))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void imagesSurviveAServiceRestart() throws Exception {
        GcsEmulatorFixture emulator = emulator().start();
        WebServer first = service(emulator);
        HttpTestClient firstClient = client(first);
        awaitReady(firstClient);
        String token = auth.login(user());
        byte[] image = TestImages.webp();
        String id = upload(firstClient, token, image);
        first.stop();

        WebServer second = service(emulator);
        HttpTestClient secondClient = client(second);
        // The bucket exists already: creating it again is a 409 the service takes as done.
        awaitReady(secondClient);
        Reply read = secondClient.get("/images/" + id, bearer(token));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.bytes()).isEqualTo(image);
        assertThat(read.header("Content-Type")).contains("image/webp");
        assertThat(secondClient.get("/images", bearer(token)).body()).contains(id);
    }
}
