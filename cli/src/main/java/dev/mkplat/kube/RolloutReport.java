package dev.mkplat.kube;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a workload that is not ready shows, for a timeout: the state it was wanted in and seen in,
 * why it is not ready, its pods' containers and its latest events. The waiter prints it for each
 * blocker when a deadline passes; anything else that gives up on a workload can print it too.
 */
public final class RolloutReport {
    private static final int EVENTS_SHOWN = 8;

    private final WorkloadReader reader;

    public RolloutReport(Cluster cluster) {
        this(new WorkloadReader(cluster));
    }

    RolloutReport(WorkloadReader reader) {
        this.reader = reader;
    }

    /** What one blocker wanted and showed: its state, its pods' containers and its latest events. */
    public List<String> lines(WorkloadState state) {
        List<String> lines = new ArrayList<>();
        lines.add("  " + state.ref() + ": wanted " + wanted(state) + ", saw " + state.summary());
        state.blockers().forEach(blocker -> lines.add("    - " + blocker));
        if (!state.exists()) {
            return lines;
        }
        Optional<HasMetadata> live = reader.live(state.ref());
        if (live.isPresent()) {
            for (Pod pod : reader.pods(live.get())) {
                lines.add("    pod " + pod.getMetadata().getName() + ": "
                        + (WorkloadReadiness.isReady(pod) ? "Ready" : WorkloadReadiness.reason(pod))
                        + (pod.getSpec() != null && pod.getSpec().getNodeName() != null
                                ? " on " + pod.getSpec().getNodeName()
                                : ""));
                if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
                    for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
                        lines.add("      container " + container.getName() + ": " + containerState(container));
                    }
                }
            }
        }
        List<Event> events = reader.events(state.ref());
        if (!events.isEmpty()) {
            lines.add("    last events:");
            events.subList(Math.max(0, events.size() - EVENTS_SHOWN), events.size())
                    .forEach(event -> lines.add("      "
                            + event.getType() + " " + event.getReason() + " "
                            + event.getInvolvedObject().getKind() + "/"
                            + event.getInvolvedObject().getName() + ": "
                            + String.valueOf(event.getMessage())
                                    .replaceAll("\\s+", " ")
                                    .trim()));
        }
        return lines;
    }

    /** The state a workload of this kind is waited for, as the user reads it. */
    static String wanted(WorkloadState state) {
        return switch (state.ref().kind()) {
            case "PersistentVolumeClaim" -> "Bound";
            case "StatefulSet" -> state.desired() + "/" + state.desired() + " ready on the update revision";
            default -> state.desired() + "/" + state.desired() + " ready and updated";
        };
    }

    static String containerState(ContainerStatus container) {
        var state = container.getState();
        String now;
        if (state == null) {
            now = "unknown";
        } else if (state.getWaiting() != null) {
            now = "waiting " + state.getWaiting().getReason()
                    + (state.getWaiting().getMessage() == null
                            ? ""
                            : " (" + state.getWaiting().getMessage().replaceAll("\\s+", " ") + ")");
        } else if (state.getTerminated() != null) {
            now = "terminated " + state.getTerminated().getReason() + " exit "
                    + state.getTerminated().getExitCode();
        } else {
            now = "running" + (Boolean.TRUE.equals(container.getReady()) ? ", ready" : ", not ready");
        }
        int restarts = container.getRestartCount() == null ? 0 : container.getRestartCount();
        if (restarts > 0) {
            now += ", " + restarts + " restarts";
            var last = container.getLastState();
            if (last != null && last.getTerminated() != null) {
                now += " (last: " + last.getTerminated().getReason() + " exit "
                        + last.getTerminated().getExitCode() + ")";
            }
        }
        return now;
    }
}
