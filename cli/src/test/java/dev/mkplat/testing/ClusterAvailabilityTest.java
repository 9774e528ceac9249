package dev.mkplat.testing;

import static dev.mkplat.testing.ClusterAvailability.Decision.FAIL;
import static dev.mkplat.testing.ClusterAvailability.Decision.RUN;
import static dev.mkplat.testing.ClusterAvailability.Decision.SKIP;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rule that cluster tests skip locally without a cluster but fail under CI. */
class ClusterAvailabilityTest {
    @TempDir
    Path home;

    @Test
    void withoutVariableTestsAreSkippedWithHowToGetACluster() {
        ClusterAvailability availability = ClusterAvailability.decide(Map.of(), path -> Optional.empty());
        assertThat(availability.decision()).isEqualTo(SKIP);
        assertThat(availability.reason())
                .contains("MKPLAT_TEST_KUBECONFIG is not set")
                .contains("scripts/test-cluster up");
    }

    @Test
    void underCiMissingClusterFailsInsteadOfSkipping() {
        ClusterAvailability availability = ClusterAvailability.decide(Map.of("CI", "true"), path -> Optional.empty());
        assertThat(availability.decision()).isEqualTo(FAIL);
        assertThat(availability.reason()).startsWith("CI=true and no test cluster");
    }

    @Test
    void withoutRealNodeTheRealNodeTestsAreSkippedEvenUnderCi() {
        ClusterAvailability availability =
                ClusterAvailability.decideRealNode(Map.of("CI", "true"), path -> Optional.empty());
        assertThat(availability.decision()).isEqualTo(SKIP);
        assertThat(availability.reason())
                .contains("MKPLAT_TEST_REAL_NODE_KUBECONFIG is not set")
                .contains("up --real-node");
    }

    @Test
    void aRealNodeThatWasBroughtUpButDoesNotAnswerFailsUnderCi() throws IOException {
        Path kubeconfig = Files.writeString(home.resolve("real"), "apiVersion: v1\n");
        Map<String, String> local = Map.of("MKPLAT_TEST_REAL_NODE_KUBECONFIG", kubeconfig.toString());
        Map<String, String> ci = Map.of("MKPLAT_TEST_REAL_NODE_KUBECONFIG", kubeconfig.toString(), "CI", "true");

        assertThat(ClusterAvailability.decideRealNode(local, path -> Optional.of("connection refused"))
                        .decision())
                .isEqualTo(SKIP);
        assertThat(ClusterAvailability.decideRealNode(ci, path -> Optional.of("connection refused")))
                .extracting(ClusterAvailability::decision, ClusterAvailability::reason)
                .containsExactly(
                        FAIL,
                        "CI=true and the real node's cluster is missing: MKPLAT_TEST_REAL_NODE_KUBECONFIG=" + kubeconfig
                                + ": connection refused");
        assertThat(ClusterAvailability.decideRealNode(ci, path -> Optional.empty()))
                .extracting(ClusterAvailability::decision, ClusterAvailability::kubeconfig)
                .containsExactly(RUN, Optional.of(kubeconfig));
    }

    @Test
    void missingFileIsNamed() {
        Path missing = home.resolve("nope");
        ClusterAvailability availability = ClusterAvailability.decide(
                Map.of("MKPLAT_TEST_KUBECONFIG", missing.toString()), path -> Optional.empty());
        assertThat(availability.decision()).isEqualTo(SKIP);
        assertThat(availability.reason()).contains(missing + " is not a file");
    }

    @Test
    void unreachableClusterSkipsLocallyAndFailsInCi() throws IOException {
        Path kubeconfig = Files.writeString(home.resolve("config"), "apiVersion: v1\n");
        Map<String, String> local = Map.of("MKPLAT_TEST_KUBECONFIG", kubeconfig.toString());
        Map<String, String> ci = Map.of("MKPLAT_TEST_KUBECONFIG", kubeconfig.toString(), "CI", "true");

        assertThat(ClusterAvailability.decide(local, path -> Optional.of("connection refused")))
                .extracting(ClusterAvailability::decision, ClusterAvailability::reason)
                .containsExactly(
                        SKIP,
                        "no test cluster: the cluster of MKPLAT_TEST_KUBECONFIG=" + kubeconfig
                                + " does not answer: connection refused; " + ClusterAvailability.HOW_TO_GET_ONE);
        assertThat(ClusterAvailability.decide(ci, path -> Optional.of("connection refused"))
                        .decision())
                .isEqualTo(FAIL);
    }

    @Test
    void reachableClusterRunsAndIsProbedOnce() throws IOException {
        Path kubeconfig = Files.writeString(home.resolve("config"), "apiVersion: v1\n");
        AtomicInteger probes = new AtomicInteger();
        ClusterAvailability availability = ClusterAvailability.decide(
                Map.of("MKPLAT_TEST_KUBECONFIG", kubeconfig.toString(), "CI", "true"), path -> {
                    probes.incrementAndGet();
                    assertThat(path).isEqualTo(kubeconfig);
                    return Optional.empty();
                });
        assertThat(availability.decision()).isEqualTo(RUN);
        assertThat(availability.kubeconfig()).contains(kubeconfig);
        assertThat(probes).hasValue(1);
    }
}
