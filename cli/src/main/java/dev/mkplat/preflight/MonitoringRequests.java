package dev.mkplat.preflight;

import dev.mkplat.kube.PodRequests;
import io.fabric8.kubernetes.api.model.Quantity;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What the monitoring stack requests, read from its chart values: every {@code resources.requests}
 * in them (each component of kube-prometheus-stack runs one pod on a one-node cluster, and each
 * sidecar's requests are its own), plus what the chart adds that the values do not show: the two
 * config reloaders, with the chart's own defaults, and Grafana's datasources sidecar, which runs
 * beside the dashboards sidecar with the same {@code grafana.sidecar.resources}.
 */
final class MonitoringRequests {
    /** The chart's config-reloader sidecars of Prometheus and Alertmanager, about 10m and 50 MiB each. */
    static final PodRequests CONFIG_RELOADERS = new PodRequests(20, 100L << 20);

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private MonitoringRequests() {}

    static PodRequests of(String valuesYaml) {
        JsonNode values = YAML.readTree(valuesYaml);
        PodRequests datasourcesSidecar = requests(values.path("grafana").path("sidecar"));
        return sum(values).plus(datasourcesSidecar).plus(CONFIG_RELOADERS);
    }

    private static PodRequests requests(JsonNode node) {
        JsonNode requests = node.path("resources").path("requests");
        return requests.isObject()
                ? new PodRequests(millis(requests.path("cpu")), bytes(requests.path("memory")))
                : PodRequests.NONE;
    }

    private static PodRequests sum(JsonNode node) {
        if (node == null || !node.isObject()) {
            return PodRequests.NONE;
        }
        PodRequests total = requests(node);
        for (var entry : node.properties()) {
            if (!"resources".equals(entry.getKey())) {
                total = total.plus(sum(entry.getValue()));
            }
        }
        return total;
    }

    private static long millis(JsonNode value) {
        return value.isMissingNode()
                ? 0
                : Quantity.getAmountInBytes(new Quantity(value.asString()))
                        .movePointRight(3)
                        .longValue();
    }

    private static long bytes(JsonNode value) {
        return value.isMissingNode()
                ? 0
                : Quantity.getAmountInBytes(new Quantity(value.asString())).longValue();
    }
}
