package dev.mkplat.kube;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a workload (Deployment, StatefulSet, DaemonSet) or claim looks like now, judged by
 * kstatus-like rules.
 *
 * @param ref      the object
 * @param exists   whether it exists at all
 * @param ready    whether it is current and ready: the controller saw the latest generation, every
 *                 replica runs the latest template and is available
 * @param readyCount how many replicas are ready
 * @param desired  how many replicas are wanted
 * @param summary  a short state, for example {@code 1/2 ready} or {@code Pending}
 * @param blockers why it is not ready yet, most telling first, for example
 *                 {@code auth-7f9c-x: CrashLoopBackOff}
 * @param restarts container restarts summed over its pods
 * @param created  when it was created
 * @param images   the images of its pod template
 */
public record WorkloadState(
        ObjectRef ref,
        boolean exists,
        boolean ready,
        int readyCount,
        int desired,
        String summary,
        List<String> blockers,
        int restarts,
        Optional<Instant> created,
        List<String> images) {
    public WorkloadState {
        blockers = List.copyOf(blockers);
        images = List.copyOf(images);
    }

    static WorkloadState missing(ObjectRef ref) {
        return new WorkloadState(
                ref, false, false, 0, 0, "missing", List.of("does not exist"), 0, Optional.empty(), List.of());
    }

    /** {@code auth: 1/2 ready (auth-7f9c-x: CrashLoopBackOff)}: one line of live progress. */
    public String progressLine() {
        String line = ref.name() + ": " + summary;
        return blockers.isEmpty() || ready
                ? line
                : line + " (" + String.join("; ", blockers.subList(0, Math.min(2, blockers.size()))) + ")";
    }
}
