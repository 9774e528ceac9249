package dev.mkplat.kube;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * Waits until workloads are ready by {@link WorkloadReadiness}'s rules, polling until a deadline.
 * Progress names each workload that is not ready yet and why, once per change (for example {@code
 * auth: 1/2 ready (auth-7f9c-x: CrashLoopBackOff)}). At the deadline it reports, for each blocker,
 * what it wanted, what it saw, the container states of its pods and its latest events, and ends the
 * command with exit code 4.
 */
public final class RolloutWaiter {
    private static final int EVENTS_SHOWN = 8;

    private final WorkloadReader reader;
    private final Consumer<String> progress;
    private final Duration pollInterval;
    private final Clock clock;

    public RolloutWaiter(Cluster cluster, Consumer<String> progress, Duration pollInterval) {
        this(new WorkloadReader(cluster), progress, pollInterval, Clock.systemUTC());
    }

    RolloutWaiter(WorkloadReader reader, Consumer<String> progress, Duration pollInterval, Clock clock) {
        this.reader = reader;
        this.progress = progress;
        this.pollInterval = pollInterval;
        this.clock = clock;
    }

    /**
     * Waits for every workload among {@code objects} (others are ignored) to be ready.
     *
     * @param stage    what is waited for, as the user reads it (for example {@code db and infra})
     * @param objects  the objects just applied
     * @param deadline when to give up
     * @return the final state of each workload
     * @throws MkplatException with {@link ExitCode#TIMEOUT} at the deadline
     */
    public List<WorkloadState> await(String stage, List<ObjectRef> objects, Instant deadline) {
        return await(stage, objects, deadline, Map.of());
    }

    /**
     * As {@link #await(String, List, Instant)}, and a workload with a floor is not ready before that
     * many replicas are: a Deployment that leaves its count to a HorizontalPodAutoscaler starts
     * with one replica, and the autoscaler raises it to its minimum a moment later.
     *
     * @param floors the least ready replicas of some workloads (the autoscalers' minimums)
     */
    public List<WorkloadState> await(String stage, List<ObjectRef> objects, Instant deadline, Map<ObjectRef, Integer> floors) {
        List<ObjectRef> workloads = objects.stream().filter(ref -> WorkloadReadiness.waitsFor(ref.kind())).toList();
        Map<ObjectRef, WorkloadState> states = new LinkedHashMap<>();
        Map<ObjectRef, String> lastPrinted = new HashMap<>();
        Instant start = clock.instant();
        while (true) {
            for (ObjectRef ref : workloads) {
                WorkloadState previous = states.get(ref);
                if (previous != null && previous.ready()) {
                    continue;
                }
                WorkloadState state = withFloor(reader.read(ref), floors.getOrDefault(ref, 0));
                states.put(ref, state);
                String line = state.progressLine();
                if (!line.equals(lastPrinted.get(ref))) {
                    lastPrinted.put(ref, line);
                    progress.accept("  " + (state.ready() ? "ready      " : "waiting    ") + line);
                }
            }
            List<WorkloadState> blocking = states.values().stream().filter(state -> !state.ready()).toList();
            if (blocking.isEmpty()) {
                return List.copyOf(states.values());
            }
            if (!clock.instant().isBefore(deadline)) {
                throw timedOut(stage, Duration.between(start, clock.instant()), blocking);
            }
            sleep(Duration.ofMillis(Math.min(pollInterval.toMillis(), Math.max(1, Duration.between(clock.instant(), deadline).toMillis()))));
        }
    }

    static WorkloadState withFloor(WorkloadState state, int floor) {
        if (!state.exists() || state.desired() >= floor) {
            return state;
        }
        List<String> blockers = new ArrayList<>(state.blockers());
        blockers.add(0, "its autoscaler's minimum is " + floor);
        return new WorkloadState(state.ref(), true, false, state.readyCount(), floor,
                Math.min(state.readyCount(), floor) + "/" + floor + " ready", blockers, state.restarts(), state.created(), state.images());
    }

    /**
     * Waits until none of these namespaces is still terminating: a destroy that just ran leaves
     * them being emptied, and the apiserver refuses new objects in them until they are gone.
     */
    public void awaitNamespacesUsable(List<String> namespaces, Instant deadline) {
        boolean said = false;
        while (true) {
            List<String> terminating = namespaces.stream().filter(reader::terminating).toList();
            if (terminating.isEmpty()) {
                return;
            }
            if (!said) {
                progress.accept("  waiting    namespaces " + String.join(", ", terminating) + " to finish terminating");
                said = true;
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new MkplatException(ExitCode.TIMEOUT, "namespaces " + String.join(", ", terminating)
                        + " are still terminating", "something holds them (a finalizer): kubectl get namespace "
                        + terminating.getFirst() + " -o yaml shows the conditions");
            }
            sleep(pollInterval);
        }
    }

    private MkplatException timedOut(String stage, Duration waited, List<WorkloadState> blocking) {
        progress.accept("timed out after " + format(waited) + " waiting for " + stage + "; still not ready:");
        for (WorkloadState state : blocking) {
            report(state).forEach(progress);
        }
        WorkloadState first = blocking.getFirst();
        return new MkplatException(ExitCode.TIMEOUT,
                "timed out after " + format(waited) + " waiting for " + stage + ": " + first.ref() + " is " + first.summary()
                        + (blocking.size() > 1 ? " (and " + (blocking.size() - 1) + " more)" : ""),
                "the events above say why; rerun with a longer --timeout, or inspect with kubectl -n "
                        + first.ref().namespace() + " describe " + first.ref().kind().toLowerCase(java.util.Locale.ROOT) + " " + first.ref().name());
    }

    /** What one blocker wanted and showed: its state, its pods' containers and its latest events. */
    List<String> report(WorkloadState state) {
        List<String> lines = new ArrayList<>();
        lines.add("  " + state.ref() + ": wanted " + wanted(state) + ", saw " + state.summary());
        state.blockers().forEach(blocker -> lines.add("    - " + blocker));
        if (!state.exists()) {
            return lines;
        }
        Optional<HasMetadata> live = reader.live(state.ref());
        if (live.isPresent()) {
            for (Pod pod : reader.pods(live.get())) {
                lines.add("    pod " + pod.getMetadata().getName() + ": " + (WorkloadReadiness.isReady(pod) ? "Ready" : WorkloadReadiness.reason(pod))
                        + (pod.getSpec() != null && pod.getSpec().getNodeName() != null ? " on " + pod.getSpec().getNodeName() : ""));
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
            events.subList(Math.max(0, events.size() - EVENTS_SHOWN), events.size()).forEach(event -> lines.add("      "
                    + event.getType() + " " + event.getReason() + " " + event.getInvolvedObject().getKind() + "/"
                    + event.getInvolvedObject().getName() + ": " + String.valueOf(event.getMessage()).replaceAll("\\s+", " ").trim()));
        }
        return lines;
    }

    private static String wanted(WorkloadState state) {
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
                    + (state.getWaiting().getMessage() == null ? "" : " (" + state.getWaiting().getMessage().replaceAll("\\s+", " ") + ")");
        } else if (state.getTerminated() != null) {
            now = "terminated " + state.getTerminated().getReason() + " exit " + state.getTerminated().getExitCode();
        } else {
            now = "running" + (Boolean.TRUE.equals(container.getReady()) ? ", ready" : ", not ready");
        }
        int restarts = container.getRestartCount() == null ? 0 : container.getRestartCount();
        if (restarts > 0) {
            now += ", " + restarts + " restarts";
            var last = container.getLastState();
            if (last != null && last.getTerminated() != null) {
                now += " (last: " + last.getTerminated().getReason() + " exit " + last.getTerminated().getExitCode() + ")";
            }
        }
        return now;
    }

    static String format(Duration duration) {
        long seconds = Math.round(duration.toMillis() / 1000.0);
        return seconds >= 60 ? (seconds / 60) + "m" + (seconds % 60) + "s" : seconds + "s";
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MkplatException(ExitCode.FAILED, "interrupted while waiting", null, e);
        }
    }
}
