package dev.mkplat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.cli.CliSession.Run;
import dev.mkplat.config.DefaultConfigFile;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.config.PlatformConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code mkplat init} without a cluster: the config file, the refusals, the output formats. */
class InitCommandTest {
    @TempDir
    Path work;

    @TempDir
    Path home;

    CliSession cli;
    Path hosts;

    @BeforeEach
    void session() throws Exception {
        cli = CliSession.in(work, home);
        hosts = Files.writeString(work.resolve("hosts"), "127.0.0.1 localhost\n");
    }

    @Test
    void writesTheCommentedDefaultConfigThatLoadsToTheDefaults() throws Exception {
        Path kubeconfig = Kubeconfigs.unreachable(work, "kind-dev");

        Run run = cli.run("init", "--kubeconfig", kubeconfig.toString(), "--hosts-file", hosts.toString());

        assertThat(run.out()).startsWith("wrote mkplat.yaml (commented defaults");
        assertThat(Files.readString(work.resolve("mkplat.yaml")))
                .isEqualTo(DefaultConfigFile.text())
                .contains("# hosts:");
        assertThat(PlatformConfigLoader.load(work.resolve("mkplat.yaml"), work.resolve("mkplat.yaml")))
                .isEqualTo(PlatformConfig.defaults());
    }

    @Test
    void unreachableClusterIsOneFailedCheckNamingContextAndServer() throws Exception {
        Path kubeconfig = Kubeconfigs.unreachable(work, "kind-dev");
        String server = Files.readAllLines(kubeconfig).stream()
                        .filter(line -> line.contains("server:"))
                        .findFirst()
                        .orElseThrow()
                        .replace("server:", "")
                        .strip()
                + "/"; // as the client normalises it

        Run run = cli.run("init", "--kubeconfig", kubeconfig.toString(), "--hosts-file", hosts.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.out())
                .contains("✓ the kubeconfig context is a local cluster (context kind-dev at " + server + ")");
        assertThat(run.out().lines().filter(line -> line.startsWith("×")).toList())
                .singleElement()
                .asString()
                .isEqualTo("× the Kubernetes API is reachable: cannot reach the cluster of context 'kind-dev' at "
                        + server + ": connection refused or timed out");
        assertThat(run.out())
                .contains("- RBAC allows applying every object mkplat deploys: skipped")
                .endsWith("preflight failed: 1 passed, 0 warnings, 1 failed, 8 skipped\n");
        assertThat(run.out()).doesNotContain("\tat ", "Exception");
    }

    @Test
    void remoteContextIsRefusedWithoutTouchingIt() throws Exception {
        Path kubeconfig = Kubeconfigs.unreachable(work, "gke_prod_europe-west1_main");

        Run refused = cli.run("init", "--kubeconfig", kubeconfig.toString(), "--hosts-file", hosts.toString());

        assertThat(refused.exitCode()).isEqualTo(3);
        assertThat(refused.out())
                .contains(
                        "× the kubeconfig context is a local cluster: context gke_prod_europe-west1_main at https://127.0.0.1:")
                .contains("is not a local cluster; mkplat refuses it without --allow-remote")
                .contains("or pass --allow-remote if you mean it")
                .contains("- the Kubernetes API is reachable: skipped");

        Run allowed = cli.run(
                "init", "--kubeconfig", kubeconfig.toString(), "--hosts-file", hosts.toString(), "--allow-remote");
        assertThat(allowed.out())
                .contains("✓ the kubeconfig context is a local cluster (context gke_prod_europe-west1_main at")
                .contains("remote allowed by --allow-remote")
                .contains("× the Kubernetes API is reachable");
    }

    @Test
    void malformedConfigIsExitTwoWithFileLineColumnAndNoStackTrace() throws Exception {
        Files.writeString(work.resolve("mkplat.yaml"), "domain: test\nreplicas:\n  min: 2\n  maxx: 4\n");

        Run run = cli.run(
                "init",
                "--kubeconfig",
                Kubeconfigs.unreachable(work, "kind-dev").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo(
                        "mkplat: error: mkplat.yaml:4:3: unknown key 'maxx' in replicas\n  hint: did you mean 'max'?\n");
        assertThat(run.out()).isEmpty();
        assertThat(Files.readString(work.resolve("mkplat.yaml"))).contains("maxx"); // left for the user to fix

        Run verbose = cli.run(
                "init",
                "-v",
                "--kubeconfig",
                Kubeconfigs.unreachable(work, "kind-dev").toString());
        assertThat(verbose.err())
                .contains("mkplat: error: mkplat.yaml:4:3:")
                .contains("\tat dev.mkplat.config.PlatformConfigLoader");
    }

    @Test
    void explicitConfigFileIsNamedAsGiven() throws Exception {
        Files.createDirectories(work.resolve("conf"));
        Files.writeString(work.resolve("conf/dev.yaml"), "timeouts:\n  deploy: soon\n");

        Run run = cli.run("init", "--config", "conf/dev.yaml");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .startsWith("mkplat: error: conf/dev.yaml:2:11: timeouts.deploy: 'soon' is not a duration");
    }

    @Test
    void forceReplacesTheConfigAndKeepsABackup() throws Exception {
        Files.writeString(work.resolve("mkplat.yaml"), "domain: dev.test\n");
        Path kubeconfig = Kubeconfigs.unreachable(work, "kind-dev");

        Run kept = cli.run("init", "--kubeconfig", kubeconfig.toString(), "--hosts-file", hosts.toString());
        assertThat(kept.out()).startsWith("using mkplat.yaml\n");
        assertThat(Files.readString(work.resolve("mkplat.yaml"))).isEqualTo("domain: dev.test\n");

        Run forced =
                cli.run("init", "--force", "--kubeconfig", kubeconfig.toString(), "--hosts-file", hosts.toString());
        assertThat(forced.out())
                .startsWith("replaced mkplat.yaml with the commented defaults (the old one is mkplat.yaml.bak)");
        assertThat(Files.readString(work.resolve("mkplat.yaml.bak"))).isEqualTo("domain: dev.test\n");
        assertThat(Files.readString(work.resolve("mkplat.yaml"))).isEqualTo(DefaultConfigFile.text());
    }

    @Test
    void jsonOutputIsOnlyJsonOnStdout() throws Exception {
        Run run = cli.run(
                "init",
                "-o",
                "json",
                "--kubeconfig",
                Kubeconfigs.unreachable(work, "kind-dev").toString(),
                "--hosts-file",
                hosts.toString());

        JsonNode report = JsonMapper.builder().build().readTree(run.out());
        assertThat(report.path("exitCode").asInt()).isEqualTo(3);
        assertThat(report.path("checks")).hasSize(10);
        assertThat(report.path("checks").get(0).path("status").asString()).isEqualTo("passed");
        assertThat(report.path("checks").get(1).path("status").asString()).isEqualTo("failed");
        assertThat(report.path("checks").get(1).path("severity").asString()).isEqualTo("fatal");
        assertThat(report.path("checks").get(1).path("hint").asString()).contains("--kubeconfig/--context");
        assertThat(report.path("summary").path("skipped").asInt()).isEqualTo(8);
        assertThat(run.err()).startsWith("wrote mkplat.yaml");
        assertThat(run.exitCode()).isEqualTo(3);
    }

    @Test
    void colorsOnlyOnATerminalAndNeverWithNoColor() throws Exception {
        String kubeconfig = Kubeconfigs.unreachable(work, "kind-dev").toString();
        String[] args = {"init", "--kubeconfig", kubeconfig, "--hosts-file", hosts.toString()};

        assertThat(cli.onTerminal().run(args).out()).contains("\u001b[32m✓\u001b[0m", "\u001b[31m×\u001b[0m");
        assertThat(cli.run(args).out()).doesNotContain("\u001b[");
        assertThat(cli.onTerminal().withVariable("NO_COLOR", "1").run(args).out())
                .doesNotContain("\u001b[");
        String[] noColor = {"init", "--no-color", "--kubeconfig", kubeconfig, "--hosts-file", hosts.toString()};
        assertThat(cli.onTerminal().run(noColor).out())
                .doesNotContain("\u001b[")
                .contains("✓ the kubeconfig context");
    }

    @Test
    void unknownContextIsABadUsage() throws Exception {
        Run run = cli.run(
                "init",
                "--kubeconfig",
                Kubeconfigs.unreachable(work, "kind-dev").toString(),
                "--context",
                "nope",
                "--hosts-file",
                hosts.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .startsWith("mkplat: error: context 'nope' is not in ")
                .contains("hint: contexts there: kind-dev");
    }

    @Test
    void unknownFlagIsExitTwo() {
        Run run = cli.run("init", "--frobnicate");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .startsWith("mkplat: error: Unknown option: '--frobnicate'")
                .contains("hint: see 'mkplat init --help'");
        assertThat(work.resolve("mkplat.yaml")).doesNotExist();
    }
}
