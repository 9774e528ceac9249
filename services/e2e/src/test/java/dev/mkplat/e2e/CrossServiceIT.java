package dev.mkplat.e2e;

import static dev.mkplat.service.testing.HttpTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mkplat.service.testing.GcsEmulatorFixture;
import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.HttpTestClient.Reply;
import dev.mkplat.service.testing.PostgresFixture;
import dev.mkplat.service.testing.RedisFixture;
import dev.mkplat.service.testing.TestImages;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * register → login → create an item via api → upload an image via images → read both back, with
 * the three services, PostgreSQL, Redis and fake-gcs-server all real and on loopback.
 */
class CrossServiceIT {
    /** Short, so that expiry is observed in the test; api and images may not trust a token past it. */
    private static final Duration SESSION_TTL = Duration.ofSeconds(3);
    /** api and images trust a verified token this long; a logout reaches them within it. */
    private static final Duration AUTH_CACHE_TTL = Duration.ofSeconds(1);

    private static final byte[] PNG = TestImages.png();

    private static PostgresFixture postgres;
    private static RedisFixture redis;
    private static GcsEmulatorFixture gcs;
    private static WebServer auth;
    private static WebServer api;
    private static WebServer images;
    private static HttpTestClient authClient;
    private static HttpTestClient apiClient;
    private static HttpTestClient imagesClient;

    @BeforeAll
    static void startPlatform() {
        Path emulator = GcsEmulatorFixture.binaryOrNull();
        assumeTrue(emulator != null, GcsEmulatorFixture.MISSING);
        postgres = PostgresFixture.create();
        redis = RedisFixture.create();
        gcs = GcsEmulatorFixture.on(emulator, null, Path.of("target", "fake-gcs-server"))
                .start();

        PostgresFixture.Database authDb = postgres.createDatabase("auth");
        Map<String, String> authConfig = server();
        database(authConfig, authDb);
        authConfig.put("redis.host", redis.host());
        authConfig.put("redis.port", Integer.toString(redis.port()));
        authConfig.put("redis.password", redis.password());
        authConfig.put("session.ttl", SESSION_TTL.toSeconds() + "s");
        auth = dev.mkplat.auth.Main.start(config(authConfig));
        String authUrl = "http://127.0.0.1:" + auth.port();

        Map<String, String> apiConfig = server();
        database(apiConfig, postgres.createDatabase("api"));
        trustAuth(apiConfig, authUrl);
        api = dev.mkplat.api.Main.start(config(apiConfig));

        Map<String, String> imagesConfig = server();
        imagesConfig.put("gcs.emulator.host", gcs.url());
        imagesConfig.put("gcs.bucket", "mkplat-e2e");
        trustAuth(imagesConfig, authUrl);
        images = dev.mkplat.images.Main.start(config(imagesConfig));

        authClient = new HttpTestClient(authUrl);
        apiClient = new HttpTestClient("http://127.0.0.1:" + api.port());
        imagesClient = new HttpTestClient("http://127.0.0.1:" + images.port());
        for (HttpTestClient client : new HttpTestClient[] {authClient, apiClient, imagesClient}) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> client.get("/readyz").status() == 200);
        }
    }

    @AfterAll
    static void stopPlatform() {
        for (WebServer server : new WebServer[] {images, api, auth}) {
            if (server != null) {
                server.stop();
            }
        }
        for (AutoCloseable fixture : new AutoCloseable[] {gcs, redis, postgres}) {
            if (fixture != null) {
                try {
                    fixture.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static Map<String, String> server() {
        Map<String, String> values = new HashMap<>();
        values.put("server.port", "0");
        values.put("metrics.port", "0");
        values.put("server.host", "127.0.0.1");
        return values;
    }

    private static void database(Map<String, String> values, PostgresFixture.Database db) {
        values.put("db.url", db.url());
        values.put("db.user", db.user());
        values.put("db.password", db.password());
    }

    private static void trustAuth(Map<String, String> values, String authUrl) {
        values.put("auth.url", authUrl);
        values.put("auth.cache.ttl", AUTH_CACHE_TTL.toMillis() + "ms");
    }

    private static Config config(Map<String, String> values) {
        return Config.just(ConfigSources.create(values));
    }

    private static String login(String username) {
        String credentials = "{\"username\":\"" + username + "\",\"password\":\"correct horse battery\"}";
        assertThat(authClient.post("/register", credentials).status()).isEqualTo(201);
        Reply login = authClient.post("/login", credentials);
        assertThat(login.status()).isEqualTo(200);
        return login.json().path("token").asText();
    }

    private static String user() {
        return "e2e_" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void oneTokenOpensApiAndImagesAndBothReadBack() {
        String token = login(user());

        Reply created = apiClient.post(
                "/items", "{\"name\":\"first item\",\"description\":\"made by the e2e test\"}", bearer(token));
        assertThat(created.status()).isEqualTo(201);
        String itemId = created.json().path("id").asText();

        Reply uploaded = imagesClient.postBytes("/images/upload", PNG, bearer(token));
        assertThat(uploaded.status()).isEqualTo(201);
        assertThat(uploaded.json().path("contentType").asText()).isEqualTo("image/png");
        String imageId = uploaded.json().path("id").asText();

        JsonNode item = apiClient.get("/items/" + itemId, bearer(token)).json();
        assertThat(item.path("name").asText()).isEqualTo("first item");
        assertThat(item.path("owner").asText())
                .isEqualTo(authClient
                        .get("/verify", bearer(token))
                        .json()
                        .path("username")
                        .asText());

        Reply image = imagesClient.get("/images/" + imageId, bearer(token));
        assertThat(image.status()).isEqualTo(200);
        assertThat(image.header("Content-Type")).contains("image/png");
        assertThat(Arrays.equals(image.bytes(), PNG)).isTrue();
    }

    @Test
    void aBadTokenIsRefusedEverywhere() {
        String forged = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assertThat(authClient.get("/verify", bearer(forged)).status()).isEqualTo(401);
        assertThat(apiClient.get("/items", bearer(forged)).status()).isEqualTo(401);
        assertThat(imagesClient.postBytes("/images/upload", PNG, bearer(forged)).status())
                .isEqualTo(401);
        assertThat(imagesClient.get("/images", bearer(forged)).status()).isEqualTo(401);
        assertThat(apiClient.get("/items").status()).isEqualTo(401);
    }

    @Test
    void anExpiredTokenIsRefusedEverywhere() {
        String token = login(user());
        // Used once while valid, so api and images have it cached: expiry must still win.
        assertThat(apiClient.get("/items", bearer(token)).status()).isEqualTo(200);
        assertThat(imagesClient.get("/images", bearer(token)).status()).isEqualTo(200);

        await().atMost(SESSION_TTL.plusSeconds(10))
                .until(() -> authClient.get("/verify", bearer(token)).status() == 401);
        assertThat(apiClient.get("/items", bearer(token)).status()).isEqualTo(401);
        assertThat(imagesClient.get("/images", bearer(token)).status()).isEqualTo(401);
    }

    @Test
    void aLoggedOutTokenIsRefusedEverywhereWithinTheCacheTime() {
        String token = login(user());
        assertThat(apiClient.get("/items", bearer(token)).status()).isEqualTo(200);
        assertThat(authClient.post("/logout", "", bearer(token)).status()).isEqualTo(204);

        assertThat(authClient.get("/verify", bearer(token)).status()).isEqualTo(401);
        await().atMost(AUTH_CACHE_TTL.plusSeconds(5))
                .until(() -> apiClient.get("/items", bearer(token)).status() == 401);
        await().atMost(AUTH_CACHE_TTL.plusSeconds(5))
                .until(() -> imagesClient.get("/images", bearer(token)).status() == 401);
    }

    @Test
    void usersSeeOnlyTheirOwnItemsAndImages() {
        String alice = login(user());
        String bob = login(user());
        String itemId = apiClient
                .post("/items", "{\"name\":\"alice's\"}", bearer(alice))
                .json()
                .path("id")
                .asText();
        String imageId = imagesClient
                .postBytes("/images/upload", PNG, bearer(alice))
                .json()
                .path("id")
                .asText();

        assertThat(apiClient.get("/items/" + itemId, bearer(bob)).status()).isEqualTo(404);
        assertThat(imagesClient.get("/images/" + imageId, bearer(bob)).status()).isEqualTo(404);
        assertThat(apiClient.get("/items", bearer(bob)).json().path("items").size())
                .isZero();
    }
}
