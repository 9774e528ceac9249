package dev.mkplat.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.config.PlatformConfigLoader;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.render.StackChart;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackValuesTest {
    @TempDir
    Path dir;

    private static final ChartSource CHART = new ChartSource.Repository(
            URI.create("https://charts.example"), "example", "kube-prometheus-stack", "75.13.0");

    @Test
    void theUsersValuesMergeIntoTheBundledOnesKeyByKeyAndReplaceLists() throws Exception {
        Path user = Files.writeString(dir.resolve("user.yaml"), """
                prometheus:
                  prometheusSpec:
                    retention: 7d
                alertmanager:
                  enabled: false
                """);
        StackValues values =
                StackValues.merge(StackChart.bundled().values(), Optional.of(user), config("domain: test\n"));

        assertThat(values.yaml())
                .contains("retention: \"7d\"")
                .doesNotContain("retention: \"3d\"")
                .contains("serviceMonitorSelectorNilUsesHelmValues: false")
                .contains("existingSecret: \"grafana-admin\"");
        assertThat(values.yaml()).containsPattern("alertmanager:\\n  alertmanagerSpec:[\\s\\S]*\\n  enabled: false");
    }

    @Test
    void grafanaFollowsTheDomainOfMkplatYaml() {
        StackValues values = StackValues.merge(
                StackChart.bundled().values(), Optional.empty(), config("domain: example.internal\n"));

        assertThat(values.yaml())
                .contains("- \"monitoring.example.internal\"")
                .contains("root_url: \"https://monitoring.example.internal\"")
                .doesNotContain("monitoring.test");
    }

    @Test
    void theFingerprintChangesWithTheValuesAndTheVersionAndNothingElse() throws Exception {
        PlatformConfig config = config("domain: test\n");
        StackValues bundled = StackValues.merge(StackChart.bundled().values(), Optional.empty(), config);
        StackValues again = StackValues.merge(StackChart.bundled().values(), Optional.empty(), config);
        StackValues changed = StackValues.merge(
                StackChart.bundled().values(), Optional.of(Files.writeString(dir.resolve("v.yaml"), "a: 1\n")), config);

        assertThat(again.fingerprint(CHART))
                .isEqualTo(bundled.fingerprint(CHART))
                .hasSize(16);
        assertThat(changed.fingerprint(CHART)).isNotEqualTo(bundled.fingerprint(CHART));
        ChartSource otherVersion = new ChartSource.Repository(
                URI.create("https://charts.example"), "example", "kube-prometheus-stack", "75.14.0");
        assertThat(bundled.fingerprint(otherVersion)).isNotEqualTo(bundled.fingerprint(CHART));
    }

    @Test
    void aValuesFileThatIsNotAMappingIsBadInput() throws Exception {
        Path list = Files.writeString(dir.resolve("list.yaml"), "- a\n- b\n");
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "a: [1,\n");

        assertThatThrownBy(() -> StackValues.merge("a: 1\n", Optional.of(list), config("domain: test\n")))
                .isInstanceOfSatisfying(
                        MkplatException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("list.yaml is not a YAML mapping");
        assertThatThrownBy(() -> StackValues.merge("a: 1\n", Optional.of(broken), config("domain: test\n")))
                .isInstanceOfSatisfying(
                        MkplatException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("cannot parse " + broken);
    }

    @Test
    void theValuesFileIsWrittenForTheOwnerOnly() throws Exception {
        Path written = StackValues.merge("a: 1\n", Optional.empty(), config("domain: test\n"))
                .writeTo(dir.resolve("values.yaml"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written)))
                .isEqualTo("rw-------");
        assertThat(Files.readString(written)).contains("a: 1");
    }

    private PlatformConfig config(String yaml) {
        try {
            Path file = Files.writeString(dir.resolve("mkplat.yaml"), yaml);
            return PlatformConfigLoader.load(file, file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
