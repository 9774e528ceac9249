package dev.mkplat.render;

import java.net.URI;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The chart mkplat installs for monitoring, as the bundle pins it in
 * {@code monitoring/kube-prometheus-stack/chart.yaml}, and the bundled values beside it.
 *
 * @param repository     the chart repository
 * @param repositoryName the name Helm gives that repository
 * @param chart          the chart's name
 * @param version        the pinned version (mkplat.yaml's monitoring.chartVersion overrides it)
 * @param release        the Helm release name
 * @param namespace      where the release goes
 * @param values         the bundled values (YAML text)
 */
public record StackChart(
        URI repository,
        String repositoryName,
        String chart,
        String version,
        String release,
        String namespace,
        String values) {
    /** The chart description's path in the bundle. */
    public static final String CHART_FILE = "monitoring/kube-prometheus-stack/chart.yaml";

    /** The chart of the bundle inside the jar. */
    public static StackChart bundled() {
        return of(ManifestSource.bundled());
    }

    /** The chart of a bundle. */
    public static StackChart of(ManifestSource source) {
        JsonNode chart = YAMLMapper.builder().build().readTree(source.read(CHART_FILE));
        String directory = CHART_FILE.substring(0, CHART_FILE.lastIndexOf('/') + 1);
        return new StackChart(
                URI.create(chart.path("repository").asString()),
                chart.path("repositoryName").asString(),
                chart.path("chart").asString(),
                chart.path("version").asString(),
                chart.path("release").asString(),
                chart.path("namespace").asString(),
                source.read(directory + chart.path("values").asString()));
    }
}
