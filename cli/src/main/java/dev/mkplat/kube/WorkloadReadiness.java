package dev.mkplat.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The readiness rules, after kstatus: pure functions of the live object, its pods and recent
 * warning events, so that each rule is unit-tested without a cluster.
 * <ul>
 *   <li>every workload: {@code status.observedGeneration >= metadata.generation} (the controller saw
 *       the latest spec);</li>
 *   <li>Deployment: updated, available and total replicas all equal the wanted count (no old pods
 *       left) and the {@code Available} condition is true;</li>
 *   <li>StatefulSet: ready and updated replicas equal the wanted count and {@code currentRevision ==
 *       updateRevision};</li>
 *   <li>DaemonSet: scheduled, updated and ready all equal {@code desiredNumberScheduled};</li>
 *   <li>PersistentVolumeClaim: phase {@code Bound}.</li>
 * </ul>
 * Anything else is ready once it exists.
 */
public final class WorkloadReadiness {
    private WorkloadReadiness() {}

    /** Whether the waiter has anything to wait for with this kind. */
    public static boolean waitsFor(String kind) {
        return switch (kind) {
            case "Deployment", "StatefulSet", "DaemonSet", "PersistentVolumeClaim" -> true;
            default -> false;
        };
    }

    /**
     * @param live     the object as the apiserver has it now
     * @param pods     the pods its selector matches
     * @param warnings recent warning events about it and its ReplicaSets, newest last (FailedCreate
     *                 is where a Pod Security refusal shows)
     */
    public static WorkloadState evaluate(HasMetadata live, List<Pod> pods, List<Event> warnings) {
        ObjectRef ref = ObjectRef.of(live);
        return switch (live) {
            case Deployment deployment -> deployment(ref, deployment, pods, warnings);
            case StatefulSet statefulSet -> statefulSet(ref, statefulSet, pods, warnings);
            case DaemonSet daemonSet -> daemonSet(ref, daemonSet, pods, warnings);
            case PersistentVolumeClaim claim -> claim(ref, claim, warnings);
            default -> new WorkloadState(ref, true, true, 1, 1, "exists", List.of(), 0, created(live), List.of());
        };
    }

    private static WorkloadState deployment(
            ObjectRef ref, Deployment deployment, List<Pod> pods, List<Event> warnings) {
        var status = deployment.getStatus();
        int desired = orZero(deployment.getSpec().getReplicas(), 1);
        int updated = status == null ? 0 : orZero(status.getUpdatedReplicas(), 0);
        int available = status == null ? 0 : orZero(status.getAvailableReplicas(), 0);
        int ready = status == null ? 0 : orZero(status.getReadyReplicas(), 0);
        int total = status == null ? 0 : orZero(status.getReplicas(), 0);
        List<String> blockers = new ArrayList<>();
        boolean observed = observed(deployment, status == null ? null : status.getObservedGeneration(), blockers);
        boolean availableCondition = true;
        if (status != null && status.getConditions() != null) {
            for (DeploymentCondition condition : status.getConditions()) {
                if ("Available".equals(condition.getType()) && !"True".equals(condition.getStatus())) {
                    availableCondition = false;
                }
                if ("Progressing".equals(condition.getType())
                        && "ProgressDeadlineExceeded".equals(condition.getReason())) {
                    blockers.add("progress deadline exceeded");
                }
            }
        }
        boolean isReady =
                observed && updated == desired && available >= desired && total == updated && availableCondition;
        String summary = Math.min(ready, desired) + "/" + desired + " ready";
        if (!isReady && total > updated) {
            // A rollout: old pods remain. (Fewer pods than wanted with none old is scaling, which the count shows.)
            summary += ", " + updated + "/" + desired + " updated, " + (total - updated) + " old";
        }
        addPodBlockers(blockers, pods, warnings, total < desired);
        return new WorkloadState(
                ref,
                true,
                isReady,
                ready,
                desired,
                summary,
                isReady ? List.of() : blockers,
                restarts(pods),
                created(deployment),
                images(deployment.getSpec().getTemplate()));
    }

    private static WorkloadState statefulSet(
            ObjectRef ref, StatefulSet statefulSet, List<Pod> pods, List<Event> warnings) {
        var status = statefulSet.getStatus();
        int desired = orZero(statefulSet.getSpec().getReplicas(), 1);
        int ready = status == null ? 0 : orZero(status.getReadyReplicas(), 0);
        int updated = status == null ? 0 : orZero(status.getUpdatedReplicas(), 0);
        int total = status == null ? 0 : orZero(status.getReplicas(), 0);
        List<String> blockers = new ArrayList<>();
        boolean observed = observed(statefulSet, status == null ? null : status.getObservedGeneration(), blockers);
        String current = status == null ? null : status.getCurrentRevision();
        String update = status == null ? null : status.getUpdateRevision();
        boolean revisionsMatch = update != null && update.equals(current);
        boolean isReady = observed && ready == desired && updated == desired && total == desired && revisionsMatch;
        String summary = Math.min(ready, desired) + "/" + desired + " ready";
        if (!isReady && ready == desired && !revisionsMatch) {
            summary += ", rolling to revision " + update;
        }
        addPodBlockers(blockers, pods, warnings, total < desired);
        return new WorkloadState(
                ref,
                true,
                isReady,
                ready,
                desired,
                summary,
                isReady ? List.of() : blockers,
                restarts(pods),
                created(statefulSet),
                images(statefulSet.getSpec().getTemplate()));
    }

    private static WorkloadState daemonSet(ObjectRef ref, DaemonSet daemonSet, List<Pod> pods, List<Event> warnings) {
        var status = daemonSet.getStatus();
        int desired = status == null ? 0 : orZero(status.getDesiredNumberScheduled(), 0);
        int ready = status == null ? 0 : orZero(status.getNumberReady(), 0);
        int updated = status == null ? 0 : orZero(status.getUpdatedNumberScheduled(), 0);
        int scheduled = status == null ? 0 : orZero(status.getCurrentNumberScheduled(), 0);
        List<String> blockers = new ArrayList<>();
        boolean observed = observed(daemonSet, status == null ? null : status.getObservedGeneration(), blockers);
        boolean isReady = observed && status != null && ready == desired && updated == desired && scheduled == desired;
        addPodBlockers(blockers, pods, warnings, scheduled < desired);
        return new WorkloadState(
                ref,
                true,
                isReady,
                ready,
                desired,
                ready + "/" + desired + " ready",
                isReady ? List.of() : blockers,
                restarts(pods),
                created(daemonSet),
                images(daemonSet.getSpec().getTemplate()));
    }

    private static WorkloadState claim(ObjectRef ref, PersistentVolumeClaim claim, List<Event> warnings) {
        String phase = claim.getStatus() == null || claim.getStatus().getPhase() == null
                ? "Pending"
                : claim.getStatus().getPhase();
        boolean bound = "Bound".equals(phase);
        List<String> blockers = new ArrayList<>();
        if (!bound) {
            lastMessage(warnings).ifPresent(blockers::add);
        }
        return new WorkloadState(ref, true, bound, bound ? 1 : 0, 1, phase, blockers, 0, created(claim), List.of());
    }

    private static boolean observed(HasMetadata object, Long observedGeneration, List<String> blockers) {
        Long generation = object.getMetadata().getGeneration();
        boolean seen = generation == null || (observedGeneration != null && observedGeneration >= generation);
        if (!seen) {
            blockers.add("the controller has not yet seen generation " + generation);
        }
        return seen;
    }

    /**
     * Why pods are not ready, one entry per pod, most severe first; and when pods are missing, the
     * latest warning (a FailedCreate from the ReplicaSet is how a Pod Security refusal shows).
     */
    private static void addPodBlockers(
            List<String> blockers, List<Pod> pods, List<Event> warnings, boolean podsMissing) {
        pods.stream()
                .filter(pod -> !isReady(pod))
                .sorted(Comparator.comparing((Pod pod) -> -severity(reason(pod)))
                        .thenComparing(pod -> pod.getMetadata().getName()))
                .forEach(pod -> blockers.add(pod.getMetadata().getName() + ": " + reason(pod)));
        if (podsMissing || pods.isEmpty()) {
            lastMessage(warnings).ifPresent(message -> blockers.add(0, message));
        }
    }

    private static Optional<String> lastMessage(List<Event> warnings) {
        return warnings.stream()
                .filter(event -> "Warning".equals(event.getType()))
                .reduce((first, second) -> second)
                .map(event -> event.getReason() + ": " + abbreviate(event.getMessage()));
    }

    private static String abbreviate(String message) {
        String oneLine = message == null ? "" : message.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 197) + "...";
    }

    /** Whether the pod's Ready condition is true. */
    public static boolean isReady(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        return pod.getStatus().getConditions().stream()
                .anyMatch(condition -> "Ready".equals(condition.getType()) && "True".equals(condition.getStatus()));
    }

    /** The most telling reason a pod is not ready: a waiting or terminated container, scheduling, or its phase. */
    public static String reason(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return "Terminating";
        }
        var status = pod.getStatus();
        if (status == null) {
            return "Pending";
        }
        for (List<ContainerStatus> containers :
                Arrays.asList(status.getInitContainerStatuses(), status.getContainerStatuses())) {
            if (containers == null) {
                continue;
            }
            for (ContainerStatus container : containers) {
                var state = container.getState();
                if (state != null
                        && state.getWaiting() != null
                        && state.getWaiting().getReason() != null
                        && !"PodInitializing".equals(state.getWaiting().getReason())) {
                    return state.getWaiting().getReason();
                }
                if (state != null
                        && state.getTerminated() != null
                        && !"Completed".equals(state.getTerminated().getReason())) {
                    return Objects.requireNonNullElse(state.getTerminated().getReason(), "Terminated") + " (exit "
                            + state.getTerminated().getExitCode() + ")";
                }
            }
        }
        if (status.getConditions() != null) {
            for (PodCondition condition : status.getConditions()) {
                if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())) {
                    return Objects.requireNonNullElse(condition.getReason(), "Unschedulable")
                            + (condition.getMessage() == null ? "" : ": " + abbreviate(condition.getMessage()));
                }
            }
        }
        if ("Running".equals(status.getPhase())) {
            return "Running, not ready";
        }
        return Objects.requireNonNullElse(status.getPhase(), "Pending");
    }

    private static int severity(String reason) {
        if (reason.startsWith("CrashLoopBackOff")
                || reason.startsWith("ImagePullBackOff")
                || reason.startsWith("ErrImagePull")
                || reason.startsWith("Error")
                || reason.startsWith("OOMKilled")
                || reason.startsWith("CreateContainerConfigError")) {
            return 3;
        }
        if (reason.startsWith("Unschedulable")) {
            return 2;
        }
        return reason.startsWith("Terminating") ? 0 : 1;
    }

    private static int restarts(List<Pod> pods) {
        return pods.stream()
                .filter(pod -> pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null)
                .flatMap(pod -> pod.getStatus().getContainerStatuses().stream())
                .mapToInt(container -> orZero(container.getRestartCount(), 0))
                .sum();
    }

    private static List<String> images(PodTemplateSpec template) {
        if (template == null || template.getSpec() == null) {
            return List.of();
        }
        return template.getSpec().getContainers().stream()
                .map(Container::getImage)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
    }

    private static Optional<Instant> created(HasMetadata object) {
        String timestamp = object.getMetadata().getCreationTimestamp();
        return timestamp == null ? Optional.empty() : Optional.of(Instant.parse(timestamp));
    }

    private static int orZero(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
