package dev.mkplat.traffic;

import dev.mkplat.core.MkplatException;
import dev.mkplat.traffic.engine.RunWindow;
import dev.mkplat.traffic.report.LoadMetrics;
import dev.mkplat.traffic.report.Report;
import dev.mkplat.traffic.report.Threshold;
import dev.mkplat.traffic.scenario.Scenario;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.HdrHistogram.Histogram;

/**
 * One run's state, made once when it starts and handed to each step of {@link TrafficRun}: the
 * request, the scenario with its targets resolved, the metrics of the load and of the setup, the
 * problems met on the way, and the seconds sampled so far.
 */
final class RunContext {
    final TrafficRequest request;
    final Scenario scenario;
    final Map<String, URI> targets;
    final String startedAt;
    final LoadMetrics metrics = new LoadMetrics();
    final LoadMetrics setupMetrics = new LoadMetrics();
    final List<String> problems = new ArrayList<>();
    /** One point per second of load, appended as the sampler takes them. */
    final List<Report.TimePoint> intervals = new CopyOnWriteArrayList<>();
    /** Told of each second as it is sampled, with that second's latencies ({@link TrafficRun#start(TrafficRequest, BiConsumer)}). */
    final BiConsumer<Report.TimePoint, Histogram> eachSecond;

    double setupSeconds;

    private RunContext(
            TrafficRequest request,
            Scenario scenario,
            Map<String, URI> targets,
            String startedAt,
            BiConsumer<Report.TimePoint, Histogram> eachSecond) {
        this.request = request;
        this.eachSecond = eachSecond;
        this.scenario = scenario;
        this.targets = targets;
        this.startedAt = startedAt;
    }

    /**
     * The context of a run of {@code request}, its scenario's targets resolved.
     *
     * @throws MkplatException (exit 2) when the scenario sends to a target that has no URL
     */
    static RunContext of(TrafficRequest request) {
        return of(request, (point, latencies) -> {});
    }

    /** The same, with a listener of each second. */
    static RunContext of(TrafficRequest request, BiConsumer<Report.TimePoint, Histogram> eachSecond) {
        Scenario scenario = request.scenario().withTargets(request.targets());
        Map<String, URI> targets = new LinkedHashMap<>();
        for (String name : scenario.targetNames()) {
            URI url = scenario.targets().get(name);
            if (url == null) {
                throw MkplatException.usage(
                        "scenario " + scenario.name() + " sends to target '" + name + "' but has no URL for it",
                        "add --target " + name + "=URL");
            }
            targets.put(name, url);
        }
        return new RunContext(
                request,
                scenario,
                targets,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                eachSecond);
    }

    LoadModel model() {
        return request.model();
    }

    /** The report of what ran: {@code window} is null when the load never started. */
    Report report(List<Report.TimePoint> timeline, RunWindow window) {
        double seconds = window == null ? 0 : window.seconds();
        long planned = window == null ? 0 : window.planned();
        long unfinished = window == null ? 0 : window.unfinished();
        setupMetrics.takeInterval(); // nothing samples the setup while it runs
        Report.Arrivals arrivals = new Report.Arrivals(
                planned,
                metrics.sent(),
                metrics.dropped(),
                unfinished,
                seconds > 0 ? metrics.sent() / seconds : 0,
                seconds > 0 ? planned / seconds : 0);
        Report.Builder report = Report.builder(scenario.name())
                .timing(startedAt, request.duration().toNanos() / 1e9, seconds, window != null && window.interrupted())
                .results(
                        Report.rowsOf(metrics, seconds),
                        Report.totalOf(metrics, seconds),
                        Report.rowsOf(setupMetrics, setupSeconds))
                .problems(problems)
                .timeline(timeline)
                .distribution(Report.distributionOf(metrics.latencyTotal()));
        switch (model()) {
            case LoadModel.Open open ->
                report.load(open.name(), open.arrivalName(), open.rps(), open.maxInFlight())
                        .arrivals(arrivals, Report.Latency.of(metrics.lagTotal()));
            case LoadModel.Closed closed ->
                report.load(closed.name(), null, 0, closed.connections()).arrivals(arrivals, null);
        }
        Report built = report.build();
        List<Threshold.Result> results = new ArrayList<>();
        for (Threshold threshold : request.thresholds()) {
            results.add(threshold.evaluate(built));
        }
        return built.withThresholds(results);
    }
}
