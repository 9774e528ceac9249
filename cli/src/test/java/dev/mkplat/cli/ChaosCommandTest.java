package dev.mkplat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.cli.CliSession.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chaos commands' checks that come before any cluster is touched. */
class ChaosCommandTest {
    @TempDir
    Path work;

    @TempDir
    Path home;

    CliSession cli;

    @BeforeEach
    void session() {
        cli = CliSession.in(work, home);
    }

    @Test
    void anUnknownComponentIsBadUsageAndListsTheValidNames() throws Exception {
        Path kubeconfig = Kubeconfigs.unreachable(work, "kind-dev");

        Run run = cli.run("chaos", "kill-pod", "apii", "--kubeconfig", kubeconfig.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err())
                .startsWith("mkplat: error: unknown component 'apii'\n")
                .contains("hint: valid components: postgres, redis, gcs-emulator, auth, api, images");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aRemoteContextIsRefusedBeforeItIsTouched() throws Exception {
        Path kubeconfig = Kubeconfigs.unreachable(work, "gke_prod_europe-west1_main");

        Run refused = cli.run("chaos", "kill-pod", "api", "--kubeconfig", kubeconfig.toString());

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
        assertThat(refused.err())
                .contains("context gke_prod_europe-west1_main at https://127.0.0.1:")
                .contains("is not a local cluster; chaos refuses to break it")
                .contains("--allow-remote");

        // Allowed, it goes on to connect, and fails there: the closed port answers nothing.
        Run allowed = cli.run("chaos", "kill-pod", "api", "--kubeconfig", kubeconfig.toString(), "--allow-remote");
        assertThat(allowed.exitCode()).isEqualTo(1);
        assertThat(allowed.err()).contains("cannot reach the cluster of context 'gke_prod_europe-west1_main'");
    }

    @Test
    void badNumbersAreBadUsage() {
        Run count = cli.run("chaos", "kill-pod", "api", "--count", "0");
        assertThat(count.exitCode()).isEqualTo(2);
        assertThat(count.err()).contains("--count must be at least 1, was 0");

        Run timeout = cli.run("chaos", "kill-pod", "api", "--timeout", "soon");
        assertThat(timeout.exitCode()).isEqualTo(2);
        assertThat(timeout.err()).contains("'soon' is not a duration");
    }

    @Test
    void trafficOptionsNeedWithTrafficAndParse() {
        Run alone = cli.run("chaos", "kill-pod", "api", "--rps", "5", "--steady", "errors<1%");
        assertThat(alone.exitCode()).as(alone.toString()).isEqualTo(2);
        assertThat(alone.err())
                .contains("--rps, --steady apply only with --with-traffic")
                .contains("hint: add --with-traffic");

        Run threshold = cli.run("chaos", "stop", "redis", "--with-traffic", "--steady", "errors<1");
        assertThat(threshold.exitCode()).as(threshold.toString()).isEqualTo(2);
        assertThat(threshold.err()).contains("threshold 'errors<1': errors is a percentage");

        Run rate = cli.run("chaos", "partition", "api", "auth", "--with-traffic", "--rps", "0");
        assertThat(rate.exitCode()).as(rate.toString()).isEqualTo(2);
        assertThat(rate.err()).contains("--rps must be above 0");
    }
}
