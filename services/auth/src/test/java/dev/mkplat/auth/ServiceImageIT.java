package dev.mkplat.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.ImageArchive;
import dev.mkplat.service.testing.PostgresFixture;
import dev.mkplat.service.testing.RedisFixture;
import dev.mkplat.service.testing.RuncContainer;
import dev.mkplat.service.testing.ServiceImage;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auth image that {@code ./mvnw -Pimages package} built: its config, the Dockerfile that must
 * match it, and the image run by runc against real PostgreSQL and Redis, where a user registers and
 * logs in (Argon2id, the JDBC driver and Jedis all work on the image's JRE).
 */
class ServiceImageIT {
    @TempDir
    Path work;

    @Test
    void imageConfigIsWhatTheDeploymentExpects() {
        ServiceImage.assertBuiltAsDeployed(work, 5000, Main.class);
    }

    @Test
    void imageRegistersAndLogsInAgainstRealDependencies() {
        ImageArchive image = ServiceImage.open(work);
        RuncContainer.assumeAvailable();
        try (PostgresFixture postgres = PostgresFixture.create();
                RedisFixture redis = RedisFixture.create()) {
            PostgresFixture.Database db = postgres.createDatabase("auth_image");
            try (ServiceImage.Started auth = ServiceImage.startAndAwaitReady(
                    image,
                    work,
                    Map.of(
                            "DB_URL", db.url().replace("localhost", "127.0.0.1"),
                            "DB_USER", db.user(),
                            "DB_PASSWORD", db.password(),
                            "REDIS_HOST", redis.host(),
                            "REDIS_PORT", Integer.toString(redis.port()),
                            "REDIS_PASSWORD", redis.password()))) {
                AuthClient client = new AuthClient(new HttpTestClient("http://127.0.0.1:" + auth.port()));
                String name = "image" + UUID.randomUUID().toString().substring(0, 8);
                assertThat(client.register(name, "correct horse battery").status())
                        .isEqualTo(201);
                HttpTestClient.Reply login = client.login(name, "correct horse battery", "203.0.113.7");
                assertThat(login.status()).as(login.body()).isEqualTo(200);
                assertThat(login.json().path("token").asText()).isNotBlank();
            }
        }
    }
}
