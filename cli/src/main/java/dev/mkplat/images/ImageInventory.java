package dev.mkplat.images;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.ClusterView;
import dev.mkplat.kube.KubeTarget;
import dev.mkplat.kube.NodeInfo;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.render.PlatformRenderer;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;

/** {@code mkplat images list}: render, read the nodes, ask the registry, tabulate. */
public final class ImageInventory {
    private final RegistryLookup lookup;

    public ImageInventory(RegistryLookup lookup) {
        this.lookup = lookup;
    }

    /** Where each needed image is; the cluster and the registry only when given. */
    public List<RequiredImages.Presence> read(
            List<RequiredImages.Required> required, Optional<List<NodeInfo>> nodes, Optional<String> registry) {
        return required.stream()
                .map(image -> new RequiredImages.Presence(
                        image,
                        nodes.map(list -> RequiredImages.onNodes(image, list)),
                        registry.map(host ->
                                lookup.digest(ImageRef.parse(image.image()).in(host)))))
                .toList();
    }

    /** The table for the platform as this configuration renders it. */
    public String table(
            ManifestBundle bundle,
            PlatformConfig config,
            Optional<KubeTarget> target,
            Optional<PrintWriter> trace,
            Optional<String> registry) {
        List<RequiredImages.Required> required =
                RequiredImages.of(PlatformRenderer.render(bundle, config).objects());
        Optional<List<NodeInfo>> nodes = Optional.empty();
        String heading = "";
        if (target.isPresent()) {
            try (Cluster cluster = Cluster.connect(target.get(), trace)) {
                nodes = Optional.of(new ClusterView(cluster).nodes());
                heading = "cluster: context '" + cluster.context() + "', "
                        + nodes.get().size() + " nodes\n";
            }
        }
        return heading + RequiredImages.table(read(required, nodes, registry), registry);
    }
}
