package dev.mkplat.kube;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Waits until workloads are ready by {@link WorkloadReadiness}'s rules, on the one {@link Wait}.
 * Progress names each workload that is not ready yet and why, once per change (for example {@code
 * auth: 1/2 ready (auth-7f9c-x: CrashLoopBackOff)}). At the deadline it prints, for each blocker,
 * the {@link RolloutReport} (what it wanted, what it saw, the container states of its pods and its
 * latest events), and ends the command with exit code 4. A pod that cannot pull its image gets a
 * warning of its own as soon as it is seen, on the first look before any waiting: it names the
 * image and how to get it into the cluster, since no wait will fix it.
 */
public final class RolloutWaiter {
    private final WorkloadReader reader;
    private final RolloutReport report;
    private final ClusterView view;
    private final Consumer<String> progress;
    private final Wait wait;
    /** The images already warned about, so that each is named once per deploy. */
    private final Set<String> pullWarned = new HashSet<>();

    public RolloutWaiter(Cluster cluster, Consumer<String> progress, Wait wait) {
        this.reader = new WorkloadReader(cluster);
        this.report = new RolloutReport(reader);
        this.view = new ClusterView(cluster);
        this.progress = progress;
        this.wait = wait;
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
    public List<WorkloadState> await(
            String stage, List<ObjectRef> objects, Instant deadline, Map<ObjectRef, Integer> floors) {
        List<ObjectRef> workloads = objects.stream()
                .filter(ref -> WorkloadReadiness.waitsFor(ref.kind()))
                .toList();
        Map<ObjectRef, WorkloadState> states = new LinkedHashMap<>();
        Map<ObjectRef, String> lastPrinted = new HashMap<>();
        Supplier<List<WorkloadState>> observe = () -> {
            for (ObjectRef ref : workloads) {
                WorkloadState previous = states.get(ref);
                if (previous != null && previous.ready()) {
                    continue;
                }
                WorkloadState state = withFloor(reader.read(ref), floors.getOrDefault(ref, 0));
                states.put(ref, state);
                if (state.blockers().stream().anyMatch(PullProblem::mentionsPullReason)) {
                    warnAboutPulls(reader.pullProblems(ref));
                }
                String line = state.progressLine();
                if (!line.equals(lastPrinted.get(ref))) {
                    lastPrinted.put(ref, line);
                    progress.accept("  " + (state.ready() ? "ready      " : "waiting    ") + line);
                }
            }
            return List.copyOf(states.values());
        };
        try {
            return wait.until(
                    new Wait.Condition<>(
                            stage,
                            "ready",
                            observe,
                            all -> all.stream().allMatch(WorkloadState::ready),
                            all -> all.stream()
                                    .filter(state -> !state.ready())
                                    .map(WorkloadState::progressLine)
                                    .collect(Collectors.joining("; "))),
                    deadline);
        } catch (WaitTimeoutException timeout) {
            throw timedOut(
                    stage,
                    timeout,
                    states.values().stream().filter(state -> !state.ready()).toList());
        }
    }

    /** One warning per image that cannot be pulled, with the fix; the hint once. */
    void warnAboutPulls(List<PullProblem> problems) {
        for (PullProblem problem : problems) {
            if (!pullWarned.add(problem.image())) {
                continue;
            }
            boolean first = pullWarned.size() == 1;
            progress.accept(problem.warning());
            if (first) {
                progress.accept("  hint: " + PullProblem.HINT);
            }
        }
    }

    static WorkloadState withFloor(WorkloadState state, int floor) {
        if (!state.exists() || state.desired() >= floor) {
            return state;
        }
        List<String> blockers = new ArrayList<>(state.blockers());
        blockers.add(0, "its autoscaler's minimum is " + floor);
        return new WorkloadState(
                state.ref(),
                true,
                false,
                state.readyCount(),
                floor,
                Math.min(state.readyCount(), floor) + "/" + floor + " ready",
                blockers,
                state.restarts(),
                state.created(),
                state.images());
    }

    /**
     * Waits until none of these namespaces is still terminating: a destroy that just ran leaves
     * them being emptied, and the apiserver refuses new objects in them until they are gone.
     */
    public void awaitNamespacesUsable(List<String> namespaces, Instant deadline) {
        boolean[] said = {false};
        Supplier<List<String>> terminating = () -> {
            List<String> now = namespaces.stream().filter(reader::terminating).toList();
            if (!now.isEmpty() && !said[0]) {
                progress.accept("  waiting    namespaces " + String.join(", ", now) + " to finish terminating");
                said[0] = true;
            }
            return now;
        };
        try {
            wait.until(
                    Wait.Condition.of(
                                    "namespaces " + String.join(", ", namespaces), "usable", terminating, List::isEmpty)
                            .describedBy(left -> String.join(", ", left) + " terminating"),
                    deadline);
        } catch (WaitTimeoutException timeout) {
            @SuppressWarnings("unchecked")
            List<String> left = (List<String>) timeout.lastObserved();
            throw new MkplatException(
                    ExitCode.TIMEOUT,
                    "namespaces " + String.join(", ", left) + " are still terminating",
                    "something holds them (a finalizer): kubectl get namespace " + left.getFirst()
                            + " -o yaml shows the conditions",
                    timeout);
        }
    }

    /** Deletes these namespaces and waits until the apiserver has removed them and their contents. */
    public void deleteNamespacesAndWait(List<String> namespaces, Instant deadline) {
        namespaces.forEach(view::deleteNamespace);
        try {
            wait.until(
                    Wait.Condition.of(
                                    "namespaces " + String.join(", ", namespaces),
                                    "gone",
                                    () -> namespaces.stream()
                                            .filter(view::namespaceExists)
                                            .toList(),
                                    List::isEmpty)
                            .describedBy(left -> String.join(", ", left) + " still there"),
                    deadline);
        } catch (WaitTimeoutException timeout) {
            @SuppressWarnings("unchecked")
            List<String> left = (List<String>) timeout.lastObserved();
            throw new MkplatException(
                    ExitCode.TIMEOUT,
                    "namespaces " + String.join(", ", left) + " are still terminating",
                    "kubectl get namespace " + left.getFirst()
                            + " -o yaml shows what holds it (conditions, finalizers)",
                    timeout);
        }
    }

    private MkplatException timedOut(String stage, WaitTimeoutException timeout, List<WorkloadState> blocking) {
        String waited = Wait.format(timeout.waited());
        progress.accept("timed out after " + waited + " waiting for " + stage + "; still not ready:");
        for (WorkloadState state : blocking) {
            report.lines(state).forEach(progress);
        }
        WorkloadState first = blocking.getFirst();
        return new MkplatException(
                ExitCode.TIMEOUT,
                "timed out after " + waited + " waiting for " + stage + ": " + first.ref() + " is " + first.summary()
                        + (blocking.size() > 1 ? " (and " + (blocking.size() - 1) + " more)" : ""),
                "the events above say why; rerun with a longer --timeout, or inspect with kubectl -n "
                        + first.ref().namespace() + " describe "
                        + first.ref().kind().toLowerCase(Locale.ROOT) + " "
                        + first.ref().name(),
                timeout);
    }
}
