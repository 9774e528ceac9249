package dev.mkplat.api;

import static dev.mkplat.service.testing.HttpTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.MetricsScrape;
import io.helidon.webserver.WebServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Postgres or auth going away while api runs: the routes that need them answer 503 with
 * Retry-After quickly (never 500, never a hang), the rest keep working, and the same server
 * instance recovers by itself when the dependency is back.
 */
class OutageIT {
    /** Well above the 1 s auth timeout and the 1 s pool timeout of the test config; far below a hang. */
    private static final Duration QUICK = Duration.ofSeconds(5);

    private static ApiEnvironment env;
    private static WebServer server;
    private static HttpTestClient client;

    @BeforeAll
    static void start() {
        env = ApiEnvironment.create();
        server = env.start("auth.cache.ttl", "1h");
        client = ApiEnvironment.client(server);
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    private static HttpTestClient client() {
        return client;
    }

    private static HttpTestClient.Reply timed(java.util.function.Supplier<HttpTestClient.Reply> call) {
        long start = System.nanoTime();
        HttpTestClient.Reply reply = call.get();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(QUICK);
        return reply;
    }

    private static void assertUnavailable(HttpTestClient.Reply reply, String dependency) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).contains("5");
        assertThat(reply.json().path("error").asText()).isEqualTo(dependency + " unavailable");
        assertThat(reply.json().path("requestId").asText()).isNotBlank();
    }

    @Test
    void postgresOutageGives503AndRecoversOnTheSameServer() {
        assumeTrue(env.postgres().canStop(), "an external PostgreSQL cannot be stopped");
        String token = env.auth().login("pg-outage");
        String location = client().post("/items", "{\"name\":\"before\"}", bearer(token))
                .header("Location")
                .orElseThrow();
        int port = server.port();

        env.postgres().stop();
        try {
            // a readiness result is reused for a second: the one from before the outage may still be served
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> client().get("/readyz").status() == 503);
            var ready = timed(() -> client().get("/readyz"));
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.header("Retry-After")).isPresent();
            assertThat(ready.json().path("status").asText()).isEqualTo("DOWN");
            // only UP or DOWN: the reason (driver errors, host names) goes to the log, not to anonymous callers
            assertThat(ready.json().path("checks").path("postgres").asText()).isEqualTo("DOWN");
            assertThat(ready.json().has("error")).isFalse();

            assertUnavailable(timed(() -> client().get(location, bearer(token))), "postgres");
            assertUnavailable(timed(() -> client().get("/items", bearer(token))), "postgres");
            assertUnavailable(timed(() -> client().post("/items", "{\"name\":\"during\"}", bearer(token))), "postgres");
            assertUnavailable(timed(() -> client().put(location, "{\"name\":\"during\"}", bearer(token))), "postgres");
            assertUnavailable(timed(() -> client().delete(location, bearer(token))), "postgres");

            // What does not need Postgres keeps answering: the pod stays alive, only unready.
            assertThat(client().get("/healthz").status()).isEqualTo(200);
            assertThat(client().get("/").status()).isEqualTo(200);
            assertThat(MetricsScrape.of(server)).doesNotContain("status=\"500\"");
            // Validation still comes before the database.
            assertThat(client().post("/items", "{}", bearer(token)).status()).isEqualTo(400);
        } finally {
            env.postgres().start();
        }

        await().atMost(Duration.ofSeconds(30))
                .until(() -> client().get("/readyz").status() == 200);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> client().get(location, bearer(token)).status() == 200);
        assertThat(client().get(location, bearer(token)).json().path("name").asText())
                .isEqualTo("before");
        assertThat(client().post("/items", "{\"name\":\"after\"}", bearer(token))
                        .status())
                .isEqualTo(201);
        assertThat(server.port()).as("the same server instance recovered").isEqualTo(port);
        assertThat(MetricsScrape.of(server)).doesNotContain("status=\"500\"");
    }

    @Test
    void authOutageGives503ForUnknownTokensAndRecovers() {
        String cached = env.auth().login("auth-outage");
        assertThat(client().get("/items", bearer(cached)).status()).isEqualTo(200);
        String fresh = env.auth().login("auth-outage");

        env.auth().stop();
        try {
            assertUnavailable(timed(() -> client().get("/items", bearer(fresh))), "auth");
            assertUnavailable(timed(() -> client().post("/items", "{\"name\":\"x\"}", bearer(fresh))), "auth");
            // A token verified moments ago stays valid from the cache (until AUTH_CACHE_TTL or its expiry).
            assertThat(client().get("/items", bearer(cached)).status()).isEqualTo(200);
            // Readiness is about Postgres only: an auth outage must not take api out of the Service.
            assertThat(client().get("/readyz").status()).isEqualTo(200);
        } finally {
            env.auth().start();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> client().get("/items", bearer(fresh)).status() == 200);
    }

    @Test
    void hangingAuthGives503WithinTheTimeout() {
        String fresh = env.auth().login("auth-hang");
        env.auth().hang();
        try {
            long start = System.nanoTime();
            assertUnavailable(client().get("/items", bearer(fresh)), "auth");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(QUICK);
        } finally {
            env.auth().release();
        }
        assertThat(client().get("/items", bearer(fresh)).status()).isEqualTo(200);
    }
}
