package dev.mkplat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.core.Environment;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy, diff, status and destroy through the real command line, where no cluster is needed to judge them. */
class PlatformCommandsTest {
    @TempDir
    Path work;

    @TempDir
    Path home;

    record Run(int exitCode, String out, String err) {}

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.create(new PrintWriter(out, true), new PrintWriter(err, true), Environment.of(work, home))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void unknownComponentIsExit2WithTheValidNamesBeforeAnyClusterIsAsked() {
        Run run = run(
                "deploy", "web", "--kubeconfig", work.resolve("no-such-file").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .startsWith(
                        "mkplat: error: unknown component 'web'; valid components: db, infra, auth, api, images, monitoring\n");
        assertThat(run("diff", "db", "nope").err()).contains("unknown component 'nope'");
    }

    @Test
    void unreachableClusterIsOneLineNamingContextAndServerAndExit1() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path kubeconfig = Files.writeString(work.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: ghost
                    cluster:
                      server: https://127.0.0.1:%d
                      insecure-skip-tls-verify: true
                contexts:
                  - name: ghost-context
                    context:
                      cluster: ghost
                      user: nobody
                current-context: ghost-context
                users:
                  - name: nobody
                    user:
                      token: not-a-real-token
                """.formatted(closedPort));
        for (String command : new String[] {"status", "deploy", "diff"}) {
            Run run = run(command, "--kubeconfig", kubeconfig.toString());
            assertThat(run.exitCode()).as(command).isEqualTo(1);
            assertThat(run.err().lines().toList()).as(command).hasSize(2);
            assertThat(run.err())
                    .as(command)
                    .startsWith(
                            "mkplat: error: cannot reach the cluster of context 'ghost-context' at https://127.0.0.1:"
                                    + closedPort + "/: connection refused or timed out\n")
                    .contains("  hint: ");
        }
    }

    @Test
    void unknownContextIsAUsageErrorListingTheContexts() throws IOException {
        Path kubeconfig = Files.writeString(work.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
                contexts: [{name: one, context: {cluster: c, user: u}}, {name: two, context: {cluster: c, user: u}}]
                current-context: one
                users: [{name: u, user: {token: t}}]
                """);
        Run run = run("status", "--kubeconfig", kubeconfig.toString(), "--context", "three");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("context 'three' is not in " + kubeconfig)
                .contains("contexts there: one, two");
    }

    @Test
    void destroyWithoutATerminalRefusesWithoutYes() {
        Run run = run("destroy", "--kubeconfig", work.resolve("kubeconfig").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("destroy needs confirmation and there is no terminal to ask on")
                .contains("hint: pass --yes");
    }

    @Test
    void dryRunPrintsTheWholePlatformWithSecretsRedactedAndWritesNoFile() throws IOException {
        Run run = run("deploy", "--dry-run");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .startsWith("# mkplat deploy --dry-run: ")
                .contains("kind: StatefulSet")
                .contains("name: postgres-admin")
                .contains("password: <redacted>")
                .contains("tls.key: <redacted>")
                .doesNotContainPattern("password: [A-Za-z0-9]{43}");
        try (var files = Files.list(work)) {
            assertThat(files).as("no certificates, no files").isEmpty();
        }
        assertThat(run("deploy", "--dry-run", "--no-wait").exitCode()).isEqualTo(2);
    }

    @Test
    void dryRunOfOneComponentHasOnlyItsObjects() {
        Run run = run("deploy", "--dry-run", "api");
        assertThat(run.out())
                .contains("objects of api in apply order")
                .doesNotContain("namespace: db\n")
                .contains("namespace: api\n");
    }
}
