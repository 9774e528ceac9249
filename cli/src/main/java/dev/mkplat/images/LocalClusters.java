package dev.mkplat.images;

import dev.mkplat.core.Environment;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.ClusterView;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads the {@link ClusterFacts} of a connected cluster and decides its {@link LoadTarget}. */
public final class LocalClusters {
    /** The registry of scripts/registry, which the test cluster's node mirrors docker.io to. */
    public static final String DEFAULT_LOCAL_REGISTRY = "127.0.0.1:5001";

    private LocalClusters() {}

    /** The facts of this cluster and machine. */
    public static ClusterFacts facts(Cluster cluster, Environment environment) {
        Set<String> tools = new LinkedHashSet<>();
        for (String tool : List.of("minikube", "kind")) {
            ExternalCommand.onPath(environment.variable("PATH"), tool).ifPresent(found -> tools.add(tool));
        }
        String registry = environment
                .variable("MKPLAT_REGISTRY")
                .orElse(environment
                        .variable("MKPLAT_REGISTRY_PORT")
                        .map(port -> "127.0.0.1:" + port)
                        .orElse(DEFAULT_LOCAL_REGISTRY));
        return new ClusterFacts(
                cluster.context(), cluster.server(), new ClusterView(cluster).nodesIfAllowed(), tools, registry);
    }

    /** {@link LoadTarget#detect} on this cluster's facts. */
    public static LoadTarget detect(Cluster cluster, Environment environment) {
        return LoadTarget.detect(facts(cluster, environment));
    }
}
