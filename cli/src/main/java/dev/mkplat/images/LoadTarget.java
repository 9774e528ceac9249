package dev.mkplat.images;

import dev.mkplat.kube.NodeInfo;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How images get into the current cluster, by the kind of local cluster it is. {@link #detect} is a
 * pure function of {@link ClusterFacts}, so each rule is tested without the cluster it describes.
 */
public sealed interface LoadTarget {
    /** The label minikube puts on its nodes, with the profile's name. */
    String MINIKUBE_LABEL = "minikube.k8s.io/name";
    /** The label on the fake nodes of scripts/test-cluster. */
    String KWOK_NODE_LABEL = "type";
    /** The label on the real node of {@code scripts/test-cluster up --real-node}. */
    String REAL_NODE_LABEL = "mkplat.io/test-cluster-node";
    /** kind's nodes: {@code <cluster>-control-plane}, {@code <cluster>-worker}, {@code <cluster>-worker2}. */
    Pattern KIND_NODE = Pattern.compile("(.+)-(control-plane|worker\\d*)");

    /** minikube: {@code minikube -p PROFILE image load ARCHIVE} for each archive. */
    record Minikube(String profile) implements LoadTarget {
        public List<String> command(ServiceArchive archive) {
            return List.of(
                    "minikube",
                    "-p",
                    profile,
                    "image",
                    "load",
                    archive.archive().toString());
        }
    }

    /** kind: {@code kind load image-archive ARCHIVE --name CLUSTER} for each archive. */
    record Kind(String cluster) implements LoadTarget {
        public List<String> command(ServiceArchive archive) {
            return List.of("kind", "load", "image-archive", archive.archive().toString(), "--name", cluster);
        }
    }

    /**
     * The project's test cluster (scripts/test-cluster): its nodes pull from the local registry,
     * which containerd reads as a mirror of docker.io, so loading is a push there.
     */
    record TestCluster(String registry) implements LoadTarget {}

    /** No local cluster mkplat knows how to load into. */
    record Unsupported(String why) implements LoadTarget {}

    /**
     * Which cluster this is, in this order: the project's test cluster (kwok's or the real node's
     * labels, or a {@code kwok-} context), minikube (its node label, or the context {@code minikube}),
     * kind (a {@code kind-} context, or kind's node names on a loopback apiserver). minikube and kind
     * need their command on PATH.
     */
    static LoadTarget detect(ClusterFacts facts) {
        String context = facts.context();
        boolean testCluster = context.startsWith("kwok-")
                || facts.nodes().stream()
                        .anyMatch(node -> "kwok".equals(node.labels().get(KWOK_NODE_LABEL))
                                || node.labels().containsKey(REAL_NODE_LABEL));
        if (testCluster) {
            return new TestCluster(facts.localRegistry());
        }
        Optional<String> profile = facts.nodes().stream()
                .map(node -> node.labels().get(MINIKUBE_LABEL))
                .filter(name -> name != null && !name.isBlank())
                .findFirst()
                .or(() -> context.equals("minikube") ? Optional.of("minikube") : Optional.empty());
        if (profile.isPresent()) {
            return facts.tools().contains("minikube")
                    ? new Minikube(profile.get())
                    : new Unsupported(
                            "the cluster is minikube's (profile " + profile.get() + "), but minikube is not on PATH");
        }
        Optional<String> kind =
                context.startsWith("kind-") ? Optional.of(context.substring("kind-".length())) : kindFromNodes(facts);
        if (kind.isPresent()) {
            return facts.tools().contains("kind")
                    ? new Kind(kind.get())
                    : new Unsupported("the cluster is kind's (cluster " + kind.get() + "), but kind is not on PATH");
        }
        return new Unsupported("context '" + context + "' at " + facts.server()
                + " is not minikube, kind or this project's test cluster");
    }

    /** kind's node names, all of one cluster, with a control plane, behind an apiserver on this machine. */
    private static Optional<String> kindFromNodes(ClusterFacts facts) {
        if (facts.nodes().isEmpty() || !loopback(facts.server())) {
            return Optional.empty();
        }
        String cluster = null;
        boolean controlPlane = false;
        for (NodeInfo node : facts.nodes()) {
            Matcher name = KIND_NODE.matcher(node.name());
            if (!name.matches() || (cluster != null && !cluster.equals(name.group(1)))) {
                return Optional.empty();
            }
            cluster = name.group(1);
            controlPlane |= name.group(2).equals("control-plane");
        }
        return controlPlane ? Optional.of(cluster) : Optional.empty();
    }

    private static boolean loopback(String server) {
        try {
            String host = URI.create(server).getHost();
            return host != null
                    && (host.equals("127.0.0.1")
                            || host.equals("localhost")
                            || host.equals("[::1]")
                            || host.equals("::1"));
        } catch (IllegalArgumentException notAUrl) {
            return false;
        }
    }
}
