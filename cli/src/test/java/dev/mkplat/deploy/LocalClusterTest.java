package dev.mkplat.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What up offers and refuses when no cluster answers, and how it reads the local cluster's script. */
class LocalClusterTest {
    @Test
    void theLocalClusterNeedsLinuxAndRoot() {
        assertThat(LocalCluster.localRefusal("Linux", 0)).isEmpty();
        assertThat(LocalCluster.localRefusal("Linux", 1000))
                .hasValueSatisfying(why -> assertThat(why).contains("needs root"));
        assertThat(LocalCluster.localRefusal("Mac OS X", 0))
                .hasValueSatisfying(why -> assertThat(why)
                        .contains("Linux only")
                        .contains("Mac OS X")
                        .contains("--start-minikube"));
    }

    @Test
    void theAdviceOffersTheLocalClusterOnlyWhereItCanStart() {
        Path script = Path.of("/src/mkplat/scripts/test-cluster");
        assertThat(new LocalCluster.Options(LocalCluster.Start.NONE, false, Optional.of(script), Optional.empty())
                        .howToGetOne())
                .contains("mkplat up --start-local")
                .contains("install minikube");
        assertThat(new LocalCluster.Options(
                                LocalCluster.Start.NONE, true, Optional.of(script), Optional.of("needs root"))
                        .howToGetOne())
                .doesNotContain("--start-local")
                .contains("mkplat up --start-minikube");
        assertThat(new LocalCluster.Options(LocalCluster.Start.NONE, true, Optional.empty(), Optional.empty())
                        .howToGetOne())
                .doesNotContain("--start-local");
    }

    @Test
    void theStartedClustersKubeconfigIsTheScriptsLastLineAndItsOutputIsShown(@TempDir Path directory) throws Exception {
        Path kubeconfig = Files.writeString(directory.resolve("kubeconfig"), "apiVersion: v1\n");
        Path script = script(
                directory,
                "echo \"cluster $MKPLAT_TEST_CLUSTER_NAME, cache $MKPLAT_CACHE, args $*\" >&2\necho " + kubeconfig
                        + "\n");
        StringWriter out = new StringWriter();

        Path started = LocalCluster.startLocal(new PrintWriter(out, true), script, Optional.of("/tmp/cache"));

        assertThat(started).isEqualTo(kubeconfig);
        assertThat(out.toString())
                .contains("starting the local cluster 'mkplat-local'")
                .contains("  cluster mkplat-local, cache /tmp/cache, args up --real-node");
    }

    @Test
    void aFailedStartIsExit1WithTheScriptsOwnMessageAbove(@TempDir Path directory) throws Exception {
        Path script = script(directory, "echo 'test-cluster: error: no go command' >&2\nexit 3\n");
        StringWriter out = new StringWriter();

        assertThatThrownBy(() -> LocalCluster.startLocal(new PrintWriter(out, true), script, Optional.empty()))
                .isInstanceOfSatisfying(MkplatException.class, failed -> {
                    assertThat(failed.exitCode()).isEqualTo(ExitCode.FAILED);
                    assertThat(failed.getMessage()).contains("exited 3");
                });
        assertThat(out.toString()).contains("  test-cluster: error: no go command");
    }

    private static Path script(Path directory, String body) throws Exception {
        Path script = directory.resolve("test-cluster");
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
