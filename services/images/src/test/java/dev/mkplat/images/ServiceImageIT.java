package dev.mkplat.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mkplat.service.testing.GcsEmulatorFixture;
import dev.mkplat.service.testing.ImageArchive;
import dev.mkplat.service.testing.RuncContainer;
import dev.mkplat.service.testing.ServiceImage;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The images image that {@code ./mvnw -Pimages package} built: its config, the Dockerfile that
 * must match it, and the image run by runc against a real GCS emulator (fake-gcs-server), where
 * it creates its bucket and reports ready.
 */
class ServiceImageIT {
    @TempDir
    Path work;

    @Test
    void imageConfigIsWhatTheDeploymentExpects() {
        ServiceImage.assertBuiltAsDeployed(work, 8080, Main.class);
    }

    @Test
    void imageIsReadyAgainstTheEmulator() {
        ImageArchive image = ServiceImage.open(work);
        RuncContainer.assumeAvailable();
        Path binary = GcsEmulatorFixture.binaryOrNull();
        assumeTrue(binary != null, GcsEmulatorFixture.MISSING);
        try (GcsEmulatorFixture gcs =
                        GcsEmulatorFixture.on(binary, null, work.resolve("gcs")).start();
                ServiceImage.Started images = ServiceImage.startAndAwaitReady(
                        image, work, Map.of("GCS_EMULATOR_HOST", gcs.url(), "GCS_BUCKET", "mkplat-image-it"))) {
            // /readyz checked the bucket through the emulator; java is PID 1 and stops on SIGTERM.
            assertThat(images.container().stop(30))
                    .as("exit code after SIGTERM")
                    .isNotEqualTo(-1);
        }
    }
}
