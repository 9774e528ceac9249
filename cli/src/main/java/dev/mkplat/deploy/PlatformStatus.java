package dev.mkplat.deploy;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.ClusterView;
import dev.mkplat.kube.ObjectRef;
import dev.mkplat.kube.WorkloadReader;
import dev.mkplat.kube.WorkloadReadiness;
import dev.mkplat.kube.WorkloadState;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.render.PlatformRenderer;
import dev.mkplat.render.RenderedPlatform;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** {@code mkplat status}: one row per component, read from the cluster and judged by the readiness rules. */
public final class PlatformStatus {
    private final ManifestBundle bundle;
    private final Clock clock;

    public PlatformStatus(ManifestBundle bundle, Clock clock) {
        this.bundle = bundle;
        this.clock = clock;
    }

    /**
     * One component.
     *
     * @param component the component (its namespace has the same name)
     * @param namespace the namespace
     * @param ready     ready replicas over all its workloads
     * @param desired   wanted replicas over all its workloads
     * @param restarts  container restarts over all its pods
     * @param age       since its oldest workload (or namespace) was created; empty when it is missing
     * @param images    the images its workloads run
     * @param urls      what its Ingresses serve
     * @param healthy   the namespace exists and every workload is ready
     * @param problems  why it is not healthy
     */
    public record Row(
            String component,
            String namespace,
            int ready,
            int desired,
            int restarts,
            Optional<Duration> age,
            List<String> images,
            List<String> urls,
            boolean healthy,
            List<String> problems) {
        public Row {
            images = List.copyOf(images);
            urls = List.copyOf(urls);
            problems = List.copyOf(problems);
        }
    }

    public List<Row> read(Cluster cluster, PlatformConfig config) {
        RenderedPlatform rendered = PlatformRenderer.render(bundle, config);
        WorkloadReader workloads = new WorkloadReader(cluster);
        ClusterView view = new ClusterView(cluster);
        List<Row> rows = new ArrayList<>();
        Instant now = clock.instant();
        rendered.components().forEach((component, objects) -> {
            if (!view.namespaceExists(component)) {
                rows.add(new Row(
                        component,
                        component,
                        0,
                        0,
                        0,
                        Optional.empty(),
                        List.of(),
                        List.of(),
                        false,
                        List.of("not deployed")));
                return;
            }
            int ready = 0;
            int desired = 0;
            int restarts = 0;
            Optional<Instant> oldest = Optional.empty();
            Set<String> images = new LinkedHashSet<>();
            List<String> problems = new ArrayList<>();
            for (HasMetadata object : objects) {
                if (!WorkloadReadiness.waitsFor(object.getKind())
                        || object.getKind().equals("PersistentVolumeClaim")) {
                    continue;
                }
                WorkloadState state = workloads.read(ObjectRef.of(object));
                ready += state.readyCount();
                desired += Math.max(state.desired(), state.exists() ? 0 : 1);
                restarts += state.restarts();
                images.addAll(state.images());
                if (state.created().isPresent()
                        && (oldest.isEmpty() || state.created().get().isBefore(oldest.get()))) {
                    oldest = state.created();
                }
                if (!state.ready()) {
                    problems.add(state.progressLine());
                }
            }
            rows.add(new Row(
                    component,
                    component,
                    ready,
                    desired,
                    restarts,
                    oldest.map(created -> Duration.between(created, now)),
                    List.copyOf(images),
                    view.ingressUrls(component),
                    problems.isEmpty(),
                    problems));
        });
        return rows;
    }

    /** The table {@code status} prints. */
    public static String table(List<Row> rows) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"COMPONENT", "NAMESPACE", "READY", "RESTARTS", "AGE", "IMAGE", "URL"});
        for (Row row : rows) {
            lines.add(new String[] {
                row.component(),
                row.namespace(),
                row.desired() == 0 ? "-" : row.ready() + "/" + row.desired(),
                String.valueOf(row.restarts()),
                row.age().map(PlatformStatus::age).orElse("-"),
                row.images().isEmpty() ? "-" : String.join(",", row.images()),
                row.urls().isEmpty() ? "-" : String.join(",", row.urls())
            });
        }
        int[] widths = new int[lines.getFirst().length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (String[] line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                text.append(i == line.length - 1 ? line[i] : String.format("%-" + (widths[i] + 2) + "s", line[i]));
            }
            table.append(text.toString().stripTrailing()).append('\n');
        }
        for (Row row : rows) {
            row.problems()
                    .forEach(problem -> table.append("  ")
                            .append(row.component())
                            .append(": ")
                            .append(problem)
                            .append('\n'));
        }
        return table.toString();
    }

    /** The rows for programs: JSON or YAML, ages in seconds. */
    public static String structured(List<Row> rows, boolean yaml) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row row : rows) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("component", row.component());
            item.put("namespace", row.namespace());
            item.put("ready", row.ready());
            item.put("desired", row.desired());
            item.put("restarts", row.restarts());
            item.put("ageSeconds", row.age().map(Duration::toSeconds).orElse(null));
            item.put("images", row.images());
            item.put("urls", row.urls());
            item.put("healthy", row.healthy());
            item.put("problems", row.problems());
            list.add(item);
        }
        Map<String, Object> document =
                Map.of("components", list, "healthy", rows.stream().allMatch(Row::healthy));
        ObjectMapper mapper = yaml
                ? YAMLMapper.builder().build()
                : JsonMapper.builder()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .build();
        return mapper.writeValueAsString(new TreeMap<>(document)) + (yaml ? "" : "\n");
    }

    /** {@code 45s}, {@code 12m}, {@code 3h}, {@code 2d}, as kubectl prints ages. */
    static String age(Duration age) {
        long seconds = Math.max(0, age.toSeconds());
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 2 * 3600) {
            return seconds / 60 + "m";
        }
        if (seconds < 2 * 86400) {
            return seconds / 3600 + "h";
        }
        return seconds / 86400 + "d";
    }
}
