package dev.mkplat.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The monitoring component: a ServiceMonitor per service that finds its Service and port, Grafana
 * dashboards built only on metrics that really exist, and kube-prometheus-stack values that pick
 * the ServiceMonitors up, use the generated admin Secret and serve Grafana at monitoring.test.
 */
class MonitoringTest {
    static final String CHART = "monitoring/kube-prometheus-stack/chart.yaml";
    static final String CHART_VERSION = "75.13.0";
    /** PromQL keywords, functions and label names: not metric names. */
    private static final Set<String> PROMQL_WORDS = Set.of(
            "sum",
            "by",
            "rate",
            "histogram_quantile",
            "increase",
            "avg",
            "max",
            "min",
            "count",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "and",
            "or",
            "unless",
            "le",
            "job",
            "pod",
            "route",
            "method",
            "status",
            "query",
            "result",
            "scope",
            "gc",
            "area",
            "bool",
            "offset",
            "service",
            "slo");
    /**
     * Series the PrometheusRules that mkplat generates from the SLOs record (cli's
     * dev.mkplat.slo.SloRules; its SloRulesTest checks that it records each one a dashboard uses).
     */
    private static final Set<String> SLO_RECORDINGS =
            Set.of("slo:period_error_budget_remaining:ratio", "slo:sli_error:ratio_rate1h", "slo:error_budget:ratio");

    static StrictModels.Chart chart() {
        return StrictModels.read(
                Bundle.readDocuments(Bundle.get().dir(), CHART).get(0).tree(), StrictModels.Chart.class);
    }

    static JsonNode values() {
        Path chartDir = Bundle.get().dir().resolve(CHART).getParent();
        return Bundle.readDocuments(chartDir, chart().values()).get(0).tree();
    }

    @Test
    void theChartIsPinned() {
        StrictModels.Chart chart = chart();
        assertThat(chart.chart()).isEqualTo("kube-prometheus-stack");
        assertThat(chart.version()).isEqualTo(CHART_VERSION);
        assertThat(chart.namespace()).isEqualTo("monitoring");
        assertThat(chart.repository()).startsWith("https://");
        assertThat(Bundle.get().dir().resolve(CHART).resolveSibling(chart.values()))
                .isRegularFile();
    }

    @Test
    void theValuesSelectEveryServiceMonitorAndServeGrafanaWithTheGeneratedLogin() {
        JsonNode values = values();
        JsonNode prometheus = values.path("prometheus").path("prometheusSpec");
        assertThat(prometheus.path("serviceMonitorSelectorNilUsesHelmValues").isBoolean())
                .isTrue();
        assertThat(prometheus.path("serviceMonitorSelectorNilUsesHelmValues").asBoolean())
                .isFalse();

        JsonNode grafana = values.path("grafana");
        assertThat(grafana.path("admin").path("existingSecret").asString()).isEqualTo("grafana-admin");
        assertThat(grafana.has("adminPassword")).as("no literal admin password").isFalse();
        JsonNode ingress = grafana.path("ingress");
        assertThat(ingress.path("enabled").asBoolean()).isTrue();
        assertThat(ingress.path("ingressClassName").asString()).isEqualTo("nginx");
        assertThat(ingress.path("hosts").values())
                .extracting(JsonNode::asString)
                .containsExactly("monitoring.test");
        assertThat(ingress.path("tls").values()).singleElement().satisfies(tls -> {
            assertThat(tls.path("secretName").asString()).isEqualTo("platform-tls");
            assertThat(tls.path("hosts").values())
                    .extracting(JsonNode::asString)
                    .containsExactly("monitoring.test");
        });
        JsonNode dashboards = grafana.path("sidecar").path("dashboards");
        assertThat(dashboards.path("enabled").asBoolean()).isTrue();
        assertThat(dashboards.path("label").asString()).isEqualTo("grafana_dashboard");
        assertThat(dashboards.path("labelValue").asString()).isEqualTo("1");
    }

    @Test
    void everyComponentOfTheChartHasRequestsSizedForMinikube() {
        JsonNode values = values();
        for (JsonNode resources : List.of(
                values.path("prometheus").path("prometheusSpec").path("resources"),
                values.path("alertmanager").path("alertmanagerSpec").path("resources"),
                values.path("prometheusOperator").path("resources"),
                values.path("kube-state-metrics").path("resources"),
                values.path("prometheus-node-exporter").path("resources"),
                values.path("grafana").path("resources"),
                values.path("grafana").path("sidecar").path("resources"))) {
            assertThat(resources.path("requests").propertyNames()).containsExactlyInAnyOrder("cpu", "memory");
            assertThat(resources.path("limits").has("memory")).isTrue();
        }
    }

    @Test
    void eachServiceHasAServiceMonitorThatFindsItsServiceAndMetricsPort() {
        List<Bundle.Document> monitors = Bundle.get().ofKind("ServiceMonitor");
        assertThat(monitors)
                .extracting(Bundle.Document::name)
                .containsExactlyInAnyOrderElementsOf(ServiceContract.SERVICES.stream()
                        .map(ServiceContract.Service::name)
                        .toList());
        for (Bundle.Document document : monitors) {
            StrictModels.ServiceMonitor monitor = StrictModels.read(document.tree(), StrictModels.ServiceMonitor.class);
            List<String> namespaces = monitor.spec().namespaceSelector().matchNames();
            assertThat(namespaces).hasSize(1);
            List<Bundle.Document> services = Bundle.get().ofKind("Service").stream()
                    .filter(s -> s.namespace().equals(namespaces.get(0)))
                    .filter(s -> labels(s)
                            .entrySet()
                            .containsAll(monitor.spec().selector().matchLabels().entrySet()))
                    .toList();
            assertThat(services)
                    .as(document.where() + " selects exactly one Service")
                    .hasSize(1);
            Service service = services.get(0).as(Service.class);
            for (StrictModels.Endpoint endpoint : monitor.spec().endpoints()) {
                assertThat(service.getSpec().getPorts())
                        .as(document.where() + " port " + endpoint.port())
                        .anyMatch(p -> p.getName().equals(endpoint.port()));
                assertThat(endpoint.path()).isEqualTo(ServiceContract.METRICS_PATH);
                assertThat(endpoint.scheme()).isEqualTo("http");
            }
            assertThat(monitor.spec().jobLabel())
                    .as("job = the service name, as the dashboards expect")
                    .isEqualTo("app.kubernetes.io/name");
            assertThat(labels(services.get(0))).containsEntry("app.kubernetes.io/name", document.name());
        }
    }

    @Test
    void dashboardsAreConfigMapsTheSidecarLoads() {
        List<Bundle.Document> dashboards = dashboards();
        assertThat(dashboards).hasSize(3);
        Set<String> uids = new HashSet<>();
        for (Bundle.Document document : dashboards) {
            assertThat(document.namespace()).isEqualTo("monitoring");
            assertThat(document.tree().path("data").size()).isEqualTo(1);
            document.tree().path("data").forEachEntry((file, json) -> {
                assertThat(file).endsWith(".json");
                JsonNode dashboard = JsonMapper.builder().build().readTree(json.asString());
                assertThat(uids.add(dashboard.path("uid").asString()))
                        .as("unique uid")
                        .isTrue();
                assertThat(dashboard.path("title").asString()).startsWith("mkplat / ");
                assertThat(dashboard.path("panels").size()).isPositive();
            });
        }
    }

    @Test
    void dashboardsUseOnlyMetricsTheServicesExport() throws IOException {
        Set<String> exported = new TreeSet<>();
        exported.addAll(withSeriesSuffixes(ServiceContract.SERVICE_METRICS));
        exported.addAll(jvmSeries());
        exported.addAll(ServiceContract.PROMETHEUS_SERIES);
        exported.addAll(SLO_RECORDINGS);

        Set<String> used = new TreeSet<>();
        for (String expression : expressions()) {
            used.addAll(metricNames(expression));
        }

        assertThat(exported).as("metrics the dashboards query").containsAll(used);
        for (String metric : ServiceContract.SERVICE_METRICS) {
            assertThat(used).as("some panel shows " + metric).anyMatch(name -> name.startsWith(metric));
        }
    }

    @Test
    void theMetricNamesAreTheServicesOwnConstants() throws IOException {
        Path services = Bundle.repositoryDir().resolve("services");
        Assumptions.assumeTrue(Files.isDirectory(services), "no services/ beside manifests/");
        StringBuilder sources = new StringBuilder();
        try (Stream<Path> files = Files.walk(services)) {
            for (Path file : files.filter(
                            f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/java/"))
                    .toList()) {
                sources.append(Files.readString(file));
            }
        }
        for (String metric : ServiceContract.SERVICE_METRICS) {
            assertThat(sources).as("a service declares \"" + metric + "\"").contains("\"" + metric + "\"");
        }
    }

    static List<Bundle.Document> dashboards() {
        return Bundle.get().ofKind("ConfigMap").stream()
                .filter(d -> "1".equals(d.label("grafana_dashboard")))
                .toList();
    }

    static List<String> expressions() {
        List<String> expressions = new java.util.ArrayList<>();
        for (Bundle.Document document : dashboards()) {
            document.tree()
                    .path("data")
                    .forEachEntry((file, json) ->
                            collect(JsonMapper.builder().build().readTree(json.asString()), expressions));
        }
        return expressions;
    }

    private static void collect(JsonNode node, List<String> expressions) {
        if (node.isObject()) {
            node.forEachEntry((key, value) -> {
                if ((key.equals("expr") || key.equals("definition")) && value.isString()) {
                    expressions.add(value.asString());
                } else {
                    collect(value, expressions);
                }
            });
        } else if (node.isArray()) {
            node.values().forEach(value -> collect(value, expressions));
        }
    }

    /** Identifiers of an expression that are neither keywords, functions, label names nor durations. */
    static Set<String> metricNames(String expression) {
        String withoutStrings = expression.replaceAll("\"[^\"]*\"", "\"\"").replaceAll("\\[[^]]*]", "");
        String withoutMatchers = withoutStrings.replaceAll("\\{[^}]*}", "");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(withoutMatchers);
        while (m.find()) {
            String word = m.group();
            if (!PROMQL_WORDS.contains(word) && !word.equals("label_values")) {
                names.add(word);
            }
        }
        return names;
    }

    private static Set<String> withSeriesSuffixes(Set<String> families) {
        Set<String> series = new TreeSet<>();
        for (String family : families) {
            series.add(family);
            for (String suffix : List.of("_bucket", "_sum", "_count")) {
                series.add(family + suffix);
            }
        }
        return series;
    }

    /** The series the Prometheus Java client's JVM metrics expose, scraped from a real registry. */
    static Set<String> jvmSeries() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        Set<String> series = new TreeSet<>();
        out.toString(java.nio.charset.StandardCharsets.UTF_8)
                .lines()
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .forEach(line -> series.add(line.split("[{ ]", 2)[0]));
        assertThat(series).contains("jvm_memory_used_bytes", "process_cpu_seconds_total");
        return series;
    }

    private static Map<String, String> labels(Bundle.Document document) {
        Map<String, String> labels = new HashMap<>();
        document.labels().forEachEntry((key, value) -> labels.put(key, value.asString()));
        return labels;
    }
}
