package dev.mkplat.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Helm's errors become one line with a hint that fits them (the messages are Helm 3.16's own). */
class EmbeddedHelmTest {
    private static final ChartSource.Repository REPOSITORY = new ChartSource.Repository(
            URI.create("https://charts.example"), "example", "kube-prometheus-stack", "9.9.9");

    @Test
    void anUnknownVersionSaysWhichAndHowToPickAnother() {
        MkplatException failure = EmbeddedHelm.failure(
                "install " + REPOSITORY.describe(),
                REPOSITORY,
                "chart \"kube-prometheus-stack\" version \"9.9.9\" not found in https://charts.example repository",
                null);

        assertThat(failure.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(failure.getMessage())
                .isEqualTo("cannot install kube-prometheus-stack 9.9.9 from https://charts.example: chart "
                        + "\"kube-prometheus-stack\" version \"9.9.9\" not found in https://charts.example repository");
        assertThat(failure.hint())
                .get()
                .asString()
                .contains("has no kube-prometheus-stack 9.9.9")
                .contains("--chart-version");
    }

    @Test
    void anUnreachableRepositoryPointsAtTheAirGappedWay() {
        MkplatException failure = EmbeddedHelm.failure(
                "read the chart repository https://charts.example",
                REPOSITORY,
                "looks like \"https://charts.example\" is not a valid chart repository or cannot be reached:\n"
                        + "Get \"https://charts.example/index.yaml\": dial tcp: lookup charts.example: no such host",
                null);

        assertThat(failure.getMessage()).doesNotContain("\n").contains("cannot be reached: Get");
        assertThat(failure.hint()).get().asString().contains("--repo").contains("--chart");
    }

    @Test
    void aBrokenArchiveAsksForARealOne() {
        MkplatException failure = EmbeddedHelm.failure(
                "install the chart archive x.tgz",
                new ChartSource.Archive(Path.of("x.tgz")),
                "gzip: invalid header",
                null);

        assertThat(failure.hint()).get().asString().contains("helm package or helm pull");
    }
}
