package dev.mkplat.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceInfoTest {
    @Test
    void versionComesFromTheBuildNotAPlaceholder() {
        ServiceInfo info = ServiceInfo.fromBuild();
        assertThat(info.name()).isEqualTo("api");
        assertThat(info.version()).doesNotContain("${").isNotEqualTo("unknown").matches("\\d+\\.\\d+\\.\\d+.*");
    }
}
