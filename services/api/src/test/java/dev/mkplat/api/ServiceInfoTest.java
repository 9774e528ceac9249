package dev.mkplat.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceInfoTest {
    @Test
    void versionComesFromTheBuildNotAPlaceholder() {
        ServiceInfo info = ServiceInfo.fromBuild();
        assertThat(info.name()).isEqualTo("api");
        assertThat(info.version()).doesNotContain("${").isNotEqualTo("unknown").matches("\\d+\\.\\d+\\.\\d+.*");
    }
}
