package dev.mkplat.kube;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A network partition between two components of the platform, made of NetworkPolicies.
 *
 * <p>NetworkPolicies only ever allow: a connection is allowed when any policy that selects the pod
 * allows it, so a "deny" policy cannot override the platform's allow policies. A partition
 * therefore (1) creates a chaos NetworkPolicy in the receiving namespace, labelled {@value
 * ExperimentLocks#CHAOS_LABEL}=partition, annotated with its expiry and with a copy of every
 * platform policy that allows the flow, and isolating the receiving pods; then (2) deletes those
 * allow policies, at both ends. Healing applies the copies back (server-side apply, field manager
 * mkplat, as deploy would) and then deletes the chaos policy. A crash between the steps leaves the
 * chaos policy with its copies, which {@link #list} finds and {@link #heal} undoes.
 */
public final class NetworkPartitions {
    /** When the chaos object is due to be removed. */
    public static final String EXPIRES_ANNOTATION = "mkplat.dev/chaos-expires";

    static final String SET_ASIDE_ANNOTATION = "mkplat.dev/chaos-set-aside";
    static final String FROM_ANNOTATION = "mkplat.dev/chaos-from";
    static final String TO_ANNOTATION = "mkplat.dev/chaos-to";
    private static final String NAME_LABEL = "app.kubernetes.io/name";
    private static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final KubernetesClient client;

    public NetworkPartitions(Cluster cluster) {
        this.client = cluster.client();
    }

    /**
     * One side of a partition: a component's pods.
     *
     * @param namespace its namespace
     * @param name      its {@code app.kubernetes.io/name}
     * @param podLabels the labels of its pods (its pod template's)
     */
    public record Endpoint(String namespace, String name, Map<String, String> podLabels) {
        public Endpoint {
            podLabels = Map.copyOf(podLabels);
        }
    }

    /**
     * A partition in place.
     *
     * @param namespace where its chaos policy is
     * @param policy    the chaos policy's name
     * @param from      the component that can no longer connect
     * @param to        the component it can no longer reach
     * @param expires   when it was due to be healed
     * @param setAside  the platform policies it took away, {@code namespace/name}
     */
    public record Partition(
            String namespace, String policy, String from, String to, Instant expires, List<String> setAside) {}

    /** The chaos policy's name for a partition from {@code from} to {@code to}. */
    public static String policyName(String from, String to) {
        return "mkplat-chaos-partition-" + from + "-" + to;
    }

    /** The platform's policies (part of mkplat, not chaos) that let {@code from} connect to {@code to}, at either end. */
    public List<String> allowing(Endpoint from, Endpoint to) {
        return allowingPolicies(from, to).stream()
                .map(policy -> policy.getMetadata().getNamespace() + "/"
                        + policy.getMetadata().getName())
                .toList();
    }

    private List<NetworkPolicy> allowingPolicies(Endpoint from, Endpoint to) {
        Map<String, String> fromNamespace = Map.of(NAMESPACE_NAME_LABEL, from.namespace());
        Map<String, String> toNamespace = Map.of(NAMESPACE_NAME_LABEL, to.namespace());
        List<NetworkPolicy> found = new ArrayList<>();
        for (NetworkPolicy policy : platformPolicies(to.namespace())) {
            if (ComponentPods.matches(policy.getSpec().getPodSelector(), to.podLabels())
                    && policy.getSpec().getIngress() != null
                    && policy.getSpec().getIngress().stream()
                            .anyMatch(rule ->
                                    peersMatch(rule.getFrom(), to.namespace(), fromNamespace, from.podLabels()))) {
                found.add(policy);
            }
        }
        for (NetworkPolicy policy : platformPolicies(from.namespace())) {
            if (ComponentPods.matches(policy.getSpec().getPodSelector(), from.podLabels())
                    && policy.getSpec().getEgress() != null
                    && policy.getSpec().getEgress().stream()
                            .anyMatch(
                                    rule -> peersMatch(rule.getTo(), from.namespace(), toNamespace, to.podLabels()))) {
                if (found.stream()
                        .noneMatch(same -> same.getMetadata()
                                        .getNamespace()
                                        .equals(policy.getMetadata().getNamespace())
                                && same.getMetadata()
                                        .getName()
                                        .equals(policy.getMetadata().getName()))) {
                    found.add(policy);
                }
            }
        }
        return found;
    }

    private List<NetworkPolicy> platformPolicies(String namespace) {
        return client.network()
                .v1()
                .networkPolicies()
                .inNamespace(namespace)
                .withLabel(ComponentPods.PART_OF, ComponentPods.MKPLAT)
                .withoutLabel(ExperimentLocks.CHAOS_LABEL)
                .list()
                .getItems();
    }

    /**
     * Whether a rule's peers name the other side explicitly. A rule without peers allows everyone;
     * taking it away would cut far more than this partition, so it does not count.
     */
    static boolean peersMatch(
            List<NetworkPolicyPeer> peers,
            String policyNamespace,
            Map<String, String> namespaceLabels,
            Map<String, String> podLabels) {
        if (peers == null) {
            return false;
        }
        for (NetworkPolicyPeer peer : peers) {
            if (peer.getIpBlock() != null || (peer.getPodSelector() == null && peer.getNamespaceSelector() == null)) {
                continue;
            }
            boolean namespaceMatches = peer.getNamespaceSelector() == null
                    ? policyNamespace.equals(namespaceLabels.get(NAMESPACE_NAME_LABEL))
                    : ComponentPods.matches(peer.getNamespaceSelector(), namespaceLabels);
            boolean podMatches =
                    peer.getPodSelector() == null || ComponentPods.matches(peer.getPodSelector(), podLabels);
            if (namespaceMatches && podMatches) {
                return true;
            }
        }
        return false;
    }

    /**
     * Cuts {@code from} off from {@code to} until healed.
     *
     * @param holder who made it (the experiment's id), recorded on the chaos policy
     * @return the partition in place
     */
    public Partition cut(Endpoint from, Endpoint to, Instant expires, String holder) {
        List<NetworkPolicy> allowing = allowingPolicies(from, to);
        List<Map<String, Object>> copies =
                allowing.stream().map(NetworkPartitions::portable).toList();
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(EXPIRES_ANNOTATION, expires.toString());
        annotations.put(FROM_ANNOTATION, from.name());
        annotations.put(TO_ANNOTATION, to.name());
        annotations.put(SET_ASIDE_ANNOTATION, JSON.writeValueAsString(copies));
        annotations.put(
                ExperimentLocks.EXPERIMENT_ANNOTATION, "partition " + from.name() + " " + to.name() + " by " + holder);
        NetworkPolicy chaos = new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(policyName(from.name(), to.name()))
                .withNamespace(to.namespace())
                .withLabels(
                        Map.of(ComponentPods.PART_OF, ComponentPods.MKPLAT, ExperimentLocks.CHAOS_LABEL, "partition"))
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .withNewPodSelector()
                .withMatchLabels(Map.of(NAME_LABEL, to.name()))
                .endPodSelector()
                .withPolicyTypes("Ingress")
                .endSpec()
                .build();
        client.network()
                .v1()
                .networkPolicies()
                .inNamespace(to.namespace())
                .resource(chaos)
                .create();
        for (NetworkPolicy policy : allowing) {
            client.network()
                    .v1()
                    .networkPolicies()
                    .inNamespace(policy.getMetadata().getNamespace())
                    .withName(policy.getMetadata().getName())
                    .delete();
        }
        return partition(chaos);
    }

    /** Every partition in place in these namespaces. */
    public List<Partition> list(List<String> namespaces) {
        List<Partition> partitions = new ArrayList<>();
        for (String namespace : namespaces) {
            client.network()
                    .v1()
                    .networkPolicies()
                    .inNamespace(namespace)
                    .withLabel(ExperimentLocks.CHAOS_LABEL, "partition")
                    .list()
                    .getItems()
                    .forEach(policy -> partitions.add(partition(policy)));
        }
        return partitions;
    }

    /** Puts the set-aside policies back and removes the chaos policy. Safe to run twice. */
    public void heal(Partition partition) {
        NetworkPolicy chaos = client.network()
                .v1()
                .networkPolicies()
                .inNamespace(partition.namespace())
                .withName(partition.policy())
                .get();
        if (chaos == null) {
            return;
        }
        for (Map<String, Object> copy : copies(chaos)) {
            NetworkPolicy policy = JSON.convertValue(copy, NetworkPolicy.class);
            client.resource(policy)
                    .fieldManager(ResourceApplier.FIELD_MANAGER)
                    .forceConflicts()
                    .serverSideApply();
        }
        client.network()
                .v1()
                .networkPolicies()
                .inNamespace(partition.namespace())
                .withName(partition.policy())
                .delete();
    }

    /** A policy as it can be applied again: kind, metadata that is not the server's, and spec. */
    private static Map<String, Object> portable(NetworkPolicy policy) {
        ObjectMeta meta = policy.getMetadata();
        NetworkPolicy copy = new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(meta.getName())
                .withNamespace(meta.getNamespace())
                .withLabels(meta.getLabels())
                .withAnnotations(withoutServerAnnotations(meta.getAnnotations()))
                .endMetadata()
                .withSpec(policy.getSpec())
                .build();
        return JSON.convertValue(copy, new TypeReference<Map<String, Object>>() {});
    }

    private static Map<String, String> withoutServerAnnotations(Map<String, String> annotations) {
        if (annotations == null) {
            return null;
        }
        Map<String, String> kept = new LinkedHashMap<>(annotations);
        kept.remove("kubectl.kubernetes.io/last-applied-configuration");
        return kept.isEmpty() ? null : kept;
    }

    private static List<Map<String, Object>> copies(NetworkPolicy chaos) {
        String json = chaos.getMetadata().getAnnotations() == null
                ? null
                : chaos.getMetadata().getAnnotations().get(SET_ASIDE_ANNOTATION);
        return json == null ? List.of() : JSON.readValue(json, new TypeReference<List<Map<String, Object>>>() {});
    }

    private static Partition partition(NetworkPolicy chaos) {
        Map<String, String> annotations =
                Objects.requireNonNullElse(chaos.getMetadata().getAnnotations(), Map.of());
        List<String> setAside = copies(chaos).stream()
                .map(copy -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> metadata = (Map<String, Object>) copy.get("metadata");
                    return metadata.get("namespace") + "/" + metadata.get("name");
                })
                .toList();
        return new Partition(
                chaos.getMetadata().getNamespace(),
                chaos.getMetadata().getName(),
                annotations.getOrDefault(FROM_ANNOTATION, "?"),
                annotations.getOrDefault(TO_ANNOTATION, "?"),
                Instant.parse(annotations.getOrDefault(EXPIRES_ANNOTATION, Instant.EPOCH.toString())),
                setAside);
    }
}
