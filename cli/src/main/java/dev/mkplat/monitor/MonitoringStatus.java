package dev.mkplat.monitor;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.MkplatException;
import dev.mkplat.deploy.PlatformStatus;
import dev.mkplat.kube.AutoscalerReader;
import dev.mkplat.kube.AutoscalerReader.AutoscalerState;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.ServiceProxy;
import dev.mkplat.render.ManifestBundle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code mkplat monitor status}: per service, its pods (ready/desired, restarts) and autoscaler
 * (current/desired replicas, CPU) from the cluster, and its request rate, 5xx ratio and p95 from
 * Prometheus. Reading is one method, printing is pure.
 */
public final class MonitoringStatus {
    /** The services shown, in this order: each has a Deployment, an autoscaler and a ServiceMonitor of that name. */
    public static final List<String> SERVICES = List.of("api", "auth", "images");

    private MonitoringStatus() {}

    /**
     * One service.
     *
     * @param rate       requests per second; empty when Prometheus had no number
     * @param errorRatio the share of 5xx answers (0..1)
     * @param p95        the 95th percentile of the request duration
     */
    public record ServiceStatus(
            String service,
            int ready,
            int desired,
            int restarts,
            Optional<AutoscalerState> autoscaler,
            Optional<Double> rate,
            Optional<Double> errorRatio,
            Optional<Duration> p95) {}

    /**
     * @param prometheusProblem why the Prometheus columns are empty, when they are
     */
    public record Snapshot(Instant at, List<ServiceStatus> services, Optional<String> prometheusProblem) {}

    /** Reads the cluster and asks Prometheus (a Prometheus that does not answer leaves its columns empty, with the reason). */
    public static Snapshot read(
            Cluster cluster, PlatformConfig config, PrometheusService prometheus, ManifestBundle bundle, Clock clock) {
        List<PlatformStatus.Row> rows = new PlatformStatus(bundle, clock).read(cluster, config);
        AutoscalerReader autoscalers = new AutoscalerReader(cluster);
        Map<String, Double> rates = Map.of();
        Map<String, Double> errors = Map.of();
        Map<String, Double> p95s = Map.of();
        Optional<String> problem = Optional.empty();
        try {
            ServiceProxy proxy = new ServiceProxy(cluster, Duration.ofSeconds(10));
            rates = PrometheusQuery.byJob(proxy.get(
                    prometheus.namespace(),
                    prometheus.name(),
                    prometheus.port(),
                    PrometheusQuery.path(PrometheusQuery.RATE)));
            errors = PrometheusQuery.byJob(proxy.get(
                    prometheus.namespace(),
                    prometheus.name(),
                    prometheus.port(),
                    PrometheusQuery.path(PrometheusQuery.ERROR_RATIO)));
            p95s = PrometheusQuery.byJob(proxy.get(
                    prometheus.namespace(),
                    prometheus.name(),
                    prometheus.port(),
                    PrometheusQuery.path(PrometheusQuery.P95)));
        } catch (MkplatException e) {
            problem = Optional.of(e.getMessage());
        }
        List<ServiceStatus> services = new ArrayList<>();
        for (String service : SERVICES) {
            Optional<PlatformStatus.Row> row = rows.stream()
                    .filter(candidate -> candidate.component().equals(service))
                    .findFirst();
            services.add(new ServiceStatus(
                    service,
                    row.map(PlatformStatus.Row::ready).orElse(0),
                    row.map(PlatformStatus.Row::desired).orElse(0),
                    row.map(PlatformStatus.Row::restarts).orElse(0),
                    autoscalers.read(service, service),
                    number(rates.get(service)),
                    number(errors.get(service)),
                    number(p95s.get(service)).map(seconds -> Duration.ofNanos(Math.round(seconds * 1e9)))));
        }
        return new Snapshot(clock.instant(), services, problem);
    }

    private static Optional<Double> number(Double value) {
        return value == null || value.isNaN() || value.isInfinite() ? Optional.empty() : Optional.of(value);
    }

    /** The text table. */
    public static String table(Snapshot snapshot) {
        StringBuilder text = new StringBuilder(String.format(
                Locale.ROOT,
                "%-8s %-6s %-9s %-8s %-5s %9s %7s %9s%n",
                "SERVICE",
                "PODS",
                "RESTARTS",
                "HPA",
                "CPU",
                "REQ/S",
                "5XX",
                "P95"));
        for (ServiceStatus service : snapshot.services()) {
            text.append(String.format(
                    Locale.ROOT,
                    "%-8s %-6s %-9d %-8s %-5s %9s %7s %9s%n",
                    service.service(),
                    service.ready() + "/" + service.desired(),
                    service.restarts(),
                    service.autoscaler()
                            .map(hpa -> hpa.current() + "/" + hpa.desired())
                            .orElse("-"),
                    service.autoscaler()
                            .flatMap(AutoscalerState::cpuPercent)
                            .map(cpu -> cpu + "%")
                            .orElse("-"),
                    service.rate()
                            .map(rate -> String.format(Locale.ROOT, "%.1f", rate))
                            .orElse("-"),
                    service.errorRatio()
                            .map(ratio -> String.format(Locale.ROOT, "%.1f%%", ratio * 100))
                            .orElse("-"),
                    service.p95().map(p95 -> p95.toMillis() + "ms").orElse("-")));
        }
        snapshot.prometheusProblem()
                .ifPresent(
                        problem -> text.append("prometheus: ").append(problem).append('\n'));
        return text.toString();
    }

    /** The JSON document of {@code -o json}. */
    public static String json(Snapshot snapshot) {
        JsonMapper mapper = JsonMapper.builder().build();
        ObjectNode root = mapper.createObjectNode();
        root.put("at", snapshot.at().toString());
        ArrayNode services = root.putArray("services");
        for (ServiceStatus service : snapshot.services()) {
            ObjectNode node = services.addObject();
            node.put("service", service.service());
            node.putObject("pods")
                    .put("ready", service.ready())
                    .put("desired", service.desired())
                    .put("restarts", service.restarts());
            if (service.autoscaler().isPresent()) {
                AutoscalerState hpa = service.autoscaler().get();
                ObjectNode autoscaler = node.putObject("autoscaler")
                        .put("current", hpa.current())
                        .put("desired", hpa.desired());
                hpa.cpuPercent()
                        .ifPresentOrElse(
                                cpu -> autoscaler.put("cpuPercent", cpu), () -> autoscaler.putNull("cpuPercent"));
            } else {
                node.putNull("autoscaler");
            }
            service.rate()
                    .ifPresentOrElse(
                            rate -> node.put("requestsPerSecond", rate), () -> node.putNull("requestsPerSecond"));
            service.errorRatio()
                    .ifPresentOrElse(ratio -> node.put("errorRatio", ratio), () -> node.putNull("errorRatio"));
            service.p95()
                    .ifPresentOrElse(
                            p95 -> node.put("p95Seconds", p95.toNanos() / 1e9), () -> node.putNull("p95Seconds"));
        }
        snapshot.prometheusProblem()
                .ifPresentOrElse(
                        problem -> root.put("prometheusProblem", problem), () -> root.putNull("prometheusProblem"));
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }
}
