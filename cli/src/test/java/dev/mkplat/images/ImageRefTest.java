package dev.mkplat.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkplat.core.MkplatException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageRefTest {
    @Test
    void readsReferencesAsRuntimesDo() {
        assertThat(ImageRef.parse("docker.io/mkplat/api:0.1.0"))
                .isEqualTo(new ImageRef("docker.io", "mkplat/api", "0.1.0", Optional.empty()));
        assertThat(ImageRef.parse("postgres:17.11-bookworm"))
                .isEqualTo(new ImageRef("docker.io", "library/postgres", "17.11-bookworm", Optional.empty()));
        assertThat(ImageRef.parse("127.0.0.1:5001/mkplat/api:1@sha256:ab"))
                .isEqualTo(new ImageRef("127.0.0.1:5001", "mkplat/api", "1", Optional.of("sha256:ab")));
        assertThat(ImageRef.parse("fsouza/fake-gcs-server"))
                .isEqualTo(new ImageRef("docker.io", "fsouza/fake-gcs-server", "latest", Optional.empty()));
        assertThat(ImageRef.parse("docker.io/mkplat/api:0.1.0")
                        .in("127.0.0.1:5001")
                        .tagged())
                .isEqualTo("127.0.0.1:5001/mkplat/api:0.1.0");
        assertThatThrownBy(() -> ImageRef.parse("Not An Image")).isInstanceOf(MkplatException.class);
    }

    @Test
    void matchesTheNamesNodesReport() {
        ImageRef api = ImageRef.parse("docker.io/mkplat/api:0.1.0");
        assertThat(api.matches("docker.io/mkplat/api:0.1.0")).isTrue();
        assertThat(api.matches("mkplat/api:0.1.0")).isTrue(); // Docker's form
        assertThat(api.matches("docker.io/mkplat/api:0.2.0")).isFalse();
        assertThat(api.matches("docker.io/mkplat/api@sha256:ab")).isFalse();
        assertThat(ImageRef.parse("redis:7.4.6-alpine").matches("docker.io/library/redis:7.4.6-alpine"))
                .isTrue();
        assertThat(ImageRef.isLoopback("127.0.0.1:5001")).isTrue();
        assertThat(ImageRef.isLoopback("localhost")).isTrue();
        assertThat(ImageRef.isLoopback("registry.example.com")).isFalse();
    }
}
