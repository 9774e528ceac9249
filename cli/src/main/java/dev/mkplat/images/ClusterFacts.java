package dev.mkplat.images;

import dev.mkplat.kube.NodeInfo;
import java.util.List;
import java.util.Set;

/**
 * What tells local clusters apart, read once from the kubeconfig, the nodes and {@code PATH}:
 * everything {@link LoadTarget#detect} decides on.
 *
 * @param context       the kubeconfig context in use
 * @param server        the apiserver URL
 * @param nodes         the nodes, with their labels
 * @param tools         which of {@code minikube} and {@code kind} are on {@code PATH}
 * @param localRegistry the registry of the project's test cluster ({@code 127.0.0.1:5001}, or {@code $MKPLAT_REGISTRY})
 */
public record ClusterFacts(
        String context, String server, List<NodeInfo> nodes, Set<String> tools, String localRegistry) {
    public ClusterFacts {
        nodes = List.copyOf(nodes);
        tools = Set.copyOf(tools);
    }
}
