package dev.mkplat.e2e;

import static dev.mkplat.service.testing.HttpTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mkplat.check.CheckReport;
import dev.mkplat.check.CheckResult;
import dev.mkplat.core.ExitCode;
import dev.mkplat.monitor.PrometheusQuery;
import dev.mkplat.monitor.ScrapeTarget;
import dev.mkplat.monitor.TargetChecks;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.TestImages;
import dev.mkplat.slo.SloRules;
import dev.mkplat.slo.Slos;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Monitoring proven against a real Prometheus: it scrapes the three services, started locally with
 * real dependencies, with a scrape configuration made from the bundled ServiceMonitors as the
 * Prometheus Operator would make it (job {@code serviceMonitor/NS/NAME/0}, the ServiceMonitor's
 * path and scheme, the Service's name as job label). Then {@code mkplat monitor targets}' parser
 * and checks read Prometheus' real {@code /api/v1/targets} answers, all up and with one service
 * down; and every PromQL expression of the bundled dashboards parses and returns series after
 * some traffic.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringScrapeIT {
    private static final String MANIFESTS = "/mkplat/manifests/monitoring/";
    private static final List<String> DASHBOARDS =
            List.of("dashboard-services.yaml", "dashboard-domain.yaml", "dashboard-jvm.yaml");
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final byte[] PNG = TestImages.png();

    private static LocalPlatform platform;
    private static PrometheusFixture prometheus;

    @BeforeAll
    static void start() throws IOException {
        Path emulator = dev.mkplat.service.testing.GcsEmulatorFixture.binaryOrNull();
        assumeTrue(emulator != null, dev.mkplat.service.testing.GcsEmulatorFixture.MISSING);
        Path binary = PrometheusFixture.binaryOrNull();
        assumeTrue(binary != null, PrometheusFixture.MISSING);
        // Two failed logins lock a user out, so that the lockout panel has something to show.
        platform = LocalPlatform.start(
                emulator,
                Path.of("target", "fake-gcs-server-monitoring"),
                Map.of("auth", Map.of("login.max.failures", "2")));
        Path directory = Path.of("target", "prometheus-" + UUID.randomUUID());
        writeRules(directory.resolve("rules"));
        prometheus = PrometheusFixture.start(binary, directory, scrapeConfig());
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    /**
     * What the Prometheus Operator generates for each bundled ServiceMonitor, with the addresses of
     * the local services instead of discovered endpoints, and a 1 s interval instead of 15 s so that
     * the test does not wait for minutes.
     */
    static String scrapeConfig() throws IOException {
        // The rules mkplat generates from the default SLOs, evaluated every second as well.
        StringBuilder config =
                new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
                        + "rule_files:\n  - rules/*.yaml\nscrape_configs:\n");
        for (JsonNode monitor : serviceMonitors()) {
            String name = monitor.path("metadata").path("name").asString();
            String namespace = monitor.path("metadata").path("namespace").asString();
            JsonNode spec = monitor.path("spec");
            assertThat(spec.path("endpoints").size())
                    .as("one endpoint per ServiceMonitor")
                    .isEqualTo(1);
            JsonNode endpoint = spec.path("endpoints").get(0);
            assertThat(endpoint.path("port").asString())
                    .as("the Services' metrics port")
                    .isEqualTo("metrics");
            String serviceNamespace =
                    spec.path("namespaceSelector").path("matchNames").get(0).asString();
            String service = spec.path("selector")
                    .path("matchLabels")
                    .path("app.kubernetes.io/name")
                    .asString();
            config.append("  - job_name: serviceMonitor/")
                    .append(namespace)
                    .append('/')
                    .append(name)
                    .append("/0\n")
                    .append("    metrics_path: ")
                    .append(endpoint.path("path").asString())
                    .append('\n')
                    .append("    scheme: ")
                    .append(endpoint.path("scheme").asString())
                    .append('\n')
                    .append("    static_configs:\n")
                    .append("      - targets: ['127.0.0.1:")
                    .append(platform.metricsPort(service))
                    .append("']\n")
                    .append("        labels: {job: ")
                    .append(service)
                    .append(", namespace: ")
                    .append(serviceNamespace)
                    .append(", service: ")
                    .append(service)
                    .append(", endpoint: metrics, pod: ")
                    .append(service)
                    .append("-local}\n");
        }
        return config.toString();
    }

    /** The spec of each PrometheusRule mkplat renders from the default SLOs is a Prometheus rule file. */
    private static void writeRules(Path directory) throws IOException {
        Files.createDirectories(directory);
        for (HasMetadata rule : SloRules.render(Slos.defaults(), List.of("db", "infra", "auth", "api", "images"))) {
            Files.writeString(
                    directory.resolve(rule.getMetadata().getName() + ".yaml"),
                    YAML.writeValueAsString(((GenericKubernetesResource) rule)
                            .getAdditionalProperties()
                            .get("spec")));
        }
    }

    private static List<JsonNode> serviceMonitors() throws IOException {
        List<JsonNode> monitors = new ArrayList<>();
        for (String document : resource("servicemonitors.yaml").split("(?m)^---$")) {
            JsonNode tree = YAML.readTree(document);
            if (tree != null && "ServiceMonitor".equals(tree.path("kind").asString(""))) {
                monitors.add(tree);
            }
        }
        assertThat(monitors).hasSize(3);
        return monitors;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = MonitoringScrapeIT.class.getResourceAsStream(MANIFESTS + name)) {
            assertThat(in).as(name + " on the classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    @Order(1)
    void everyPlatformTargetIsUpAndMonitorTargetsSaysSo() {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ScrapeTarget.parse(prometheus.targets()).stream()
                                .filter(target -> target.health() == ScrapeTarget.Health.UP)
                                .count()
                        == 3);

        CheckReport report = new TargetChecks(
                        TargetChecks.platformMonitors(ManifestBundle.bundled()), prometheus::targets, Clock.systemUTC())
                .run(result -> {});

        assertThat(report.exitCode())
                .as(report.render(dev.mkplat.core.OutputFormat.TEXT, false))
                .isEqualTo(ExitCode.OK);
        assertThat(report.results())
                .extracting(result -> result.check().description())
                .containsExactly(
                        "Prometheus answers /api/v1/targets through the API server",
                        "Prometheus scrapes api (ServiceMonitor monitoring/api)",
                        "Prometheus scrapes auth (ServiceMonitor monitoring/auth)",
                        "Prometheus scrapes images (ServiceMonitor monitoring/images)");
        assertThat(report.results().get(2).detail()).matches("1/1 up: 127\\.0\\.0\\.1:\\d+ up, scraped \\d+s ago");
    }

    @Test
    @Order(2)
    void everyDashboardExpressionParsesAndReturnsSeriesAfterTraffic() throws IOException {
        traffic();
        Map<String, String> expressions = dashboardExpressions();
        assertThat(expressions).hasSizeGreaterThan(20);
        Map<String, String> empty = new LinkedHashMap<>();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> {
                    empty.clear();
                    for (Map.Entry<String, String> panel : expressions.entrySet()) {
                        HttpTestClient.Reply reply = prometheus.query(grafanaVariables(panel.getValue()));
                        assertThat(reply.status())
                                .as(panel.getKey() + ": " + panel.getValue() + " → " + reply.body())
                                .isEqualTo(200);
                        if (reply.json().path("data").path("result").isEmpty()) {
                            empty.put(panel.getKey(), panel.getValue());
                        }
                    }
                    return empty.isEmpty();
                });

        // The generated rules: all loaded and evaluated without error, and each SLI recorded per service.
        JsonNode groups = JsonMapper.builder()
                .build()
                .readTree(prometheus.rules())
                .path("data")
                .path("groups");
        assertThat(groups).hasSize(7);
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                assertThat(rule.path("health").asString())
                        .as(group.path("name").asString() + " / "
                                + rule.path("name").asString() + ": "
                                + rule.path("lastError").asString(""))
                        .isEqualTo("ok");
            }
        }
        // The rules run every second, on their own schedule: an evaluation from before the traffic's
        // first scrape is 0 requests over 0 (NaN, as with no traffic at all), so wait for one after it.
        await("each SLI recorded per service, as a ratio of the traffic")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    JsonNode ratios = JsonMapper.builder()
                            .build()
                            .readTree(prometheus
                                    .query(SloRules.ERROR_RATIO + "_rate5m")
                                    .body())
                            .path("data")
                            .path("result");
                    List<String> recorded = new ArrayList<>();
                    for (JsonNode series : ratios) {
                        String sli = series.path("metric").path("service").asString() + " "
                                + series.path("metric").path("slo").asString();
                        recorded.add(sli);
                        assertThat(Double.parseDouble(
                                        series.path("value").get(1).asString()))
                                .as(sli)
                                .isBetween(0.0, 1.0);
                    }
                    assertThat(recorded)
                            .containsExactlyInAnyOrder(
                                    "api availability",
                                    "api latency",
                                    "auth availability",
                                    "auth latency",
                                    "images availability",
                                    "images latency");
                });

        // monitor status' own queries, read by its parser from the real answers: a number per service.
        Map<String, Double> rates =
                PrometheusQuery.byJob(prometheus.query(PrometheusQuery.RATE).body());
        assertThat(rates).containsOnlyKeys("api", "auth", "images");
        assertThat(PrometheusQuery.byJob(
                        prometheus.query(PrometheusQuery.ERROR_RATIO).body()))
                .containsOnlyKeys("api", "auth", "images")
                .allSatisfy((job, ratio) -> assertThat(ratio).isBetween(0.0, 1.0));
        assertThat(PrometheusQuery.byJob(prometheus.query(PrometheusQuery.P95).body()))
                .containsOnlyKeys("api", "auth", "images");
    }

    @Test
    @Order(3)
    void aStoppedServiceIsDownAndItsCheckFailsWithPrometheusOwnError() {
        platform.stop("images");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ScrapeTarget.parse(prometheus.targets()).stream()
                        .anyMatch(target ->
                                target.job().equals("images") && target.health() == ScrapeTarget.Health.DOWN));

        CheckReport report = new TargetChecks(
                        TargetChecks.platformMonitors(ManifestBundle.bundled()), prometheus::targets, Clock.systemUTC())
                .run(result -> {});

        assertThat(report.exitCode()).isNotEqualTo(ExitCode.OK);
        assertThat(report.results())
                .extracting(CheckResult::status)
                .containsExactly(
                        CheckResult.Status.PASSED,
                        CheckResult.Status.PASSED,
                        CheckResult.Status.PASSED,
                        CheckResult.Status.FAILED);
        CheckResult images = report.results().get(3);
        assertThat(images.detail())
                .matches("0/1 up: 127\\.0\\.0\\.1:\\d+ down, scraped \\d+s ago: .*connection refused.*");
        assertThat(CheckReport.line(images, false))
                .startsWith("× Prometheus scrapes images (ServiceMonitor monitoring/images): 0/1 up");
    }

    /** Registrations, good and bad logins (one user locked out), items, uploads, reads and a few 404s and 401s. */
    private static void traffic() {
        HttpTestClient auth = platform.client("auth");
        HttpTestClient api = platform.client("api");
        HttpTestClient images = platform.client("images");
        String last = "";
        for (int user = 0; user < 3; user++) {
            String name = "monitoring_" + UUID.randomUUID().toString().substring(0, 8);
            String credentials = "{\"username\":\"" + name + "\",\"password\":\"correct horse battery\"}";
            assertThat(auth.post("/register", credentials).status()).isEqualTo(201);
            String token = auth.post("/login", credentials).json().path("token").asText();
            for (int i = 0; i < 5; i++) {
                assertThat(api.post("/items", "{\"name\":\"item " + i + "\"}", bearer(token))
                                .status())
                        .isEqualTo(201);
                assertThat(api.get("/items", bearer(token)).status()).isEqualTo(200);
            }
            assertThat(images.postBytes("/images/upload", PNG, bearer(token)).status())
                    .isEqualTo(201);
            assertThat(images.get("/images", bearer(token)).status()).isEqualTo(200);
            assertThat(api.get("/items/00000000-0000-0000-0000-000000000000", bearer(token))
                            .status())
                    .isEqualTo(404);
            last = name;
        }
        // Last, because the client address locks too: wrong passwords until the lockout.
        String wrong = "{\"username\":\"" + last + "\",\"password\":\"wrong password here\"}";
        for (int i = 0; i < 3; i++) {
            auth.post("/login", wrong);
        }
        assertThat(api.get("/items").status()).isEqualTo(401);
    }

    /** Every panel's expression, by "dashboard / panel title". */
    private static Map<String, String> dashboardExpressions() throws IOException {
        Map<String, String> expressions = new LinkedHashMap<>();
        JsonMapper json = JsonMapper.builder().build();
        for (String file : DASHBOARDS) {
            JsonNode configMap = YAML.readTree(resource(file));
            for (JsonNode dashboardText : configMap.path("data")) {
                JsonNode dashboard = json.readTree(dashboardText.asString());
                for (JsonNode panel : dashboard.path("panels")) {
                    int target = 0;
                    for (JsonNode query : panel.path("targets")) {
                        if (query.has("expr")) {
                            expressions.put(
                                    dashboard.path("title").asString() + " / "
                                            + panel.path("title").asString() + " #" + target++,
                                    query.path("expr").asString());
                        }
                    }
                }
            }
        }
        return expressions;
    }

    /** What Grafana sends: $__rate_interval as a duration, the multi-value $service as a regex of all three. */
    private static String grafanaVariables(String expression) {
        return expression.replace("$__rate_interval", "30s").replace("$service", "api|auth|images");
    }
}
