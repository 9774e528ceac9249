package dev.mkplat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import dev.mkplat.testing.RealNodePlatform;
import dev.mkplat.testing.RealNodePlatform.Answer;
import dev.mkplat.testing.RealNodePlatform.Run;
import dev.mkplat.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Monitoring on the real node of {@code scripts/test-cluster up --real-node}: the Prometheus
 * Operator and Prometheus, built from their Go modules into images ({@code scripts/images
 * monitoring}), installed by {@code mkplat up --monitor-chart} from the chart in this module's test
 * resources (kube-prometheus-stack cannot run offline: Grafana cannot be built here); the operator
 * turns the platform's ServiceMonitors into Prometheus' scrape configuration, Prometheus scrapes the
 * services through their NetworkPolicies, and {@code mkplat monitor targets} says ✓ for each, and ×
 * once a service is scaled to 0.
 */
@TestCluster(realNode = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringOnRealNodeIT {
    private static final List<String> SERVICES = List.of("api", "auth", "images");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The operator's CRDs the chart brings: those of the Prometheus controller (Alertmanager, Thanos and agents are not run). */
    private static final List<String> CRDS =
            List.of("prometheuses", "servicemonitors", "podmonitors", "probes", "prometheusrules", "scrapeconfigs");
    /** Six service JVMs and Prometheus starting on a node that other work keeps busy (docs/capacity.md). */
    private static final Duration TARGETS_WITHIN = Duration.ofMinutes(6);

    private RealNodePlatform platform;
    private Path checkout;
    private Path work;
    private KubernetesClient client;
    private boolean installed;

    @BeforeAll
    void platformWithMonitoringUp(KubernetesClient client, Path kubeconfig) throws IOException, URISyntaxException {
        this.client = client;
        platform = RealNodePlatform.on(client, kubeconfig, "monitoring");
        checkout = platform.checkout();
        work = platform.work();

        // Prometheus, the operator and its config reloader as images in the node's registry (built
        // once into the cache; scripts/test builds them before the tests, with its progress).
        Path images = Path.of(script(checkout.resolve("scripts/images").toString(), "monitoring", "push")
                .strip()
                .lines()
                .toList()
                .getLast());
        Path archive = packageChart(images.resolve("crds"));

        platform.loadImages();

        Files.writeString(work.resolve("mkplat.yaml"), "timeouts:\n  deploy: 10m\n  stage: 9m\n");
        Run up = mkplat("up", "--monitor-chart", archive.toString());
        installed = true;
        assertThat(up.exitCode()).as(up.all()).isZero();
        assertThat(up.out())
                .as(up.all())
                .contains("monitor: kube-prometheus-stack in monitoring: installed")
                .doesNotContain("warning: mkplat monitor install exited");
    }

    @AfterAll
    void platformDown() {
        if (!installed) {
            return;
        }
        Run uninstall = mkplat("monitor", "uninstall");
        Run destroy = mkplat("destroy", "--yes", "--purge-data");
        // Helm never deletes CRDs; the next class on this node starts without them, as on a fresh cluster.
        for (String crd : CRDS) {
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(crd + ".monitoring.coreos.com")
                    .delete();
        }
        assertThat(uninstall.exitCode()).as(uninstall.all()).isZero();
        assertThat(destroy.exitCode()).as(destroy.all()).isZero();
    }

    @Test
    @Order(1)
    void prometheusScrapesEveryPlatformServiceAndMonitorTargetsSaysSo() {
        Run targets = Awaitility.await("every platform target up in mkplat monitor targets")
                .atMost(TARGETS_WITHIN)
                .pollInterval(Duration.ofSeconds(10))
                .until(() -> mkplat("monitor", "targets"), run -> run.exitCode() == 0);
        System.out.println("mkplat monitor targets, every target up:\n" + targets.out());
        // The autoscalers may have added pods while the JVMs started: n/n, whatever n is.
        for (String service : SERVICES) {
            assertThat(targets.out())
                    .containsPattern("✓ Prometheus scrapes " + service + " \\(ServiceMonitor monitoring/" + service
                            + "\\) \\((\\d+)/\\1 up: ");
        }
        assertThat(targets.out()).contains("every platform target is up");
        // The operator made the scrape pools from the ServiceMonitors: Prometheus' own answer names them.
        String answer = client.raw(
                "/api/v1/namespaces/monitoring/services/kube-prometheus-stack-prometheus:http-web/proxy/api/v1/targets?state=active");
        for (String service : SERVICES) {
            assertThat(answer).contains("\"scrapePool\":\"serviceMonitor/monitoring/" + service + "/0\"");
        }
    }

    @Test
    @Order(2)
    void aServiceScaledToZeroIsMarkedDown() {
        client.apps().deployments().inNamespace("images").withName("images").scale(0);
        Run targets = Awaitility.await("images without targets in mkplat monitor targets")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(5))
                .until(
                        () -> mkplat("monitor", "targets"),
                        run -> run.exitCode() == 3 && run.out().contains("× Prometheus scrapes images"));
        System.out.println("mkplat monitor targets, images scaled to 0:\n" + targets.out());
        assertThat(targets.out())
                .contains("✓ Prometheus scrapes api", "✓ Prometheus scrapes auth", "not every platform target is up");
    }

    /**
     * The rules generated from the SLOs load into the operator's Prometheus, and while {@code mkplat
     * chaos stop postgres} holds, api's availability page fires: its 1h and 5m error ratios over
     * 13.44 times the budget. The requests go to api's pods themselves, not through the ingress:
     * api's readiness checks Postgres, so within 15 s of the stop the ingress stops sending to api
     * and answers 503 itself, which api's own metrics never count; the pods, still live, keep
     * answering 503 while the database is away, as they do for a client already connected to them.
     */
    @Test
    @Order(3)
    void theRulesLoadAndApisAvailabilityPagesWhilePostgresIsStopped() throws Exception {
        String rules = Awaitility.await("the generated rule groups loaded, every rule healthy")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(5))
                .until(
                        () -> prometheus("/api/v1/rules"),
                        answer -> Stream.of("api", "auth", "images")
                                        .allMatch(service ->
                                                answer.contains("\"name\":\"mkplat-slo-" + service + "-alerts\""))
                                && answer.contains("\"name\":\"mkplat-workloads\"")
                                && !answer.contains("\"health\":\"err\"")
                                && !answer.contains("\"health\":\"unknown\""));
        assertThat(rules).contains("\"name\":\"MkplatErrorBudgetBurn\"");

        String token = token();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Path journal = work.resolve("stop-postgres.json");
        ExecutorService runner = Executors.newSingleThreadExecutor();
        // In a JVM of its own, as a user starts it: in process it would share the common pool with
        // this test's Kubernetes client through the whole stop.
        CompletableFuture<Run> stop = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return platform.mkplatJar(
                                List.of(),
                                List.of(
                                        "chaos",
                                        "stop",
                                        "postgres",
                                        "--duration",
                                        "2m",
                                        "--journal",
                                        journal.toString(),
                                        "--kubeconfig",
                                        platform.kubeconfig().toString()),
                                10);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                runner);
        runner.shutdown();
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        String firing = Awaitility.await("api's availability page firing while postgres is stopped")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(5))
                .until(
                        () -> {
                            if (!stop.isDone()) {
                                statuses.addAll(askApisPods(http, token));
                            }
                            return prometheus("/api/v1/alerts");
                        },
                        answer -> stop.isDone() || firingPage(answer).isPresent());
        assertThat(firingPage(firing))
                .as("api's page in " + firing + "; api answered " + statuses + "; the stop: "
                        + (stop.isDone() ? stop.get().all() : "still running"))
                .isPresent();
        System.out.println("Prometheus' firing alert during chaos stop postgres:\n"
                + firingPage(firing).get());
        assertThat(statuses).contains(503);

        Run run = stop.get(10, TimeUnit.MINUTES);
        System.out.println("mkplat chaos stop postgres:\n" + run.out());
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out()).contains("recovered: postgres");
    }

    /** The firing page of api's availability SLO in an answer of /api/v1/alerts, if there is one. */
    private static Optional<JsonNode> firingPage(String answer) {
        for (JsonNode alert : JSON.readTree(answer).path("data").path("alerts")) {
            JsonNode labels = alert.path("labels");
            if (labels.path("alertname").asString().equals("MkplatErrorBudgetBurn")
                    && labels.path("service").asString().equals("api")
                    && labels.path("slo").asString().equals("availability")
                    && labels.path("severity").asString().equals("page")
                    && alert.path("state").asString().equals("firing")) {
                return Optional.of(alert);
            }
        }
        return Optional.empty();
    }

    /** One GET /items to each of api's pods, by its address (the node reaches its pods' ports). */
    private List<Integer> askApisPods(HttpClient http, String token) {
        List<Integer> statuses = new ArrayList<>();
        for (Pod pod : client.pods()
                .inNamespace("api")
                .withLabel("app.kubernetes.io/name", "api")
                .list()
                .getItems()) {
            String ip = pod.getStatus().getPodIP();
            if (ip == null || ip.isEmpty()) {
                continue;
            }
            try {
                statuses.add(http.send(
                                HttpRequest.newBuilder(URI.create("http://" + ip + ":3000/items"))
                                        .header("Authorization", "Bearer " + token)
                                        .timeout(Duration.ofSeconds(15))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode());
            } catch (IOException e) {
                statuses.add(0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return statuses;
    }

    /** A user's token, through the ingress, while Postgres still holds the users. */
    private String token() {
        String user = "{\"username\":\"alert-" + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"password\":\"correct horse battery\"}";
        List<String> json = List.of("-H", "Content-Type: application/json", "--data", user);
        Answer registered = Awaitility.await("a registration through the ingress")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> platform.curl("POST", "https://auth.test/register", json, 15), a -> a.status() == 201);
        assertThat(registered.status()).isEqualTo(201);
        Answer login = platform.curl("POST", "https://auth.test/login", json, 15);
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        return JSON.readTree(login.body()).path("token").asString();
    }

    /** Prometheus' HTTP API, through the API server's service proxy, as mkplat monitor targets asks it. */
    private String prometheus(String path) {
        return client.raw(
                "/api/v1/namespaces/monitoring/services/kube-prometheus-stack-prometheus:http-web/proxy" + path);
    }

    // --- the chart and the project's scripts

    /** The chart of the test resources with the operator's CRDs in crds/, packaged by the embedded Helm. */
    private Path packageChart(Path crds) throws IOException, URISyntaxException {
        Path source = Path.of(MonitoringOnRealNodeIT.class
                        .getResource("/dev/mkplat/monitor/operator-chart/Chart.yaml")
                        .toURI())
                .getParent();
        Path chart = work.resolve("operator-chart");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = chart.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        Files.createDirectories(chart.resolve("crds"));
        for (String crd : CRDS) {
            String file = "monitoring.coreos.com_" + crd + ".yaml";
            Files.copy(crds.resolve(file), chart.resolve("crds").resolve(file));
        }
        new Helm(chart).packageIt().withDestination(work).call();
        try (Stream<Path> archives = Files.list(work)) {
            return archives.filter(file -> file.getFileName().toString().endsWith(".tgz"))
                    .findFirst()
                    .orElseThrow();
        }
    }

    /** Runs one of the checkout's scripts; its progress goes to this test's output, its answer is returned. */
    private String script(String... command) {
        try {
            Path log = Files.createTempFile(work, "script", ".log");
            Process process = new ProcessBuilder(command)
                    .directory(checkout.toFile())
                    .redirectError(log.toFile())
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean done = process.waitFor(60, TimeUnit.MINUTES);
            String err = Files.readString(log);
            System.err.print(err);
            assertThat(done).as(String.join(" ", command) + " finished").isTrue();
            assertThat(process.exitValue())
                    .as(String.join(" ", command) + ": " + err)
                    .isZero();
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // --- the CLI, in process

    private Run mkplat(String... args) {
        return platform.mkplat(args);
    }
}
