package dev.mkplat.kube;

import dev.mkplat.core.PlatformLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The pods of one workload of the platform, the disruption budgets that cover them, and deleting
 * some of them: what {@code mkplat chaos kill-pod} reads and does. Only workloads and pods labelled
 * {@value #PART_OF}={@value #MKPLAT} are ever read here, so nothing else can be a target.
 */
public final class ComponentPods {
    /** The label every object of the platform carries; chaos touches nothing without it. */
    static final String PART_OF = PlatformLabels.PART_OF;

    static final String MKPLAT = PlatformLabels.MKPLAT;

    private final KubernetesClient client;

    public ComponentPods(Cluster cluster) {
        this.client = cluster.client();
    }

    /**
     * One pod as chaos sees it.
     *
     * @param name        the pod's name (a StatefulSet's replacement has the same name and a new uid)
     * @param uid         what tells a replacement from the pod it replaces
     * @param ready       whether its Ready condition is true
     * @param terminating whether it is being deleted
     * @param node        the node it runs on, when scheduled
     */
    public record PodSnapshot(String name, String uid, boolean ready, boolean terminating, String node) {
        /** Ready and not on its way out: what counts towards the component's ready count. */
        public boolean serving() {
            return ready && !terminating;
        }
    }

    /**
     * A Deployment or StatefulSet labelled part of the platform, with its pods.
     *
     * @param ref          the workload
     * @param templateLabels the labels of its pod template (what disruption budgets select)
     * @param desired      its spec's replicas
     * @param pods         the pods its selector matches that are labelled part of the platform
     */
    public record Workload(ObjectRef ref, Map<String, String> templateLabels, int desired, List<PodSnapshot> pods) {
        public Workload {
            templateLabels = Map.copyOf(templateLabels);
            pods = List.copyOf(pods);
        }

        public List<PodSnapshot> serving() {
            return pods.stream().filter(PodSnapshot::serving).toList();
        }
    }

    /**
     * A PodDisruptionBudget over a workload's pods.
     *
     * @param name               its name
     * @param rule               {@code minAvailable 1} or {@code maxUnavailable 25%}, as written
     * @param disruptionsAllowed how many pods may go now, by the disruption controller's status
     *                           (or by the rule when the controller has not written one yet)
     */
    public record Budget(String name, String rule, int disruptionsAllowed) {}

    /**
     * The workload {@code kind namespace/name}, when it exists and is labelled part of the platform.
     *
     * @param kind {@code Deployment} or {@code StatefulSet}
     */
    public Optional<Workload> workload(String kind, String namespace, String name) {
        Optional<HasMetadata> found = PlatformWorkloads.find(client, kind, namespace, name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        HasMetadata live = found.get();
        LabelSelector selector;
        PodTemplateSpec template;
        if (live instanceof Deployment deployment) {
            selector = deployment.getSpec().getSelector();
            template = deployment.getSpec().getTemplate();
        } else {
            StatefulSet statefulSet = (StatefulSet) live;
            selector = statefulSet.getSpec().getSelector();
            template = statefulSet.getSpec().getTemplate();
        }
        List<PodSnapshot> pods = client
                .pods()
                .inNamespace(namespace)
                .withLabelSelector(selector)
                .withLabel(PART_OF, MKPLAT)
                .list()
                .getItems()
                .stream()
                .map(ComponentPods::snapshot)
                .sorted(Comparator.comparing(PodSnapshot::name))
                .toList();
        Map<String, String> templateLabels =
                template.getMetadata() == null || template.getMetadata().getLabels() == null
                        ? Map.of()
                        : template.getMetadata().getLabels();
        return Optional.of(new Workload(ObjectRef.of(live), templateLabels, PlatformWorkloads.replicas(live), pods));
    }

    /** The disruption budgets in the workload's namespace whose selector matches its pod template. */
    public List<Budget> budgets(Workload workload) {
        List<Budget> budgets = new ArrayList<>();
        for (PodDisruptionBudget budget : client.policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(workload.ref().namespace())
                .list()
                .getItems()) {
            if (budget.getSpec() == null || !matches(budget.getSpec().getSelector(), workload.templateLabels())) {
                continue;
            }
            budgets.add(budget(budget, workload));
        }
        return budgets;
    }

    private static Budget budget(PodDisruptionBudget budget, Workload workload) {
        var spec = budget.getSpec();
        String rule = spec.getMinAvailable() != null
                ? "minAvailable " + text(spec.getMinAvailable())
                : spec.getMaxUnavailable() != null ? "maxUnavailable " + text(spec.getMaxUnavailable()) : "no rule";
        var status = budget.getStatus();
        Long generation = budget.getMetadata().getGeneration();
        boolean observed = status != null
                && status.getObservedGeneration() != null
                && (generation == null || status.getObservedGeneration() >= generation);
        int allowed;
        if (observed) {
            allowed = Objects.requireNonNullElse(status.getDisruptionsAllowed(), 0);
        } else {
            // The controller has not judged it yet: apply the rule to the pods as we see them.
            int serving = workload.serving().size();
            int expected = Math.max(workload.desired(), workload.pods().size());
            if (spec.getMinAvailable() != null) {
                allowed = serving - resolve(spec.getMinAvailable(), expected);
            } else if (spec.getMaxUnavailable() != null) {
                allowed = resolve(spec.getMaxUnavailable(), expected) - (expected - serving);
            } else {
                allowed = serving;
            }
        }
        return new Budget(budget.getMetadata().getName(), rule, Math.max(0, allowed));
    }

    /** An absolute number, or a percentage of {@code total} rounded up (as the disruption controller rounds both rules). */
    static int resolve(IntOrString value, int total) {
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String percent = value.getStrVal().replace("%", "").trim();
        double exact = total * Integer.parseInt(percent) / 100.0;
        return (int) Math.ceil(exact);
    }

    private static String text(IntOrString value) {
        return value.getIntVal() != null ? String.valueOf(value.getIntVal()) : value.getStrVal();
    }

    /** Whether a label selector selects these labels (matchLabels and matchExpressions, as the apiserver evaluates them). */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        if (selector.getMatchLabels() != null) {
            for (var entry : selector.getMatchLabels().entrySet()) {
                if (!entry.getValue().equals(labels.get(entry.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                String value = labels.get(requirement.getKey());
                List<String> values = Objects.requireNonNullElse(requirement.getValues(), List.of());
                boolean ok = switch (requirement.getOperator()) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Deletes one pod, if it is still the one that was chosen (same uid).
     *
     * @param grace the termination grace period; zero removes the pod from the API at once
     * @return whether a pod was deleted (false: it was already gone or replaced)
     */
    public boolean delete(String namespace, PodSnapshot pod, Duration grace) {
        Pod live = client.pods().inNamespace(namespace).withName(pod.name()).get();
        if (live == null || !pod.uid().equals(live.getMetadata().getUid()) || !PlatformWorkloads.partOfPlatform(live)) {
            return false;
        }
        try {
            return !client.pods()
                    .inNamespace(namespace)
                    .withName(pod.name())
                    .withGracePeriod(grace.toSeconds())
                    .delete()
                    .isEmpty();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    static PodSnapshot snapshot(Pod pod) {
        return new PodSnapshot(
                pod.getMetadata().getName(),
                pod.getMetadata().getUid(),
                WorkloadReadiness.isReady(pod),
                pod.getMetadata().getDeletionTimestamp() != null,
                pod.getSpec() == null || pod.getSpec().getNodeName() == null
                        ? ""
                        : pod.getSpec().getNodeName());
    }
}
