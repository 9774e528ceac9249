package dev.mkplat.images;

import dev.mkplat.kube.NodeInfo;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The images the rendered platform runs, each with the workloads that use it ({@code mkplat images
 * list}), and where each one is: on how many nodes, and in a registry. Reading the objects is pure.
 */
public final class RequiredImages {
    private RequiredImages() {}

    /**
     * One image the platform needs.
     *
     * @param image  the reference as rendered
     * @param usedBy the workloads that run it, {@code namespace/name}
     */
    public record Required(String image, List<String> usedBy) {
        public Required {
            usedBy = List.copyOf(usedBy);
        }
    }

    /**
     * Where one needed image is.
     *
     * @param required  the image and its users
     * @param onNodes   how many of the nodes report it in {@code status.images}, of how many (empty: the cluster was not asked)
     * @param inRegistry the registry's answer for the same repository and tag (empty: no registry was asked)
     */
    public record Presence(Required required, Optional<int[]> onNodes, Optional<RegistryLookup.Answer> inRegistry) {}

    /** The images of every container and init container of the workloads, in manifest order. */
    public static List<Required> of(List<HasMetadata> objects) {
        Map<String, List<String>> users = new LinkedHashMap<>();
        for (HasMetadata object : objects) {
            PodTemplateSpec template = switch (object) {
                case Deployment deployment -> deployment.getSpec().getTemplate();
                case StatefulSet statefulSet -> statefulSet.getSpec().getTemplate();
                case DaemonSet daemonSet -> daemonSet.getSpec().getTemplate();
                default -> null;
            };
            if (template == null || template.getSpec() == null) {
                continue;
            }
            List<Container> containers = new ArrayList<>(template.getSpec().getInitContainers());
            containers.addAll(template.getSpec().getContainers());
            String workload = object.getMetadata().getNamespace() + "/"
                    + object.getMetadata().getName();
            for (Container container : containers) {
                if (container.getImage() != null) {
                    List<String> list = users.computeIfAbsent(container.getImage(), key -> new ArrayList<>());
                    if (!list.contains(workload)) {
                        list.add(workload);
                    }
                }
            }
        }
        return users.entrySet().stream()
                .map(entry -> new Required(entry.getKey(), entry.getValue()))
                .toList();
    }

    /** How many of {@code nodes} report this image. */
    public static int[] onNodes(Required required, List<NodeInfo> nodes) {
        ImageRef reference = ImageRef.parse(required.image());
        int count = (int) nodes.stream()
                .filter(node -> node.images().stream().anyMatch(reference::matches))
                .count();
        return new int[] {count, nodes.size()};
    }

    /** A table: image, used by, on nodes, in the registry (the columns that were asked). */
    public static String table(List<Presence> rows, Optional<String> registry) {
        List<String[]> lines = new ArrayList<>();
        boolean nodes = rows.stream().anyMatch(row -> row.onNodes().isPresent());
        List<String> header = new ArrayList<>(List.of("IMAGE", "USED BY"));
        if (nodes) {
            header.add("ON NODES");
        }
        registry.ifPresent(host -> header.add("IN " + host));
        lines.add(header.toArray(String[]::new));
        for (Presence row : rows) {
            List<String> cells = new ArrayList<>(List.of(
                    row.required().image(), String.join(",", row.required().usedBy())));
            if (nodes) {
                cells.add(row.onNodes().map(count -> count[0] + "/" + count[1]).orElse("?"));
            }
            row.inRegistry()
                    .ifPresent(answer -> cells.add(
                            switch (answer) {
                                case RegistryLookup.Answer.Found found ->
                                    "yes "
                                            + found.digest()
                                                    .substring(
                                                            0,
                                                            Math.min(
                                                                    19,
                                                                    found.digest()
                                                                            .length()));
                                case RegistryLookup.Answer.Missing missing -> "no";
                                case RegistryLookup.Answer.Unknown unknown -> "? " + unknown.why();
                            }));
            lines.add(cells.toArray(String[]::new));
        }
        int[] widths = new int[header.size()];
        for (String[] line : lines) {
            for (int i = 0; i < line.length - 1; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                table.append(i == line.length - 1 ? line[i] : String.format("%-" + widths[i] + "s   ", line[i]));
            }
            table.append('\n');
        }
        return table.toString();
    }
}
