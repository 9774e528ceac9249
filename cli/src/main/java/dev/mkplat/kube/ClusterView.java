package dev.mkplat.kube;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Small reads about namespaces, claims and ingresses that status, destroy and up need. */
public final class ClusterView {
    private final KubernetesClient client;

    public ClusterView(Cluster cluster) {
        this.client = cluster.client();
    }

    public boolean namespaceExists(String namespace) {
        return client.namespaces().withName(namespace).get() != null;
    }

    /** The names of the PersistentVolumeClaims in a namespace: the data destroy keeps. */
    public List<String> claims(String namespace) {
        return client.persistentVolumeClaims().inNamespace(namespace).list().getItems().stream()
                .map(claim -> claim.getMetadata().getName())
                .sorted()
                .toList();
    }

    /** The hosts the Ingresses of a namespace serve, with whether they use TLS. */
    public List<String> ingressUrls(String namespace) {
        List<String> urls = new ArrayList<>();
        for (Ingress ingress :
                client.network().v1().ingresses().inNamespace(namespace).list().getItems()) {
            List<String> tlsHosts = ingress.getSpec().getTls() == null
                    ? List.of()
                    : ingress.getSpec().getTls().stream()
                            .flatMap(tls -> tls.getHosts().stream())
                            .toList();
            for (IngressRule rule : Objects.requireNonNullElse(ingress.getSpec().getRules(), List.<IngressRule>of())) {
                if (rule.getHost() != null) {
                    urls.add((tlsHosts.contains(rule.getHost()) ? "https://" : "http://") + rule.getHost());
                }
            }
        }
        return urls.stream().distinct().toList();
    }

    /** The address the ingress controller publishes on the platform's Ingresses, once it has one. */
    public Optional<String> ingressAddress(List<String> namespaces) {
        for (String namespace : namespaces) {
            for (Ingress ingress : client.network()
                    .v1()
                    .ingresses()
                    .inNamespace(namespace)
                    .list()
                    .getItems()) {
                if (ingress.getStatus() != null
                        && ingress.getStatus().getLoadBalancer() != null
                        && ingress.getStatus().getLoadBalancer().getIngress() != null) {
                    for (var address : ingress.getStatus().getLoadBalancer().getIngress()) {
                        String value = address.getIp() != null ? address.getIp() : address.getHostname();
                        if (value != null) {
                            return Optional.of(value);
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The nodes: name, labels and the images their runtime reports, by name. */
    public List<NodeInfo> nodes() {
        return client.nodes().list().getItems().stream()
                .map(node -> new NodeInfo(
                        node.getMetadata().getName(),
                        Objects.requireNonNullElse(node.getMetadata().getLabels(), Map.<String, String>of()),
                        node.getStatus() == null || node.getStatus().getImages() == null
                                ? List.of()
                                : node.getStatus().getImages().stream()
                                        .flatMap(image ->
                                                Objects.requireNonNullElse(image.getNames(), List.<String>of())
                                                        .stream())
                                        .distinct()
                                        .toList()))
                .sorted(Comparator.comparing(NodeInfo::name))
                .toList();
    }

    /**
     * {@link #nodes()}, or none when the user may not list nodes (a namespaced account on a shared
     * cluster): deploy asks only to choose how to pin images, and must not fail for it.
     */
    public List<NodeInfo> nodesIfAllowed() {
        try {
            return nodes();
        } catch (KubernetesClientException refused) {
            if (refused.getCode() == 403 || refused.getCode() == 401) {
                return List.of();
            }
            throw refused;
        }
    }

    /** The containers in these namespaces that cannot pull their image (missing namespaces have none). */
    public List<PullProblem> pullProblems(List<String> namespaces) {
        List<PullProblem> problems = new ArrayList<>();
        for (String namespace : namespaces) {
            problems.addAll(
                    PullProblem.of(client.pods().inNamespace(namespace).list().getItems()));
        }
        return List.copyOf(problems);
    }

    /** Asks the apiserver to delete a namespace and everything in it; {@link RolloutWaiter} waits until it is gone. */
    public void deleteNamespace(String namespace) {
        client.namespaces().withName(namespace).delete();
    }
}
