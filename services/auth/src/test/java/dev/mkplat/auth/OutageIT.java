package dev.mkplat.auth;

import static dev.mkplat.auth.AuthClient.randomAddress;
import static dev.mkplat.auth.AuthClient.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.HttpTestClient.Reply;
import io.helidon.webserver.WebServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Postgres or Redis goes away while the service runs: the routes that need it answer 503 with
 * Retry-After quickly, the others keep working, and the same server recovers when it comes back.
 */
class OutageIT {
    private static final Duration QUICKLY = Duration.ofSeconds(5);

    private static AuthEnvironment environment;
    private static WebServer server;
    private static HttpTestClient http;
    private static AuthClient auth;

    @BeforeAll
    static void start() {
        environment = AuthEnvironment.create();
        server = environment.start("trust.forwarded", "true", "login.max.failures", "3");
        http = AuthEnvironment.client(server);
        auth = new AuthClient(http);
    }

    @AfterAll
    static void stop() {
        environment.close();
    }

    @Test
    void redisOutageGives503AndTheSameServerRecovers() {
        String name = uniqueName("steady");
        assertThat(auth.register(name, "a password").status()).isEqualTo(201);
        String token = auth.token(name, "a password");

        environment.redis.stop();
        try {
            // a readiness result is reused for a second: the one from before the outage may still be served
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> http.get("/readyz").status() == 503);
            Reply ready = timed(() -> http.get("/readyz"));
            assertNotReady(ready);
            assertThat(ready.json().path("checks").path("redis").asText()).isNotEqualTo("UP");
            assertThat(ready.json().path("checks").path("postgres").asText()).isEqualTo("UP");

            assertUnavailable(timed(() -> auth.login(name, "a password", randomAddress())));
            assertUnavailable(timed(() -> auth.verify(token)));
            assertUnavailable(timed(() -> auth.logout(token)));
            assertThat(timed(() -> auth.verify(token)).json().path("error").asText())
                    .isEqualTo("redis unavailable");
            // What does not need Redis goes on.
            assertThat(http.get("/healthz").status()).isEqualTo(200);
            assertThat(auth.register(uniqueName("during"), "a password").status())
                    .isEqualTo(201);
        } finally {
            environment.redis.start();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/readyz").status() == 200);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> auth.login(name, "a password", randomAddress()).status() == 200);
        String fresh = auth.token(name, "a password");
        assertThat(auth.verify(fresh).json().path("username").asText()).isEqualTo(name);
        assertThat(auth.logout(fresh).status()).isEqualTo(204);
    }

    @Test
    void aRedisRestartBetweenRequestsGoesUnnoticed() {
        String name = uniqueName("unaware");
        assertThat(auth.register(name, "a password").status()).isEqualTo(201);
        // Fill the pool with connections that the restart will kill.
        String token = auth.token(name, "a password");
        assertThat(auth.verify(token).status()).isEqualTo(200);

        environment.redis.stop();
        environment.redis.start();

        // The test Redis keeps nothing across a restart, so the session is gone: 401, not 503.
        assertThat(auth.verify(token).status()).isEqualTo(401);
        assertThat(auth.verify(auth.token(name, "a password")).status()).isEqualTo(200);
        assertThat(http.get("/readyz").status()).isEqualTo(200);
    }

    @Test
    void postgresOutageGives503AndTheSameServerRecovers() {
        assumeTrue(environment.postgres.canStop(), "an external PostgreSQL cannot be stopped");
        String name = uniqueName("steady");
        assertThat(auth.register(name, "a password").status()).isEqualTo(201);
        String token = auth.token(name, "a password");

        environment.postgres.stop();
        try {
            // a readiness result is reused for a second: the one from before the outage may still be served
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> http.get("/readyz").status() == 503);
            Reply ready = timed(() -> http.get("/readyz"));
            assertNotReady(ready);
            assertThat(ready.json().path("checks").path("postgres").asText()).isNotEqualTo("UP");
            assertThat(ready.json().path("checks").path("redis").asText()).isEqualTo("UP");

            assertUnavailable(timed(() -> auth.register(uniqueName("during"), "a password")));
            // More attempts than the lockout allows: a login that could not be checked is no failure.
            String client = randomAddress();
            for (int i = 0; i < 5; i++) {
                assertUnavailable(timed(() -> auth.login(name, "a password", client)));
            }
            // Verification needs only Redis, so the other services keep working.
            assertThat(auth.verify(token).status()).isEqualTo(200);
        } finally {
            environment.postgres.start();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> http.get("/readyz").status() == 200);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> auth.register(uniqueName("after"), "a password").status() == 201);
        assertThat(auth.login(name, "a password", randomAddress()).status()).isEqualTo(200);
    }

    @Test
    void startsWhileRedisIsDownAndBecomesReadyWhenItComes() {
        WebServer late = null;
        environment.redis.stop();
        try {
            late = Main.start(environment.config("trust.forwarded", "true"));
            HttpTestClient client = AuthEnvironment.client(late);
            assertThat(client.get("/healthz").status()).isEqualTo(200);
            Reply ready = timed(() -> client.get("/readyz"));
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().path("checks").path("redis").asText()).isNotEqualTo("UP");
            environment.redis.start();

            // Started without Redis; it must not need a restart now that Redis is there.
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> client.get("/readyz").status() == 200);
            String name = uniqueName("late");
            AuthClient lateAuth = new AuthClient(client);
            assertThat(lateAuth.register(name, "a password").status()).isEqualTo(201);
            assertThat(lateAuth.verify(lateAuth.token(name, "a password")).status())
                    .isEqualTo(200);
        } finally {
            environment.redis.start();
            if (late != null) {
                late.stop();
            }
        }
    }

    private static void assertNotReady(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).isPresent();
        assertThat(reply.json().path("status").asText()).isEqualTo("DOWN");
    }

    private static void assertUnavailable(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(503);
        assertThat(reply.header("Retry-After"))
                .hasValueSatisfying(value -> assertThat(Long.parseLong(value)).isPositive());
        assertThat(reply.json().path("error").asText()).endsWith("unavailable").doesNotContain("Exception");
        assertThat(reply.json().path("requestId").asText()).isNotBlank();
    }

    private static Reply timed(java.util.function.Supplier<Reply> request) {
        long start = System.nanoTime();
        Reply reply = request.get();
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("answer time")
                .isLessThan(QUICKLY);
        return reply;
    }
}
