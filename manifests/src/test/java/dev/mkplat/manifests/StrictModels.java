package dev.mkplat.manifests;

import java.util.List;
import java.util.Map;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Strict typed models for the documents that neither Kubernetes model library covers: the
 * ServiceMonitor CRD (its fields as in prometheus-operator's monitoring.coreos.com/v1 API, the
 * subset the bundle uses), kustomization.yaml (only {@code resources}: the bundle is plain YAML,
 * with no generators or patches), the Secret list for the CLI and the Helm chart descriptor. An
 * unknown field fails, so a typo cannot hide.
 */
final class StrictModels {
    static final YAMLMapper STRICT = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private StrictModels() {}

    static <T> T read(JsonNode tree, Class<T> type) {
        return STRICT.treeToValue(tree, type);
    }

    /** Metadata as the bundle writes it. */
    record Metadata(String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {}

    record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {}

    record Requirement(String key, String operator, List<String> values) {}

    /** monitoring.coreos.com/v1 ServiceMonitor. */
    record ServiceMonitor(String apiVersion, String kind, Metadata metadata, ServiceMonitorSpec spec) {}

    record ServiceMonitorSpec(
            String jobLabel,
            List<String> targetLabels,
            List<String> podTargetLabels,
            NamespaceSelector namespaceSelector,
            LabelSelector selector,
            List<Endpoint> endpoints) {}

    record NamespaceSelector(Boolean any, List<String> matchNames) {}

    record Endpoint(
            String port,
            String path,
            String scheme,
            String interval,
            String scrapeTimeout,
            Boolean honorLabels,
            Boolean honorTimestamps) {}

    /** kustomization.yaml: a list of files and folders, nothing else. */
    record Kustomization(String apiVersion, String kind, List<String> resources) {}

    /** manifests/secrets.yaml. */
    record GeneratedSecrets(String apiVersion, String kind, List<GeneratedSecret> secrets) {}

    record GeneratedSecret(
            String namespace, String name, String type, String purpose, String when, Map<String, ValueSource> data) {}

    /** Where a Secret value comes from: exactly one of the four. */
    record ValueSource(String random, String config, String certificate, String file, String defaultValue) {
        @com.fasterxml.jackson.annotation.JsonCreator
        static ValueSource of(
                @com.fasterxml.jackson.annotation.JsonProperty("random") String random,
                @com.fasterxml.jackson.annotation.JsonProperty("config") String config,
                @com.fasterxml.jackson.annotation.JsonProperty("certificate") String certificate,
                @com.fasterxml.jackson.annotation.JsonProperty("file") String file,
                @com.fasterxml.jackson.annotation.JsonProperty("default") String defaultValue) {
            return new ValueSource(random, config, certificate, file, defaultValue);
        }

        int sources() {
            int count = 0;
            for (String source : new String[] {random, config, certificate, file}) {
                if (source != null) {
                    count++;
                }
            }
            return count;
        }
    }

    /** monitoring/kube-prometheus-stack/chart.yaml. */
    record Chart(
            String repository,
            String repositoryName,
            String chart,
            String version,
            String release,
            String namespace,
            String values) {}
}
