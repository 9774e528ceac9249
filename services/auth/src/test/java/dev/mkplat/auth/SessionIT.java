package dev.mkplat.auth;

import static dev.mkplat.auth.AuthClient.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mkplat.service.testing.HttpTestClient.Reply;
import io.helidon.webserver.WebServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/** Sessions in Redis, with a 2 s SESSION_TTL so that expiry can be watched. */
class SessionIT {
    private static AuthEnvironment environment;
    private static WebServer server;
    private static AuthClient auth;

    @BeforeAll
    static void start() {
        environment = AuthEnvironment.create();
        server = environment.start("trust.forwarded", "true", "session.ttl", "2s");
        auth = new AuthClient(AuthEnvironment.client(server));
    }

    @AfterAll
    static void stop() {
        environment.close();
    }

    @Test
    void aSessionExpiresAfterTheTtl() {
        String name = uniqueName("brief");
        auth.register(name, "a password");
        Instant before = Instant.now();
        Reply login = auth.login(name, "a password", AuthClient.randomAddress());
        Instant after = Instant.now();
        Instant expiresAt = Instant.parse(login.json().path("expiresAt").asText());
        // The session starts somewhere inside the login (whose Argon2 hash takes as long as the
        // machine makes it): the expiry is the TTL after a moment between the two readings.
        assertThat(expiresAt)
                .isBetween(
                        before.plus(Duration.ofSeconds(2)).minusMillis(50),
                        after.plus(Duration.ofSeconds(2)).plusMillis(50));

        String token = login.json().path("token").asText();
        assertThat(auth.verify(token).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> auth.verify(token).status() == 401);
        assertThat(Instant.now()).isAfterOrEqualTo(expiresAt);
        assertThat(auth.logout(token).status()).isEqualTo(401);
    }

    @Test
    void redisHoldsOnlyTheHashOfTheToken() throws Exception {
        String name = uniqueName("hashed");
        auth.register(name, "a password");
        String token = auth.token(name, "a password");
        String expectedKey = "auth:session:"
                + HexFormat.of()
                        .formatHex(
                                MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));

        try (RedisClient redis = RedisClient.builder()
                .hostAndPort(environment.redis.host(), environment.redis.port())
                .clientConfig(DefaultJedisClientConfig.builder()
                        .password(environment.redis.password())
                        .build())
                .build()) {
            Set<String> keys = redis.keys("auth:session:*");
            assertThat(keys).contains(expectedKey);
            for (String key : redis.keys("*")) {
                assertThat(key).doesNotContain(token);
                if ("string".equals(redis.type(key))) {
                    assertThat(redis.get(key)).doesNotContain(token);
                }
            }
            assertThat(redis.get(expectedKey)).endsWith(" " + name);
            assertThat(redis.pttl(expectedKey)).isBetween(1L, 2000L);
        }
    }

    @Test
    void logoutEndsOnlyThatSession() {
        String name = uniqueName("leaving");
        auth.register(name, "a password");
        String first = auth.token(name, "a password");
        String second = auth.token(name, "a password");
        assertThat(auth.logout(first).status()).isEqualTo(204);
        assertThat(auth.verify(first).status()).isEqualTo(401);
        assertThat(auth.verify(second).status()).isEqualTo(200);
        assertThat(auth.logout(first).status()).isEqualTo(401);
    }
}
