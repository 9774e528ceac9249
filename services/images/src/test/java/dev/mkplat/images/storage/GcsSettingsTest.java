package dev.mkplat.images.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the gcs config node, and building a client from it without touching the network. */
class GcsSettingsTest {
    private static GcsSettings settings(Map<String, String> values) {
        return GcsSettings.from(Config.just(ConfigSources.create(values)).get("gcs"));
    }

    @Test
    void defaultsAreRealGcsWithTheDefaultBucket() {
        GcsSettings settings = settings(Map.of());
        assertThat(settings.bucket()).isEqualTo("mkplat-images");
        assertThat(settings.emulated()).isFalse();
        assertThat(settings.projectId()).isEmpty();
        assertThat(settings.credentialsFile()).isEmpty();
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void emptyValuesCountAsUnset() {
        // Kubernetes manifests often set a variable to "" rather than leaving it out.
        GcsSettings settings =
                settings(Map.of("gcs.emulator.host", "", "gcs.project.id", " ", "gcs.credentials.file", ""));
        assertThat(settings.emulated()).isFalse();
        assertThat(settings.projectId()).isEmpty();
        assertThat(settings.credentialsFile()).isEmpty();
    }

    @Test
    void emulatorHostWithOrWithoutScheme() {
        assertThat(settings(Map.of("gcs.emulator.host", "http://localhost:4443/"))
                        .emulatorHost())
                .hasValueSatisfying(uri -> assertThat(uri.toString()).isEqualTo("http://localhost:4443"));
        assertThat(settings(Map.of("gcs.emulator.host", "fake-gcs:4443")).emulatorHost())
                .hasValueSatisfying(uri -> assertThat(uri.toString()).isEqualTo("http://fake-gcs:4443"));
        assertThatThrownBy(() -> settings(Map.of("gcs.emulator.host", "ftp://x:1")))
                .hasMessageContaining("GCS_EMULATOR_HOST");
    }

    @Test
    void emulatorClientUsesTheHostAndNoCredentials() {
        GcsSettings settings = settings(
                Map.of("gcs.emulator.host", "http://127.0.0.1:4443", "gcs.bucket", "b", "gcs.timeout", "750ms"));
        try (var storage = settings.createStorage()) {
            assertThat(storage.getOptions().getHost()).isEqualTo("http://127.0.0.1:4443");
            assertThat(storage.getOptions().getCredentials()).isInstanceOf(com.google.cloud.NoCredentials.class);
            assertThat(storage.getOptions().getProjectId()).isEqualTo(GcsSettings.EMULATOR_PROJECT);
            assertThat(storage.getOptions().getRetrySettings().getTotalTimeoutDuration())
                    .isEqualTo(Duration.ofMillis(750));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void unreadableCredentialsFileFailsAtStartWithItsName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("key.json");
        Files.writeString(file, "{\"type\": \"nonsense\"}");
        GcsSettings settings = settings(Map.of("gcs.credentials.file", file.toString(), "gcs.project.id", "p"));
        assertThatThrownBy(settings::createStorage)
                .hasMessageContaining("GCS_CREDENTIALS_FILE")
                .hasMessageContaining(file.toString());
    }

    @Test
    void idsAre22UrlSafeCharactersAndAnythingElseIsRejected() {
        String id = ImageId.generate();
        assertThat(id).matches("[A-Za-z0-9_-]{22}");
        assertThat(ImageId.generate()).isNotEqualTo(id);
        assertThat(ImageId.isValid(id)).isTrue();
        for (String bad : new String[] {
            null,
            "",
            "../../etc/passwd",
            "a".repeat(21),
            "a".repeat(23),
            "a".repeat(21) + "/",
            "a".repeat(21) + "*",
            "a".repeat(21) + "="
        }) {
            assertThat(ImageId.isValid(bad)).as(String.valueOf(bad)).isFalse();
        }
        assertThat(ImageStore.isUsableOwner("alice.b-c_1")).isTrue();
        assertThat(ImageStore.isUsableOwner("a/b")).isFalse();
        assertThat(ImageStore.isUsableOwner("")).isFalse();
    }
}
