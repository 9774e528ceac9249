package dev.mkplat.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.kube.PodRequests;
import org.junit.jupiter.api.Test;

/** The minikube that mkplat init proposes when the platform does not fit. */
class MinikubeSizeTest {
    @Test
    void aSmallPlatformGetsMinikubesDefaultsAtLeast() {
        assertThat(MinikubeSize.fitting(new PodRequests(100, 64L << 20)).command())
                .isEqualTo("minikube start --cpus 2 --memory 2200");
    }

    @Test
    void roomForTheSystemPodsIsAddedAndRoundedUp() {
        // 1500m + 950m = 2450m -> 3 CPUs; 5760 MiB + 460 MiB = 6220 MiB -> 6250
        assertThat(MinikubeSize.fitting(new PodRequests(1500, 5760L << 20))).isEqualTo(new MinikubeSize(3, 6250));
    }

    @Test
    void exactlyFullIsEnough() {
        assertThat(MinikubeSize.fitting(new PodRequests(1050, 3540L << 20))).isEqualTo(new MinikubeSize(2, 4000));
    }
}
