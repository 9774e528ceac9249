package dev.mkplat.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.service.testing.ImageArchive;
import dev.mkplat.service.testing.PostgresFixture;
import dev.mkplat.service.testing.RuncContainer;
import dev.mkplat.service.testing.ServiceImage;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The api image that {@code ./mvnw -Pimages package} built: its config, the Dockerfile that must
 * match it, and the image run by runc against a real PostgreSQL until it is ready.
 */
class ServiceImageIT {
    @TempDir
    Path work;

    @Test
    void imageConfigIsWhatTheDeploymentExpects() {
        ServiceImage.assertBuiltAsDeployed(work, 3000, Main.class);
    }

    @Test
    void imageRunsAndIsReadyWithItsDatabase() {
        ImageArchive image = ServiceImage.open(work);
        RuncContainer.assumeAvailable();
        try (PostgresFixture postgres = PostgresFixture.create()) {
            PostgresFixture.Database db = postgres.createDatabase("api_image");
            // /readyz answers 200 only once Flyway migrated and a query ran, over TCP from the container.
            try (ServiceImage.Started api = ServiceImage.startAndAwaitReady(
                    image,
                    work,
                    Map.of(
                            "DB_URL", db.url().replace("localhost", "127.0.0.1"),
                            "DB_USER", db.user(),
                            "DB_PASSWORD", db.password()))) {
                // java is PID 1 (no shell in between): SIGTERM reaches it and it exits in time.
                assertThat(api.container().stop(30))
                        .as("exit code after SIGTERM")
                        .isNotEqualTo(-1);
            }
        }
    }
}
