package dev.mkplat.traffic.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What a run did, as data: rendered as a table by {@link ReportText}, as JSON by
 * {@link ReportJson} and as a page by {@link ReportHtml}. Latencies are in milliseconds. Made by
 * {@link #builder}; the components are the JSON's fields, in its order.
 *
 * @param model "open" or "closed"
 * @param targetRate the arrivals per second asked for (open model), or 0
 * @param plannedSeconds {@code --duration}
 * @param elapsedSeconds how long the load ran (shorter when stopped by Ctrl-C)
 * @param interrupted whether Ctrl-C stopped it
 * @param arrivals what the scheduler did; for the closed model, sent = iterations
 * @param scheduleLag how late sends were against their intended time (open model), or null
 * @param setup the virtual users' setup requests, by endpoint
 * @param problems what kept the run from happening as asked (unreachable target, setup failed)
 * @param timeline one point per second, for the latency-over-time chart
 * @param distribution latency by percentile over the whole run, for the distribution chart
 */
public record Report(
        String scenario,
        String model,
        String arrival,
        double targetRate,
        int concurrency,
        String startedAt,
        double plannedSeconds,
        double elapsedSeconds,
        boolean interrupted,
        Arrivals arrivals,
        Latency scheduleLag,
        List<EndpointRow> endpoints,
        EndpointRow total,
        List<EndpointRow> setup,
        List<String> problems,
        List<TimePoint> timeline,
        List<PercentilePoint> distribution,
        List<Threshold.Result> thresholds) {

    /**
     * The scheduler's side: planned = sent + dropped (arrivals whose time came); scheduledRate =
     * planned / elapsed, which is below the target during a ramp; unfinished = still running when
     * the run ended.
     */
    public record Arrivals(
            long planned, long sent, long dropped, long unfinished, double achievedRate, double scheduledRate) {}

    /** Latency percentiles in milliseconds; zero when nothing was measured. */
    public record Latency(
            double p50Ms, double p90Ms, double p95Ms, double p99Ms, double p999Ms, double maxMs, double meanMs) {
        static final Latency NONE = new Latency(0, 0, 0, 0, 0, 0, 0);

        public static Latency of(Histogram micros) {
            if (micros.getTotalCount() == 0) {
                return NONE;
            }
            return new Latency(
                    ms(micros.getValueAtPercentile(50)),
                    ms(micros.getValueAtPercentile(90)),
                    ms(micros.getValueAtPercentile(95)),
                    ms(micros.getValueAtPercentile(99)),
                    ms(micros.getValueAtPercentile(99.9)),
                    ms(micros.getMaxValue()),
                    micros.getMean() / 1000.0);
        }
    }

    /** One endpoint's counts by outcome, its request rate and latencies. */
    public record EndpointRow(
            String name,
            long count,
            double rate,
            long ok,
            long status4xx,
            long status5xx,
            long timeouts,
            long connectionErrors,
            double errorPercent,
            Latency latency,
            String firstError) {
        public long errors() {
            return count - ok;
        }

        static EndpointRow of(EndpointStats stats, Histogram latency, double seconds) {
            long count = stats.count();
            return new EndpointRow(
                    stats.name(),
                    count,
                    seconds > 0 ? count / seconds : 0,
                    stats.count(OutcomeKind.OK),
                    stats.count(OutcomeKind.CLIENT_ERROR),
                    stats.count(OutcomeKind.SERVER_ERROR),
                    stats.count(OutcomeKind.TIMEOUT),
                    stats.count(OutcomeKind.CONNECTION_ERROR),
                    count == 0 ? 0 : 100.0 * (count - stats.count(OutcomeKind.OK)) / count,
                    Latency.of(latency),
                    stats.firstError());
        }
    }

    /** One second of the run, over all endpoints. */
    public record TimePoint(
            double second,
            double rate,
            long requests,
            long errors,
            double p50Ms,
            double p99Ms,
            double maxMs,
            long inFlight,
            long dropped) {}

    /** The latency at one percentile. */
    public record PercentilePoint(double percentile, double latencyMs) {}

    /** The percentiles the distribution chart plots, denser towards the tail. */
    static final double[] DISTRIBUTION = {
        0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 96, 97, 97.5, 98, 98.5, 99, 99.25, 99.5, 99.75, 99.9,
        99.95, 99.99, 99.999, 100
    };

    /** The totals row over {@code metrics}' endpoints. */
    public static EndpointRow totalOf(LoadMetrics metrics, double seconds) {
        long count = 0;
        long ok = 0;
        long c4 = 0;
        long c5 = 0;
        long timeouts = 0;
        long conn = 0;
        String firstError = null;
        for (EndpointStats stats : metrics.endpoints()) {
            count += stats.count();
            ok += stats.count(OutcomeKind.OK);
            c4 += stats.count(OutcomeKind.CLIENT_ERROR);
            c5 += stats.count(OutcomeKind.SERVER_ERROR);
            timeouts += stats.count(OutcomeKind.TIMEOUT);
            conn += stats.count(OutcomeKind.CONNECTION_ERROR);
            if (firstError == null && stats.firstError() != null) {
                firstError = stats.name() + ": " + stats.firstError();
            }
        }
        return new EndpointRow(
                "total",
                count,
                seconds > 0 ? count / seconds : 0,
                ok,
                c4,
                c5,
                timeouts,
                conn,
                count == 0 ? 0 : 100.0 * (count - ok) / count,
                Latency.of(metrics.latencyTotal()),
                firstError);
    }

    public static List<EndpointRow> rowsOf(LoadMetrics metrics, double seconds) {
        List<EndpointRow> rows = new ArrayList<>();
        for (EndpointStats stats : metrics.endpoints()) {
            rows.add(EndpointRow.of(stats, stats.total(), seconds));
        }
        return rows;
    }

    public static List<PercentilePoint> distributionOf(Histogram micros) {
        List<PercentilePoint> points = new ArrayList<>();
        if (micros.getTotalCount() == 0) {
            return points;
        }
        for (double p : DISTRIBUTION) {
            points.add(new PercentilePoint(p, ms(p == 100 ? micros.getMaxValue() : micros.getValueAtPercentile(p))));
        }
        return points;
    }

    /** The same report with threshold verdicts. */
    public Report withThresholds(List<Threshold.Result> results) {
        return toBuilder().thresholds(results).build();
    }

    /** A report of a run of {@code scenario}, to be filled in; what is not set is empty or zero. */
    public static Builder builder(String scenario) {
        return new Builder(scenario);
    }

    Builder toBuilder() {
        return new Builder(scenario)
                .load(model, arrival, targetRate, concurrency)
                .timing(startedAt, plannedSeconds, elapsedSeconds, interrupted)
                .arrivals(arrivals, scheduleLag)
                .results(endpoints, total, setup)
                .problems(problems)
                .timeline(timeline)
                .distribution(distribution)
                .thresholds(thresholds);
    }

    /** Fills in a {@link Report} by its groups of fields, so that no caller lines up eighteen arguments. */
    public static final class Builder {
        private final String scenario;
        private String model = "open";
        private String arrival;
        private double targetRate;
        private int concurrency;
        private String startedAt = "";
        private double plannedSeconds;
        private double elapsedSeconds;
        private boolean interrupted;
        private Arrivals arrivals = new Arrivals(0, 0, 0, 0, 0, 0);
        private Latency scheduleLag;
        private List<EndpointRow> endpoints = List.of();
        private EndpointRow total = new EndpointRow("total", 0, 0, 0, 0, 0, 0, 0, 0, Latency.NONE, null);
        private List<EndpointRow> setup = List.of();
        private List<String> problems = List.of();
        private List<TimePoint> timeline = List.of();
        private List<PercentilePoint> distribution = List.of();
        private List<Threshold.Result> thresholds = List.of();

        private Builder(String scenario) {
            this.scenario = scenario;
        }

        /**
         * The load asked for.
         *
         * @param model       {@code open} or {@code closed}
         * @param arrival     the open model's arrival spacing, or null
         * @param targetRate  the open model's arrivals per second, or 0
         * @param concurrency the open model's max in flight, or the closed model's connections
         */
        public Builder load(String model, String arrival, double targetRate, int concurrency) {
            this.model = model;
            this.arrival = arrival;
            this.targetRate = targetRate;
            this.concurrency = concurrency;
            return this;
        }

        /** When the run started, how long it was meant to and did run, and whether it was stopped early. */
        public Builder timing(String startedAt, double plannedSeconds, double elapsedSeconds, boolean interrupted) {
            this.startedAt = startedAt;
            this.plannedSeconds = plannedSeconds;
            this.elapsedSeconds = elapsedSeconds;
            this.interrupted = interrupted;
            return this;
        }

        /** What the scheduler did, and how late sends were (open model; null for the closed one). */
        public Builder arrivals(Arrivals arrivals, Latency scheduleLag) {
            this.arrivals = arrivals;
            this.scheduleLag = scheduleLag;
            return this;
        }

        /** The rows by endpoint, their total, and the virtual users' setup rows. */
        public Builder results(List<EndpointRow> endpoints, EndpointRow total, List<EndpointRow> setup) {
            this.endpoints = List.copyOf(endpoints);
            this.total = total;
            this.setup = List.copyOf(setup);
            return this;
        }

        public Builder problems(List<String> problems) {
            this.problems = List.copyOf(problems);
            return this;
        }

        public Builder timeline(List<TimePoint> timeline) {
            this.timeline = List.copyOf(timeline);
            return this;
        }

        public Builder distribution(List<PercentilePoint> distribution) {
            this.distribution = List.copyOf(distribution);
            return this;
        }

        public Builder thresholds(List<Threshold.Result> thresholds) {
            this.thresholds = List.copyOf(thresholds);
            return this;
        }

        public Report build() {
            return new Report(
                    scenario,
                    model,
                    arrival,
                    targetRate,
                    concurrency,
                    startedAt,
                    plannedSeconds,
                    elapsedSeconds,
                    interrupted,
                    arrivals,
                    scheduleLag,
                    endpoints,
                    total,
                    setup,
                    problems,
                    timeline,
                    distribution,
                    thresholds);
        }
    }

    /** Whether every threshold passed (true without thresholds). */
    public boolean thresholdsPassed() {
        return thresholds.stream().allMatch(Threshold.Result::passed);
    }

    static double ms(long micros) {
        return micros / 1000.0;
    }

    /** A latency for people: 0.42ms, 12.3ms, 250ms, 1.52s. */
    public static String millis(double ms) {
        if (ms >= 10_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000);
        }
        if (ms >= 1000) {
            return String.format(Locale.ROOT, "%.2fs", ms / 1000);
        }
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%.0fms", ms);
        }
        if (ms >= 10) {
            return String.format(Locale.ROOT, "%.1fms", ms);
        }
        return String.format(Locale.ROOT, "%.2fms", ms);
    }
}
