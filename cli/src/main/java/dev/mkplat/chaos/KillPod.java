package dev.mkplat.chaos;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.ComponentPods;
import dev.mkplat.kube.ComponentPods.PodSnapshot;
import dev.mkplat.kube.ComponentPods.Workload;
import dev.mkplat.kube.ExperimentLocks;
import dev.mkplat.kube.Wait;
import dev.mkplat.kube.WaitTimeoutException;
import dev.mkplat.traffic.report.Threshold;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * {@code chaos kill-pod}: checks that the kill is safe, deletes ready pods chosen at random, then
 * watches the component until it is back at its ready count, and reports when each replacement
 * existed, when it was Ready, and when the whole component had recovered.
 */
public final class KillPod {
    /** How often the pods are listed while the component recovers: the resolution of the reported times. */
    static final Duration OBSERVE_EVERY = Duration.ofMillis(100);

    private final Cluster cluster;
    private final ComponentPods pods;
    private final ExperimentLocks locks;
    private final Clock clock;
    private final RandomGenerator random;
    private final PrintWriter out;
    private final Path workingDirectory;

    public KillPod(Cluster cluster, Clock clock, RandomGenerator random, PrintWriter out, Path workingDirectory) {
        this.cluster = cluster;
        this.pods = new ComponentPods(cluster);
        this.locks = new ExperimentLocks(cluster, clock);
        this.clock = clock;
        this.random = random;
        this.out = out;
        this.workingDirectory = workingDirectory;
    }

    /** One killed pod and what replaced it. */
    record Kill(
            PodSnapshot victim,
            Instant at,
            Optional<String> replacement,
            Optional<Duration> existedAfter,
            Optional<Duration> readyAfter) {}

    /**
     * What happened.
     *
     * @param kills    each kill, in order
     * @param recovery from the first kill until the component was back at its ready count; empty when it was not within the timeout
     * @param ready    ready pods at the end
     * @param desired  the ready count recovery waited for
     * @param journal  where the journal was written
     */
    public record Result(
            List<Kill> kills,
            Optional<Duration> recovery,
            int ready,
            int desired,
            Path journal,
            Optional<TrafficWatch.Measurement> traffic,
            Optional<DataMarker.Check> data) {
        /** Whether the component was back at its ready count in time. */
        public boolean recovered() {
            return recovery.isPresent();
        }

        /** Recovered, and under traffic the error rate was back at baseline too. */
        boolean recoveredWithTraffic() {
            return recovered()
                    && traffic.map(TrafficWatch.Measurement::recovered).orElse(true);
        }

        /** How the experiment ended, as the journal records it. */
        Journal.Verdict verdict() {
            if (!recoveredWithTraffic()) {
                return Journal.Verdict.NOT_RECOVERED;
            }
            if (data.isPresent() && !data.get().intact()) {
                return Journal.Verdict.DATA_LOST;
            }
            if (traffic.isPresent() && !traffic.get().steadyAgain()) {
                return Journal.Verdict.DEVIATED;
            }
            return Journal.Verdict.RECOVERED;
        }

        ExitCode exitCode() {
            return verdict().exitCode();
        }
    }

    /**
     * Runs the experiment.
     *
     * @return the result; empty for a dry run
     * @throws MkplatException exit 1 when refused (unsafe, locked, not deployed), exit 4 when the
     *         component did not recover within the timeout (after the report and the journal)
     */
    public Optional<Result> run(KillPodRequest request) {
        ChaosTarget target = request.target();
        Journal journal = new Journal("kill-pod", target.name(), request.options(), clock);
        journal.cluster(cluster.context(), cluster.server());
        Path journalFile =
                request.journal().map(workingDirectory::resolve).orElseGet(() -> journal.defaultPath(workingDirectory));
        Workload before = pods.workload(target.kind(), target.namespace(), target.name())
                .orElseThrow(() -> MkplatException.failed(
                        target.name() + " is not deployed: no " + target.kind() + " " + target.namespace() + "/"
                                + target.name() + " labelled part of mkplat",
                        "mkplat deploy installs it"));
        KillPlan plan;
        try {
            plan = KillPlan.choose(before, pods.budgets(before), request.count(), random);
        } catch (IllegalArgumentException nothingToKill) {
            throw MkplatException.failed(
                    "cannot kill " + request.count() + " pod" + (request.count() == 1 ? "" : "s") + " of "
                            + target.name() + ": " + nothingToKill.getMessage(),
                    "mkplat status shows its pods; lower --count");
        }
        printPlan(request, before, plan);
        journal.observation(
                "steady-state",
                Map.of(
                        "ready",
                        plan.serving(),
                        "desired",
                        plan.desired(),
                        "pods",
                        before.pods().stream()
                                .map(pod -> pod.name() + (pod.serving() ? " Ready" : " not ready"))
                                .toList()));
        if (!plan.safe() && !request.force()) {
            plan.refusals().forEach(reason -> out.println("refused: " + reason));
            out.flush();
            if (!request.dryRun()) {
                journal.observation("refused", Map.of("reasons", plan.refusals()));
                journal.write(
                        journalFile,
                        Journal.Verdict.REFUSED,
                        ExitCode.FAILED,
                        plan.refusals().getFirst());
            }
            throw MkplatException.failed(
                    plan.refusals().getFirst(),
                    "kill fewer pods, wait until more are ready, or pass --force to kill anyway");
        }
        if (request.dryRun()) {
            out.println("dry run: nothing was deleted");
            out.flush();
            return Optional.empty();
        }
        String holder = ExperimentId.next();
        Duration lockFor = request.timeout()
                .plus(request.interval().multipliedBy(request.count()))
                .plusMinutes(1);
        Optional<ExperimentLocks.Holder> busy =
                locks.acquire(target.namespace(), target.name(), holder, "kill-pod " + target.name(), lockFor);
        if (busy.isPresent()) {
            throw busy(target, busy.get());
        }
        journal.action(
                "lock", Map.of("lease", target.namespace() + "/mkplat-chaos-" + target.name(), "holder", holder));
        Result[] finished = new Result[1];
        try (Undo undo = Undo.onInterrupt(() -> {
                    if (finished[0] == null && !journal.written()) {
                        journal.observation("interrupted", Map.of());
                        journal.write(
                                journalFile,
                                Journal.Verdict.INTERRUPTED,
                                ExitCode.FAILED,
                                "interrupted before " + target.name() + " recovered");
                    }
                    locks.release(target.namespace(), target.name(), holder);
                });
                TrafficWatch traffic = TrafficWatch.of(request.traffic(), clock, out)) {
            List<Threshold.Result> unsteady;
            try {
                unsteady = traffic.steadyState();
            } catch (MkplatException noLoad) {
                journal.observation("no-steady-state", Map.of("error", noLoad.getMessage()));
                journal.write(
                        journalFile,
                        Journal.Verdict.FAILED,
                        noLoad.exitCode(),
                        noLoad.getMessage() + "; nothing was killed");
                throw noLoad;
            }
            if (!unsteady.isEmpty()) {
                throw notSteady(unsteady, journal, journalFile, "nothing was killed");
            }
            finished[0] = killAndObserve(request, before, plan, journal, journalFile, traffic);
        }
        Result result = finished[0];
        if (!result.recoveredWithTraffic()) {
            String what = !result.recovered()
                    ? result.ready() + "/" + result.desired() + " ready"
                    : "the error rate was not back at baseline";
            throw new MkplatException(
                    ExitCode.TIMEOUT,
                    target.name() + " did not recover within " + Seconds.text(request.timeout()) + ": " + what,
                    "the journal " + result.journal() + " has what was seen; kubectl -n " + target.namespace()
                            + " get pods,events shows why");
        }
        if (result.exitCode() != ExitCode.OK) {
            throw new MkplatException(
                    result.exitCode(),
                    KillPodReport.summary(target, result),
                    "the journal " + result.journal() + " has what was seen");
        }
        return Optional.of(result);
    }

    /** The steady state did not hold before the fault: the experiment is refused, as Chaos Toolkit aborts one. */
    static MkplatException notSteady(
            List<Threshold.Result> unsteady, Journal journal, Path journalFile, String consequence) {
        String why = "the steady state does not hold before the fault: "
                + String.join(
                        "; ",
                        unsteady.stream()
                                .map(result -> result.threshold() + " (" + result.detail() + ")")
                                .toList())
                + "; " + consequence;
        journal.observation(
                "steady-state-not-met",
                Map.of(
                        "crossed",
                        unsteady.stream().map(Threshold.Result::threshold).toList()));
        journal.write(journalFile, Journal.Verdict.REFUSED, ExitCode.FAILED, why);
        return MkplatException.failed(
                why,
                "the platform must be healthy under this load first: mkplat traffic shows how it does; --steady sets other thresholds");
    }

    private Result killAndObserve(
            KillPodRequest request,
            Workload before,
            KillPlan plan,
            Journal journal,
            Path journalFile,
            TrafficWatch traffic) {
        ChaosTarget target = request.target();
        Optional<DataMarker> markers = request.verifyData().map(ingress -> new DataMarker(ingress, clock));
        try {
            Optional<DataMarker.Marker> marker;
            try {
                marker = markers.map(DataMarker::write);
            } catch (MkplatException noMarker) {
                journal.observation("no-marker", Map.of("error", noMarker.getMessage()));
                journal.write(
                        journalFile,
                        Journal.Verdict.FAILED,
                        noMarker.exitCode(),
                        noMarker.getMessage() + "; nothing was killed");
                throw noMarker;
            }
            marker.ifPresent(written -> {
                journal.action("write-marker", Map.of("item", written.id(), "name", written.name()));
                out.println("marker: item " + written.id() + " (" + written.name() + ") written through api");
                out.flush();
            });
            return killAndObserve(request, before, plan, journal, journalFile, traffic, markers, marker);
        } finally {
            markers.ifPresent(DataMarker::close);
        }
    }

    private Result killAndObserve(
            KillPodRequest request,
            Workload before,
            KillPlan plan,
            Journal journal,
            Path journalFile,
            TrafficWatch traffic,
            Optional<DataMarker> markers,
            Optional<DataMarker.Marker> marker) {
        ChaosTarget target = request.target();
        traffic.faultBegins();
        Instant firstKill = clock.instant();
        Recovery recovery = new Recovery(request, before, plan, journal, firstKill, traffic);
        Instant deadline = firstKill
                .plus(request.interval().multipliedBy(plan.victims().size() - 1))
                .plus(request.timeout());
        Optional<Instant> recoveredAt;
        try {
            new Wait(clock, OBSERVE_EVERY)
                    .until(
                            Wait.Condition.of(
                                    target.name(),
                                    plan.desired() + " ready with every killed pod replaced",
                                    recovery::observe,
                                    Recovery::recovered),
                            deadline);
            recoveredAt = Optional.of(clock.instant());
            journal.observation("recovered", Map.of("ready", recovery.ready, "desired", plan.desired()));
        } catch (WaitTimeoutException notYet) {
            recoveredAt = Optional.empty();
            journal.observation("deadline", Map.of("ready", recovery.ready, "desired", plan.desired()));
        }
        // The error rate may need a little longer than the pods: time enough for its confirmation at least.
        Instant trafficDeadline = later(deadline, clock.instant().plusSeconds(TrafficPhases.CONFIRM + 30L));
        Optional<TrafficWatch.Measurement> load = traffic.recovery(trafficDeadline);
        load.ifPresent(outcome -> journal.observation(
                outcome.recovered() ? "error-rate-at-baseline" : "error-rate-not-at-baseline",
                Map.of("afterFaultSeconds", outcome.recovery().map(Seconds::of).orElse(-1.0))));
        Optional<DataMarker.Check> data = Optional.empty();
        if (marker.isPresent() && recoveredAt.isPresent()) {
            data = Optional.of(
                    markers.orElseThrow().verify(marker.get(), clock.instant().plus(request.timeout())));
            journal.observation(
                    data.get().intact() ? "marker-intact" : "marker-lost",
                    Map.of("item", marker.get().id(), "detail", data.get().detail()));
        }
        Result result = new Result(
                recovery.kills(),
                recoveredAt.map(end -> Duration.between(firstKill, end)),
                recovery.ready,
                plan.desired(),
                journalFile,
                load,
                data);
        KillPodReport.record(result, journal);
        out.print(KillPodReport.text(target, result, request.timeout()));
        out.flush();
        journal.write(journalFile, result.verdict(), result.exitCode(), KillPodReport.summary(target, result));
        return result;
    }

    /**
     * One observation after another: kills each victim when its turn comes, lists the pods, and
     * notes when each new pod appeared and when it became Ready. The pod that appears n-th after
     * the kills replaces the n-th victim.
     */
    private final class Recovery {
        private final KillPodRequest request;
        private final KillPlan plan;
        private final Journal journal;
        private final Instant firstKill;
        private final Set<String> known;
        private final List<Instant> killedAt = new ArrayList<>();
        private final List<String> replacements = new ArrayList<>();
        private final Map<String, Instant> createdAt = new LinkedHashMap<>();
        private final Map<String, Instant> readyAt = new LinkedHashMap<>();
        private final Map<String, String> names = new LinkedHashMap<>();
        private int ready;

        private final TrafficWatch traffic;

        Recovery(
                KillPodRequest request,
                Workload before,
                KillPlan plan,
                Journal journal,
                Instant firstKill,
                TrafficWatch traffic) {
            this.traffic = traffic;
            this.request = request;
            this.plan = plan;
            this.journal = journal;
            this.firstKill = firstKill;
            this.known = before.pods().stream().map(PodSnapshot::uid).collect(Collectors.toCollection(HashSet::new));
            this.ready = plan.serving();
        }

        Recovery observe() {
            ChaosTarget target = request.target();
            List<PodSnapshot> victims = plan.victims();
            if (killedAt.size() < victims.size()
                    && !clock.instant()
                            .isBefore(firstKill.plus(request.interval().multipliedBy(killedAt.size())))) {
                PodSnapshot victim = victims.get(killedAt.size());
                boolean deleted = pods.delete(target.namespace(), victim, request.grace());
                killedAt.add(clock.instant());
                journal.action(
                        "delete-pod",
                        Map.of(
                                "pod",
                                victim.name(),
                                "uid",
                                victim.uid(),
                                "node",
                                victim.node(),
                                "graceSeconds",
                                request.grace().toSeconds(),
                                "deleted",
                                deleted));
                progress(firstKill, "killed  " + victim.name() + (deleted ? "" : " (it was already gone)"));
                if (killedAt.size() == victims.size()) {
                    traffic.faultEnds();
                }
            }
            List<PodSnapshot> live = pods.workload(target.kind(), target.namespace(), target.name())
                    .map(Workload::pods)
                    .orElse(List.of());
            for (PodSnapshot pod : live) {
                if (known.add(pod.uid())) {
                    createdAt.put(pod.uid(), clock.instant());
                    names.put(pod.uid(), pod.name());
                    replacements.add(pod.uid());
                    journal.observation("pod-created", Map.of("pod", pod.name(), "uid", pod.uid()));
                    progress(firstKill, "created " + pod.name());
                }
                if (createdAt.containsKey(pod.uid()) && pod.serving() && !readyAt.containsKey(pod.uid())) {
                    readyAt.put(pod.uid(), clock.instant());
                    journal.observation("pod-ready", Map.of("pod", pod.name(), "uid", pod.uid()));
                    progress(firstKill, "ready   " + pod.name());
                }
            }
            ready = (int) live.stream().filter(PodSnapshot::serving).count();
            return this;
        }

        boolean recovered() {
            return killedAt.size() == plan.victims().size()
                    && replacements.stream().filter(readyAt::containsKey).count()
                            >= plan.victims().size()
                    && ready >= plan.desired();
        }

        List<Kill> kills() {
            List<Kill> kills = new ArrayList<>();
            for (int i = 0; i < killedAt.size(); i++) {
                Instant at = killedAt.get(i);
                Optional<String> uid = i < replacements.size() ? Optional.of(replacements.get(i)) : Optional.empty();
                kills.add(new Kill(
                        plan.victims().get(i),
                        at,
                        uid.map(names::get),
                        uid.map(createdAt::get).map(created -> nonNegative(Duration.between(at, created))),
                        uid.map(readyAt::get).map(readied -> nonNegative(Duration.between(at, readied)))));
            }
            return kills;
        }
    }

    private void printPlan(KillPodRequest request, Workload before, KillPlan plan) {
        ChaosTarget target = request.target();
        out.println("chaos kill-pod " + target.name() + ": " + plan.serving() + "/" + plan.desired() + " ready in "
                + target.kind() + " " + target.namespace() + "/" + target.name() + ", on context " + cluster.context());
        for (var budget : plan.budgets()) {
            out.println("  PodDisruptionBudget " + budget.name() + ": " + budget.rule() + ", allows "
                    + budget.disruptionsAllowed() + " now");
        }
        if (plan.budgets().isEmpty()) {
            out.println("  no PodDisruptionBudget covers its pods");
        }
        String verb = request.dryRun() ? "would kill" : "killing";
        for (PodSnapshot victim : plan.victims()) {
            out.println("  " + verb + " " + victim.name() + (victim.node().isEmpty() ? "" : " on " + victim.node()));
        }
        if (!plan.safe() && request.force()) {
            plan.refusals().forEach(reason -> out.println("  --force: " + reason));
        }
        if (request.count() > 1 && !request.interval().isZero()) {
            out.println("  one every " + Seconds.text(request.interval()));
        }
        out.flush();
    }

    private void progress(Instant start, String what) {
        out.println("  +" + Seconds.text(nonNegative(Duration.between(start, clock.instant()))) + "  " + what);
        out.flush();
    }

    static MkplatException busy(ChaosTarget target, ExperimentLocks.Holder holder) {
        return MkplatException.failed(
                "another chaos experiment runs on " + target.name() + ": " + holder.experiment() + " ("
                        + holder.holder() + ", since " + holder.acquired() + ")",
                "wait for it to end (its lock lapses at " + holder.expires()
                        + "); if that run crashed, mkplat chaos revert removes the lock");
    }

    private static Instant later(Instant one, Instant other) {
        return one.isAfter(other) ? one : other;
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
