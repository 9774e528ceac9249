package dev.mkplat.chaos;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.ComponentPods;
import dev.mkplat.kube.StoppedWorkloads;
import dev.mkplat.kube.StoppedWorkloads.Autoscaler;
import dev.mkplat.kube.StoppedWorkloads.Stopped;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code chaos stop}: a component (meant for the dependencies postgres, redis, gcs-emulator) scaled
 * to zero for a while, then back to the replicas it had, and the time until it is ready again.
 */
public final class DependencyStop {
    private final Cluster cluster;
    private final StoppedWorkloads workloads;
    private final ComponentPods pods;
    private final Clock clock;
    private final PrintWriter out;
    private final Path workingDirectory;

    public DependencyStop(Cluster cluster, Clock clock, PrintWriter out, Path workingDirectory) {
        this.cluster = cluster;
        this.workloads = new StoppedWorkloads(cluster);
        this.pods = new ComponentPods(cluster);
        this.clock = clock;
        this.out = out;
        this.workingDirectory = workingDirectory;
    }

    /** What the cluster has before the stop: the replicas to come back to, an unfinished earlier stop, the autoscalers. */
    private record Plan(int replicas, Optional<Stopped> leftover, List<Autoscaler> autoscalers) {}

    /** What was seen after the scale-back: the time until ready again (empty when not within the timeout) and the load's outcome. */
    private record Recovery(Optional<Duration> readyAfter, Optional<TrafficWatch.Measurement> load) {}

    /**
     * Runs the stop, or only prints its plan with {@code dryRun}: read the workload, print the plan,
     * hold the stop, wait for the scale-back to be ready, report.
     *
     * @throws MkplatException exit 4 when the component is not ready again within the timeout
     */
    public void run(StopRequest request) {
        Journal journal = journal(request);
        Path journalFile =
                request.journal().map(workingDirectory::resolve).orElseGet(() -> journal.defaultPath(workingDirectory));
        Plan plan = plan(request.target());
        printPlan(request, plan);
        if (plan.replicas() == 0) {
            throw MkplatException.failed(
                    request.target().name() + " already has 0 replicas: there is nothing to stop",
                    "mkplat status shows it");
        }
        if (request.dryRun()) {
            out.println("dry run: nothing was changed");
            out.flush();
            return;
        }
        journal.observation(
                "steady-state",
                Map.of(
                        "replicas",
                        plan.replicas(),
                        "autoscalers",
                        plan.autoscalers().stream().map(Autoscaler::toString).toList()));
        TimedFault.Fault fault = scaleToZero(request);
        if (plan.leftover().isPresent()) {
            fault.undo(journal);
        }
        Recovery recovery = holdAndRecover(request, plan, fault, journal, journalFile);
        report(request, plan, recovery, journal, journalFile);
    }

    private Journal journal(StopRequest request) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("durationSeconds", Seconds.of(request.duration()));
        options.put("timeoutSeconds", Seconds.of(request.timeout()));
        request.traffic().ifPresent(plan -> options.put("withTraffic", plan.options()));
        Journal journal = new Journal("stop", request.target().name(), options, clock);
        journal.cluster(cluster.context(), cluster.server());
        return journal;
    }

    private Plan plan(ChaosTarget target) {
        Optional<Integer> current = workloads.replicas(target.kind(), target.namespace(), target.name());
        if (current.isEmpty()) {
            throw MkplatException.failed(
                    target.name() + " is not deployed: no " + target.kind() + " " + target.namespace() + "/"
                            + target.name() + " labelled part of mkplat",
                    "mkplat deploy installs it");
        }
        Optional<Stopped> leftover = workloads.stopped(target.kind(), target.namespace(), target.name());
        return new Plan(
                leftover.map(Stopped::replicas).orElse(current.get()),
                leftover,
                workloads.autoscalers(target.kind(), target.namespace(), target.name()));
    }

    private void printPlan(StopRequest request, Plan plan) {
        ChaosTarget target = request.target();
        out.println("chaos stop " + target.name() + " for " + Seconds.text(request.duration()) + ", on context "
                + cluster.context());
        plan.leftover()
                .ifPresent(mark ->
                        out.println("  an earlier stop of " + target.name() + " did not finish: its " + mark.replicas()
                                + " replica" + (mark.replicas() == 1 ? "" : "s") + " from before it will be restored"));
        out.println(
                "  " + (request.dryRun() ? "would scale" : "scaling") + " " + target.kind() + " " + target.namespace()
                        + "/" + target.name() + " from " + plan.replicas() + " to 0, then back to " + plan.replicas());
        plan.autoscalers()
                .forEach(hpa -> out.println("  HorizontalPodAutoscaler " + hpa.name() + " (" + hpa.min() + " to "
                        + hpa.max() + ") pauses while its target is at 0 and is left as it is"));
        out.flush();
    }

    /** The fault: the replicas recorded in the workload's annotation, then 0; undone by scaling back to the recorded count. */
    private TimedFault.Fault scaleToZero(StopRequest request) {
        ChaosTarget target = request.target();
        return new TimedFault.Fault() {
            @Override
            public void inject(Journal journal) {
                Stopped stopped = workloads.stop(
                        target.kind(),
                        target.namespace(),
                        target.name(),
                        clock.instant().plus(request.duration()));
                journal.action(
                        "scale-to-zero",
                        Map.of("workload", stopped.ref().toString(), "replicasRecorded", stopped.replicas()));
                out.println("stopped: " + target.name() + " scaled to 0");
                out.flush();
            }

            @Override
            public void undo(Journal journal) {
                workloads
                        .stopped(target.kind(), target.namespace(), target.name())
                        .ifPresent(stopped -> {
                            workloads.restore(stopped);
                            journal.action(
                                    "restore",
                                    Map.of("workload", stopped.ref().toString(), "replicas", stopped.replicas()));
                        });
            }
        };
    }

    /** Holds the stop for its duration (under the load, if any), then waits for the replicas to be ready and the error rate back. */
    private Recovery holdAndRecover(
            StopRequest request, Plan plan, TimedFault.Fault fault, Journal journal, Path journalFile) {
        ChaosTarget target = request.target();
        try (TrafficWatch traffic = TrafficWatch.of(request.traffic(), clock, out)) {
            Instant restored = new TimedFault(cluster, clock, out)
                    .hold(
                            "stop " + target.name(),
                            List.of(target),
                            request.duration(),
                            fault,
                            journal,
                            journalFile,
                            traffic);
            Instant deadline = restored.plus(request.timeout());
            Optional<Duration> readyAfter = ReadyWatch.untilReady(pods, target, plan.replicas(), deadline, clock);
            Instant now = clock.instant();
            Instant loadDeadline = now.plusSeconds(TrafficPhases.CONFIRM + 30L);
            return new Recovery(readyAfter, traffic.recovery(deadline.isAfter(loadDeadline) ? deadline : loadDeadline));
        }
    }

    /** The journal, the report and the exit: the verdict from the readiness and the load. */
    private void report(StopRequest request, Plan plan, Recovery recovery, Journal journal, Path journalFile) {
        ChaosTarget target = request.target();
        List<Autoscaler> after = workloads.autoscalers(target.kind(), target.namespace(), target.name());
        journal.report(
                "replicas",
                workloads
                        .replicas(target.kind(), target.namespace(), target.name())
                        .orElse(0));
        journal.report(
                "readyAfterSeconds", recovery.readyAfter().map(Seconds::of).orElse(null));
        journal.report("autoscalersUnchanged", after.equals(plan.autoscalers()));
        recovery.load().ifPresent(outcome -> journal.report("traffic", outcome.figures()));
        Journal.Verdict verdict = recovery.readyAfter().isEmpty()
                ? Journal.Verdict.NOT_RECOVERED
                : recovery.load()
                        .map(outcome -> outcome.verdict(Journal.Verdict.RECOVERED))
                        .orElse(Journal.Verdict.RECOVERED);
        String summary = summary(request, plan, recovery, verdict);
        journal.observation(verdict == Journal.Verdict.NOT_RECOVERED ? "deadline" : "recovered", Map.of());
        journal.write(journalFile, verdict, verdict.exitCode(), summary);
        recovery.load().ifPresent(outcome -> out.print(outcome.text()));
        out.println(summary);
        if (!after.equals(plan.autoscalers())) {
            out.println("warning: the autoscalers changed while " + target.name() + " was stopped: "
                    + plan.autoscalers() + " -> " + after);
        }
        out.println("journal: " + journalFile);
        out.flush();
        if (verdict.exitCode() != ExitCode.OK) {
            throw new MkplatException(
                    verdict.exitCode(),
                    summary,
                    "kubectl -n " + target.namespace() + " get pods,events shows why; the journal " + journalFile
                            + " has what was seen");
        }
    }

    private static String summary(StopRequest request, Plan plan, Recovery recovery, Journal.Verdict verdict) {
        String name = request.target().name();
        int replicas = plan.replicas();
        Optional<Duration> readyAfter = recovery.readyAfter();
        String errors = recovery.load()
                .map(outcome -> outcome.recovery()
                        .map(time -> "; the error rate was back at baseline " + Seconds.text(time)
                                + " after it was scaled back")
                        .orElse("; the error rate was NOT back at baseline"))
                .orElse("");
        return switch (verdict) {
            case RECOVERED ->
                "recovered: " + name + " was back at " + replicas + " ready " + Seconds.text(readyAfter.orElseThrow())
                        + " after it was scaled back" + errors;
            case DEVIATED ->
                "deviated: " + name + " was back at " + replicas + " ready " + Seconds.text(readyAfter.orElseThrow())
                        + " after it was scaled back" + errors + ", but the steady state did not hold afterwards";
            default ->
                "NOT recovered: "
                        + readyAfter
                                .map(time -> name + " was back at " + replicas + " ready " + Seconds.text(time)
                                        + " after it was scaled back")
                                .orElse(name + " was not back at " + replicas + " ready within "
                                        + Seconds.text(request.timeout()))
                        + errors;
        };
    }
}
