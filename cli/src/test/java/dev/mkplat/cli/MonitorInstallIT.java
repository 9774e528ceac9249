package dev.mkplat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.sun.net.httpserver.HttpServer;
import dev.mkplat.cli.CliSession.Run;
import dev.mkplat.testing.TestCluster;
import dev.mkplat.testing.TestNamespaces;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mkplat monitor install/uninstall} through the embedded Helm against the real API server of
 * the test cluster, with a chart written for the test (test resources, {@code stand-in-chart}),
 * packaged by Helm and served from a chart repository on localhost: install, upgrade on changed
 * values and on a new version, nothing on the same inputs, uninstall; and the repository's errors
 * as one line.
 */
@TestCluster
class MonitorInstallIT {
    private static final String NAMESPACE = "monitoring";
    private static final String RELEASE = "kube-prometheus-stack";
    private static final String DEPLOYMENT = RELEASE + "-stand-in";

    @TempDir
    Path work;

    CliSession cli;
    HttpServer repository;
    String repositoryUrl;
    Path archive020;

    @BeforeEach
    void chartRepository(TestNamespaces namespaces) throws Exception {
        namespaces.adopt(NAMESPACE);
        cli = CliSession.in(work, work);
        Path charts = Files.createDirectories(work.resolve("charts"));
        Path archive010 = packageChart("0.1.0", charts);
        archive020 = packageChart("0.2.0", charts);
        repository = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        repositoryUrl = "http://127.0.0.1:" + repository.getAddress().getPort();
        Files.writeString(charts.resolve("index.yaml"), """
                apiVersion: v1
                entries:
                  kube-prometheus-stack:
                %s%s
                generated: "2026-12-02T00:00:00Z"
                """.formatted(
                        indexEntry(archive010, "0.1.0"), indexEntry(archive020, "0.2.0")));
        repository.createContext("/", exchange -> {
            Path file = charts.resolve(exchange.getRequestURI().getPath().substring(1))
                    .normalize();
            boolean served = file.startsWith(charts) && Files.isRegularFile(file);
            byte[] body = served ? Files.readAllBytes(file) : "not found\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(served ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        repository.start();
    }

    @AfterEach
    void stopRepository() {
        if (repository != null) {
            repository.stop(0);
        }
    }

    @Test
    void installsUpgradesOnChangeDoesNothingOnTheSameInputsAndUninstalls(Path kubeconfig, KubernetesClient client)
            throws Exception {
        String cluster = kubeconfig.toString();

        Run installed = cli.run(
                "monitor", "install", "--kubeconfig", cluster, "--repo", repositoryUrl, "--chart-version", "0.1.0");
        assertThat(installed.exitCode()).as(installed.toString()).isZero();
        assertThat(installed.out())
                .contains(
                        "helm: installing kube-prometheus-stack with kube-prometheus-stack 0.1.0 from " + repositoryUrl)
                .contains("ready      " + DEPLOYMENT + ": 1/1 ready")
                .contains(
                        "monitor: kube-prometheus-stack in monitoring: installed (kube-prometheus-stack 0.1.0, revision 1)");
        assertThat(replicas(client)).isEqualTo(1);
        // The generated Grafana login the bundled values point at, applied before the chart.
        assertThat(client.secrets()
                        .inNamespace(NAMESPACE)
                        .withName("grafana-admin")
                        .get()
                        .getData())
                .containsKeys("admin-user", "admin-password");
        assertThat(helmRecords(client)).isEqualTo(1);

        Path values = Files.writeString(work.resolve("values.yaml"), "replicas: 2\n");
        Run upgraded = cli.run(
                "monitor",
                "install",
                "--kubeconfig",
                cluster,
                "--repo",
                repositoryUrl,
                "--chart-version",
                "0.1.0",
                "--values",
                values.toString());
        assertThat(upgraded.exitCode()).as(upgraded.toString()).isZero();
        assertThat(upgraded.out())
                .contains(
                        "monitor: kube-prometheus-stack in monitoring: upgraded (kube-prometheus-stack 0.1.0, revision 2)");
        assertThat(replicas(client)).isEqualTo(2);

        Run same = cli.run(
                "monitor",
                "install",
                "--kubeconfig",
                cluster,
                "--repo",
                repositoryUrl,
                "--chart-version",
                "0.1.0",
                "--values",
                values.toString());
        assertThat(same.exitCode()).as(same.toString()).isZero();
        assertThat(same.out())
                .contains("nothing to do")
                .contains(
                        "monitor: kube-prometheus-stack in monitoring: unchanged (kube-prometheus-stack 0.1.0, revision 2)");
        assertThat(helmRecords(client)).as("no new revision was written").isEqualTo(2);

        Run newVersion = cli.run(
                "monitor",
                "install",
                "--kubeconfig",
                cluster,
                "--repo",
                repositoryUrl,
                "--chart-version",
                "0.2.0",
                "--values",
                values.toString());
        assertThat(newVersion.exitCode()).as(newVersion.toString()).isZero();
        assertThat(newVersion.out()).contains("upgraded (kube-prometheus-stack 0.2.0, revision 3)");

        // Air-gapped: the same chart from an archive, no repository involved.
        repository.stop(0);
        repository = null;
        Run fromArchive = cli.run(
                "monitor",
                "install",
                "--kubeconfig",
                cluster,
                "--chart",
                archive020.toString(),
                "--values",
                values.toString());
        assertThat(fromArchive.exitCode()).as(fromArchive.toString()).isZero();
        assertThat(fromArchive.out()).contains("upgraded (kube-prometheus-stack 0.2.0, revision 4)");
        Run archiveAgain = cli.run(
                "monitor",
                "install",
                "--kubeconfig",
                cluster,
                "--chart",
                archive020.toString(),
                "--values",
                values.toString());
        assertThat(archiveAgain.out())
                .as(archiveAgain.toString())
                .contains("unchanged (kube-prometheus-stack 0.2.0, revision 4)");

        Run uninstalled = cli.run("monitor", "uninstall", "--kubeconfig", cluster);
        assertThat(uninstalled.exitCode()).as(uninstalled.toString()).isZero();
        assertThat(uninstalled.out())
                .contains("helm: uninstalling kube-prometheus-stack (kube-prometheus-stack 0.2.0, revision 4)");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> client.apps()
                                .deployments()
                                .inNamespace(NAMESPACE)
                                .withName(DEPLOYMENT)
                                .get()
                        == null);
        assertThat(helmRecords(client)).isZero();
        assertThat(client.secrets()
                        .inNamespace(NAMESPACE)
                        .withName("grafana-admin")
                        .get())
                .as("mkplat's Secret stays")
                .isNotNull();

        Run again = cli.run("monitor", "uninstall", "--kubeconfig", cluster);
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("no release kube-prometheus-stack in monitoring; nothing to uninstall");
    }

    @Test
    void anUnknownVersionIsOneClearLineAndInstallsNothing(Path kubeconfig, KubernetesClient client) {
        Run run = cli.run(
                "monitor",
                "install",
                "--kubeconfig",
                kubeconfig.toString(),
                "--repo",
                repositoryUrl,
                "--chart-version",
                "9.9.9");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        List<String> lines = run.err().lines().toList();
        assertThat(lines).as(run.toString()).hasSize(2);
        assertThat(lines.get(0))
                .startsWith("mkplat: error: cannot install kube-prometheus-stack 9.9.9 from " + repositoryUrl + ": ")
                .contains("9.9.9");
        assertThat(lines.get(1)).contains("has no kube-prometheus-stack 9.9.9").contains("--chart-version");
        assertThat(helmRecords(client)).isZero();
    }

    @Test
    void anUnreachableRepositoryIsOneClearLine(Path kubeconfig, KubernetesClient client) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String unreachable = "http://127.0.0.1:" + closedPort;

        Run run = cli.run("monitor", "install", "--kubeconfig", kubeconfig.toString(), "--repo", unreachable);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        List<String> lines = run.err().lines().toList();
        assertThat(lines).as(run.toString()).hasSize(2);
        assertThat(lines.get(0))
                .startsWith("mkplat: error: cannot read the chart repository " + unreachable + ": ")
                .contains("connection refused");
        assertThat(lines.get(1)).contains("--chart");
        assertThat(helmRecords(client)).isZero();
    }

    private int replicas(KubernetesClient client) {
        Deployment deployment = client.apps()
                .deployments()
                .inNamespace(NAMESPACE)
                .withName(DEPLOYMENT)
                .get();
        return deployment.getSpec().getReplicas();
    }

    private static int helmRecords(KubernetesClient client) {
        return client.secrets()
                .inNamespace(NAMESPACE)
                .withLabels(Map.of("owner", "helm", "name", RELEASE))
                .list()
                .getItems()
                .size();
    }

    /** The stand-in chart at {@code version}, packaged by the embedded Helm into {@code destination}. */
    private Path packageChart(String version, Path destination) throws IOException, URISyntaxException {
        Path source = Path.of(MonitorInstallIT.class
                        .getResource("/dev/mkplat/monitor/stand-in-chart/Chart.yaml")
                        .toURI())
                .getParent();
        Path copy = work.resolve("chart-" + version);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        Path chartYaml = copy.resolve("Chart.yaml");
        Files.writeString(chartYaml, Files.readString(chartYaml).replace("version: 0.1.0", "version: " + version));
        new Helm(copy).packageIt().withDestination(destination).call();
        return destination.resolve("kube-prometheus-stack-" + version + ".tgz");
    }

    private static String indexEntry(Path archive, String version) throws Exception {
        String digest =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(archive)));
        return """
                  - apiVersion: v2
                    name: kube-prometheus-stack
                    version: %s
                    digest: %s
                    urls:
                      - %s
                """.formatted(version, digest, archive.getFileName());
    }
}
