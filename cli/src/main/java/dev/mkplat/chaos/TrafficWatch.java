package dev.mkplat.chaos;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.kube.Wait;
import dev.mkplat.kube.WaitTimeoutException;
import dev.mkplat.traffic.RunningTraffic;
import dev.mkplat.traffic.TrafficResult;
import dev.mkplat.traffic.TrafficRun;
import dev.mkplat.traffic.report.Report;
import dev.mkplat.traffic.report.Threshold;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code --with-traffic}: the traffic engine running in this process while an experiment breaks
 * the platform. It measures the steady state first ({@link #steadyState}), is told when the fault
 * begins and ends, then waits until the error rate is back at the steady state's ({@link
 * TrafficPhases}) and measures the steady state once more ({@link #recovery}). Without a plan every
 * step does nothing, so an experiment calls them the same way with or without traffic.
 */
final class TrafficWatch implements AutoCloseable {
    /** How often the seconds are looked at while waiting. */
    private static final Duration POLL = Duration.ofMillis(200);
    /** Setting up virtual users and warming up, before the first second is sampled. */
    private static final Duration START_WITHIN = Duration.ofMinutes(2);

    private final Optional<TrafficPlan> plan;
    private final Clock clock;
    private final PrintWriter out;
    private final TrafficPhases phases = new TrafficPhases();
    private RunningTraffic running;
    private TrafficResult result;

    private TrafficWatch(Optional<TrafficPlan> plan, Clock clock, PrintWriter out) {
        this.plan = plan;
        this.clock = clock;
        this.out = out;
    }

    /** A watch for {@code plan}; nothing runs until {@link #steadyState}. */
    static TrafficWatch of(Optional<TrafficPlan> plan, Clock clock, PrintWriter out) {
        return new TrafficWatch(plan, clock, out);
    }

    /**
     * How the steady state held before the fault and after the recovery, and when the error rate was
     * back at baseline.
     *
     * @param recovery     from the end of the fault until the error rate was back at baseline; empty when it was not by the deadline
     * @param steadyBefore the thresholds over the seconds before the fault
     * @param steadyAfter  the thresholds over the seconds after the recovery; empty when there was no recovery to measure after
     * @param problems     what went wrong with the load itself (the engine's own report's problems)
     */
    record Measurement(
            TrafficPlan plan,
            TrafficSpan before,
            TrafficSpan during,
            TrafficSpan after,
            double baselineLimitPercent,
            Optional<Duration> recovery,
            List<Threshold.Result> steadyBefore,
            List<Threshold.Result> steadyAfter,
            List<TrafficPhases.Second> timeline,
            Instant faultEnded,
            List<String> problems) {
        boolean recovered() {
            return recovery.isPresent();
        }

        /** Recovered and the steady state held again afterwards. */
        boolean steadyAgain() {
            return recovered() && !steadyAfter.isEmpty() && steadyAfter.stream().allMatch(Threshold.Result::passed);
        }

        /** {@code otherwise}, unless the error rate did not come back ({@code not-recovered}) or the steady state did not hold again ({@code deviated}). */
        Journal.Verdict verdict(Journal.Verdict otherwise) {
            return !recovered() ? Journal.Verdict.NOT_RECOVERED : !steadyAgain() ? Journal.Verdict.DEVIATED : otherwise;
        }

        /** The traffic part of the report, for the terminal. */
        String text() {
            StringBuilder text = new StringBuilder();
            text.append("\ntraffic: ").append(plan.describe()).append('\n');
            text.append(String.format(
                    Locale.ROOT,
                    "%-8s %8s %9s %7s %11s %10s%n",
                    "",
                    "SECONDS",
                    "REQUESTS",
                    "ERRORS",
                    "ERROR RATE",
                    "P99"));
            row(text, "before", before);
            row(text, "during", during);
            row(text, "after", after);
            text.append(recovery.map(time -> "error rate back at baseline (at most " + percent(baselineLimitPercent)
                                    + ") " + Seconds.text(time) + " after the fault ended")
                            .orElse("error rate NOT back at baseline (at most " + percent(baselineLimitPercent)
                                    + ") by the deadline"))
                    .append('\n');
            text.append("steady state: ")
                    .append(judgement("before", steadyBefore))
                    .append(steadyAfter.isEmpty() ? "" : "; " + judgement("after", steadyAfter))
                    .append('\n');
            problems.forEach(
                    problem -> text.append("traffic problem: ").append(problem).append('\n'));
            return text.toString();
        }

        /** The traffic part of the journal's report. */
        Map<String, Object> figures() {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.putAll(plan.options());
            figures.put("before", before.figures());
            figures.put("during", during.figures());
            figures.put("after", after.figures());
            figures.put("baselineLimitPercent", Math.round(baselineLimitPercent * 1000) / 1000.0);
            figures.put("errorRateRecoveredSeconds", recovery.map(Seconds::of).orElse(null));
            figures.put("steadyBefore", results(steadyBefore));
            figures.put("steadyAfter", results(steadyAfter));
            List<Map<String, Object>> seconds = new ArrayList<>();
            for (TrafficPhases.Second second : timeline) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("at", second.at().toString());
                entry.put("requests", second.requests());
                entry.put("errors", second.errors());
                seconds.add(entry);
            }
            figures.put("seconds", seconds);
            figures.put("problems", problems);
            return figures;
        }

        private static void row(StringBuilder text, String name, TrafficSpan span) {
            text.append(String.format(
                    Locale.ROOT,
                    "%-8s %8d %9d %7d %11s %10s%n",
                    name,
                    span.seconds(),
                    span.requests(),
                    span.errors(),
                    percent(span.errorPercent()),
                    span.requests() == 0 ? "-" : Report.millis(span.latency().p99Ms())));
        }

        private static String judgement(String when, List<Threshold.Result> results) {
            return String.join(
                    ", ",
                    results.stream()
                            .map(result -> (result.passed() ? "✓ " : "× ") + result.threshold() + " " + when + " ("
                                    + result.detail() + ")")
                            .toList());
        }

        private static List<Map<String, Object>> results(List<Threshold.Result> results) {
            return results.stream()
                    .map(result -> {
                        Map<String, Object> entry = new LinkedHashMap<>();
                        entry.put("threshold", result.threshold());
                        entry.put("passed", result.passed());
                        entry.put("actual", Math.round(result.actual() * 1000) / 1000.0);
                        return entry;
                    })
                    .toList();
        }

        static String percent(double value) {
            return String.format(Locale.ROOT, "%.2f%%", value);
        }
    }

    boolean enabled() {
        return plan.isPresent();
    }

    /**
     * Starts the load, waits until it is warm, measures the steady state for the plan's time and
     * judges it by the plan's thresholds. Does nothing without a plan.
     *
     * @return the thresholds that failed: the experiment must not go on when there are any
     * @throws MkplatException exit 1 when the load cannot start (targets unreachable, setup failed), exit 4 when it does not start in time
     */
    List<Threshold.Result> steadyState() {
        if (plan.isEmpty()) {
            return List.of();
        }
        TrafficPlan load = plan.get();
        out.println(
                "traffic: " + load.describe() + "; measuring the steady state for " + Seconds.text(load.steadyFor()));
        out.flush();
        PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        running = new TrafficRun(quiet, quiet, false).start(load.request(), (point, latencies) -> {
            // The first second is the load's ramp into its rate: it is no one's steady state.
            if (phases.phase() == TrafficPhases.Phase.WARMING) {
                phases.steadyStateBegins();
                return;
            }
            phases.second(clock.instant(), point, latencies);
        });
        long wanted = Math.max(1, load.steadyFor().toSeconds());
        waitFor(
                "the steady state",
                wanted + " seconds of load",
                () -> phases.before().seconds(),
                seconds -> seconds >= wanted,
                clock.instant().plus(START_WITHIN).plus(load.steadyFor()));
        List<Threshold.Result> results = judge(load, phases.before());
        out.println("steady state: " + Measurement.judgement("before", results));
        out.flush();
        return results.stream().filter(result -> !result.passed()).toList();
    }

    /** The fault is being injected now. */
    void faultBegins() {
        if (plan.isPresent()) {
            phases.faultBegins(clock.instant());
        }
    }

    /** The fault is over (undone, or for a kill, done): recovery is timed from now. */
    void faultEnds() {
        if (plan.isPresent()) {
            phases.faultEnds(clock.instant());
        }
    }

    /**
     * After the platform recovered (or its deadline passed): waits until the error rate is back at
     * baseline, at most until {@code deadline}, then measures the steady state again, stops the load
     * and judges it. Empty without a plan.
     */
    Optional<Measurement> recovery(Instant deadline) {
        if (plan.isEmpty() || running == null) {
            return Optional.empty();
        }
        TrafficPlan load = plan.get();
        if (phases.faultEnded().isEmpty()) {
            phases.faultEnds(clock.instant());
        }
        Optional<Duration> recovered;
        try {
            recovered = new Wait(clock, POLL)
                    .until(
                            Wait.Condition.of(
                                    "the error rate",
                                    "back at baseline",
                                    phases::backAtBaseline,
                                    back -> back.isPresent() || running.done()),
                            deadline);
        } catch (WaitTimeoutException notBack) {
            recovered = Optional.empty();
        }
        List<Threshold.Result> after = List.of();
        if (recovered.isPresent()) {
            out.println("traffic: error rate back at baseline; measuring the steady state again for "
                    + Seconds.text(load.steadyFor()));
            out.flush();
            phases.afterBegins();
            long wanted = Math.max(1, load.steadyFor().toSeconds());
            waitFor(
                    "the steady state after",
                    wanted + " seconds of load",
                    () -> phases.after().seconds(),
                    seconds -> seconds >= wanted,
                    clock.instant().plus(load.steadyFor()).plusSeconds(30));
            after = judge(load, phases.after());
        }
        phases.done();
        stop();
        List<String> problems = result == null ? List.of() : result.report().problems();
        return Optional.of(new Measurement(
                load,
                phases.before(),
                phases.during(),
                phases.after(),
                phases.baselineLimitPercent(),
                recovered,
                judge(load, phases.before()),
                after,
                phases.timeline(),
                phases.faultEnded().orElseThrow(),
                problems));
    }

    private static List<Threshold.Result> judge(TrafficPlan load, TrafficSpan span) {
        return load.steady().stream()
                .map(threshold -> threshold.evaluate(span.latency(), span.errorPercent(), span.rate()))
                .toList();
    }

    private <T> void waitFor(String what, String wanted, Supplier<T> observe, Predicate<T> met, Instant deadline) {
        try {
            new Wait(clock, POLL)
                    .until(
                            Wait.Condition.of(
                                    what,
                                    wanted,
                                    () -> {
                                        if (running.done()) {
                                            TrafficResult ended = running.await();
                                            throw new MkplatException(
                                                    ExitCode.FAILED,
                                                    "the traffic stopped before " + what + " was measured: "
                                                            + (ended.failed() ? ended.error() : "it ended"),
                                                    ended.hint());
                                        }
                                        return observe.get();
                                    },
                                    met),
                            deadline);
        } catch (WaitTimeoutException late) {
            throw new MkplatException(
                    ExitCode.TIMEOUT,
                    "the traffic did not give " + wanted + " for " + what + " in time",
                    "check that the ingress hosts resolve and answer: mkplat traffic --rps 5 --duration 10s");
        }
    }

    private void stop() {
        if (running != null && result == null) {
            result = running.stopAndAwait();
        }
    }

    /** Stops the load if it still runs (an experiment that failed or was interrupted). */
    @Override
    public void close() {
        phases.done();
        if (running != null && result == null) {
            running.stop();
        }
    }
}
