package dev.mkplat.kube;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a workload, its pods and its recent warnings from the cluster, and judges them with
 * {@link WorkloadReadiness}. Used by the waiter and by {@code status}.
 */
public final class WorkloadReader {
    private final KubernetesClient client;

    public WorkloadReader(Cluster cluster) {
        this.client = cluster.client();
    }

    /** The workload's state now; {@link WorkloadState#exists()} is false when it is not there. */
    public WorkloadState read(ObjectRef ref) {
        Optional<HasMetadata> live = live(ref);
        if (live.isEmpty()) {
            return WorkloadState.missing(ref);
        }
        List<Pod> pods = pods(live.get());
        WorkloadState first = WorkloadReadiness.evaluate(live.get(), pods, List.of());
        if (first.ready()) {
            return first;
        }
        // Warnings cost a list call; only a workload that is not ready needs them.
        return WorkloadReadiness.evaluate(live.get(), pods, warnings(ref, pods));
    }

    /** The containers of the workload's pods that cannot pull their image. */
    public List<PullProblem> pullProblems(ObjectRef ref) {
        return live(ref).map(workload -> PullProblem.of(pods(workload))).orElse(List.of());
    }

    /** Whether the namespace exists and is being deleted (objects cannot be created in it until it is gone). */
    boolean terminating(String namespace) {
        var live = client.namespaces().withName(namespace).get();
        return live != null
                && (live.getMetadata().getDeletionTimestamp() != null
                        || (live.getStatus() != null
                                && "Terminating".equals(live.getStatus().getPhase())));
    }

    Optional<HasMetadata> live(ObjectRef ref) {
        HasMetadata object = switch (ref.kind()) {
            case "Deployment" ->
                client.apps()
                        .deployments()
                        .inNamespace(ref.namespace())
                        .withName(ref.name())
                        .get();
            case "StatefulSet" ->
                client.apps()
                        .statefulSets()
                        .inNamespace(ref.namespace())
                        .withName(ref.name())
                        .get();
            case "DaemonSet" ->
                client.apps()
                        .daemonSets()
                        .inNamespace(ref.namespace())
                        .withName(ref.name())
                        .get();
            case "PersistentVolumeClaim" ->
                client.persistentVolumeClaims()
                        .inNamespace(ref.namespace())
                        .withName(ref.name())
                        .get();
            default -> LiveObjects.get(client, ref).orElse(null);
        };
        return Optional.ofNullable(object);
    }

    /** The pods the workload's selector matches. */
    List<Pod> pods(HasMetadata workload) {
        LabelSelector selector = switch (workload) {
            case Deployment deployment -> deployment.getSpec().getSelector();
            case StatefulSet statefulSet -> statefulSet.getSpec().getSelector();
            case DaemonSet daemonSet -> daemonSet.getSpec().getSelector();
            default -> null;
        };
        if (selector == null) {
            return List.of();
        }
        return client.pods()
                .inNamespace(workload.getMetadata().getNamespace())
                .withLabelSelector(selector)
                .list()
                .getItems();
    }

    /**
     * Warning events about the workload, its ReplicaSets and its pods, oldest first. A ReplicaSet's
     * name starts with its Deployment's name, which is how its FailedCreate events are found
     * without listing ReplicaSets.
     */
    List<Event> warnings(ObjectRef ref, List<Pod> pods) {
        List<String> podNames =
                pods.stream().map(pod -> pod.getMetadata().getName()).toList();
        return client.v1().events().inNamespace(ref.namespace()).withField("type", "Warning").list().getItems().stream()
                .filter(event -> {
                    var involved = event.getInvolvedObject();
                    String name = Objects.requireNonNullElse(involved.getName(), "");
                    return name.equals(ref.name())
                            || podNames.contains(name)
                            || ("ReplicaSet".equals(involved.getKind()) && name.startsWith(ref.name() + "-"))
                            || ("Pod".equals(involved.getKind()) && name.startsWith(ref.name() + "-"));
                })
                .sorted(Comparator.comparing(WorkloadReader::when))
                .toList();
    }

    /** Every event about the workload and what it owns (normal and warning), oldest first, for a timeout report. */
    List<Event> events(ObjectRef ref) {
        return client.v1().events().inNamespace(ref.namespace()).list().getItems().stream()
                .filter(event -> {
                    String name =
                            Objects.requireNonNullElse(event.getInvolvedObject().getName(), "");
                    return name.equals(ref.name()) || name.startsWith(ref.name() + "-");
                })
                .sorted(Comparator.comparing(WorkloadReader::when))
                .toList();
    }

    static String when(Event event) {
        if (event.getLastTimestamp() != null) {
            return event.getLastTimestamp();
        }
        if (event.getEventTime() != null && event.getEventTime().getTime() != null) {
            return event.getEventTime().getTime();
        }
        return Objects.requireNonNullElse(event.getMetadata().getCreationTimestamp(), "");
    }
}
