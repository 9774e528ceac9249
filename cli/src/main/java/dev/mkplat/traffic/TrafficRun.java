package dev.mkplat.traffic;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.traffic.scenario.Scenario;

/**
 * The traffic pipeline: resolve targets → probe them → set up virtual users → run the load with live
 * progress → build the report → print and write it → judge thresholds. Ctrl-C stops the load and
 * still goes through the report steps (a shutdown hook waits for them).
 */
public final class TrafficRun {
    /**
     * Virtual users set up at once. auth counts logins in flight per client address and locks the
     * address out (for 15 minutes by default) past 5, so a generator on one machine must stay below.
     */
    static final int SETUP_CONCURRENCY = 2;
    /**
     * Unrecorded GETs per URL before the load, at most: the JIT compiles the request path after a
     * few thousand requests, and until then the generator is much slower. Without this,
     * the first seconds at 5000/s showed the JIT as send lag and latency (p99 of hundreds of ms).
     */
    public static final int MAX_WARM_UP_REQUESTS = 5000;
    /** Warm-up requests sent at once, at most (and no more than the run's connections or --max-in-flight). */
    static final int WARM_UP_CONCURRENCY = 20;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean terminal;
    private final StopSignal stop = new StopSignal();
    private double setupSeconds;

    /**
     * @param out where the report goes
     * @param err where live progress and notes go
     * @param terminal whether {@code err} is a terminal (progress is redrawn in place)
     */
    public TrafficRun(PrintWriter out, PrintWriter err, boolean terminal) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /** Stops the load early, as Ctrl-C does; the report is still produced. */
    public void stop() {
        stop.request();
    }

    public TrafficResult run(TrafficRequest request) {
        Scenario scenario = request.scenario().withTargets(request.targets());
        Map<String, URI> targets = new LinkedHashMap<>();
        for (String name : scenario.targetNames()) {
            URI url = scenario.targets().get(name);
            if (url == null) {
                throw MkplatException.usage("scenario " + scenario.name() + " sends to target '" + name + "' but has no URL for it",
                        "add --target " + name + "=URL");
            }
            targets.put(name, url);
        }
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        LoadMetrics metrics = new LoadMetrics();
        LoadMetrics setupMetrics = new LoadMetrics();
        Duration probeTimeout = request.timeout().compareTo(Duration.ofSeconds(3)) < 0 ? request.timeout() : Duration.ofSeconds(3);
        List<String> problems = new ArrayList<>(TargetProbe.unreachable(targets, probeTimeout));
        if (!problems.isEmpty()) {
            Report report = report(request, scenario, startedAt, metrics, setupMetrics, problems, List.of(), null);
            return finish(request, report, TrafficResult.failed(report, problems.getFirst(),
                    "start the service, or point the scenario at it with --target NAME=URL (or --url URL)"));
        }
        CountDownLatch reported = new CountDownLatch(1);
        Thread hook = Thread.ofPlatform().unstarted(() -> {
            stop.request();
            try {
                reported.await(request.timeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return load(request, scenario, targets, startedAt, metrics, setupMetrics, problems);
        } finally {
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and returns now that the report is out
            }
        }
    }

    private TrafficResult load(TrafficRequest request, Scenario scenario, Map<String, URI> targets, String startedAt,
            LoadMetrics metrics, LoadMetrics setupMetrics, List<String> problems) {
        String runId = randomText(6);
        int connections = request.closed() ? request.connections() : request.maxInFlight();
        try (HttpEngine engine = new HttpEngine(request.trust(), request.timeout(), Math.max(connections, SETUP_CONCURRENCY))) {
            Workload workload = new Workload(scenario, targets, engine, metrics, setupMetrics, runId);
            if (scenario.users() > 0) {
                Optional<String> setupFailure = setUpUsers(scenario, workload, runId, problems);
                if (setupFailure.isPresent()) {
                    Report report = report(request, scenario, startedAt, metrics, setupMetrics, problems, List.of(), null);
                    return finish(request, report, TrafficResult.failed(report, setupFailure.get(),
                            "the setup table above shows which request failed; check that service and its URL (--target NAME=URL)"));
                }
            }
            // A closed run of fixed requests goes on an event loop (EventLoopClosedRunner says why).
            List<FixedRequest> fixed = request.closed() ? workload.fixedRequests() : List.of();
            try {
                if (fixed.isEmpty()) {
                    workload.warmUp(warmUpRequests(request),
                            Math.min(WARM_UP_CONCURRENCY, request.closed() ? request.connections() : request.maxInFlight()),
                            request.closed() ? Thread.ofPlatform().daemon() : Thread.ofVirtual());
                } else {
                    warmUpOnLoop(fixed, request, engine.tls());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MkplatException(ExitCode.FAILED, "interrupted while warming up");
            }
            double total = request.duration().toNanos() / 1e9;
            LiveProgress progress = new LiveProgress(err, terminal, total, request.closed()
                    ? request.connections() + " connections" : ReportText.number(request.rps()) + " arrivals/s");
            RunWindow window;
            List<Report.TimePoint> timeline;
            try (IntervalSampler sampler = new IntervalSampler(metrics, progress::update)) {
                Duration drain = request.timeout().plusSeconds(1);
                long start = System.nanoTime();
                sampler.start(start);
                if (request.closed()) {
                    window = fixed.isEmpty()
                            ? new ClosedLoopRunner(request.connections(), request.duration(), drain, workload, metrics, stop).run()
                            : new EventLoopClosedRunner(fixed, request.connections(), request.duration(), drain, request.timeout(),
                                    Long.MAX_VALUE, engine.tls(), request.trust(), metrics, stop).run();
                } else {
                    LoadSchedule schedule = new LoadSchedule(request.rps(), request.duration(), request.ramp(), request.arrival(),
                            System.nanoTime());
                    window = new OpenLoopRunner(schedule, request.duration(), request.maxInFlight(), drain, workload, metrics, stop).run();
                }
                timeline = sampler.finish();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MkplatException(ExitCode.FAILED, "interrupted while waiting for the load to finish");
            }
            progress.finish();
            Report report = report(request, scenario, startedAt, metrics, setupMetrics, problems, timeline, window);
            return finish(request, report, verdict(report));
        }
    }

    /**
     * How many warm-up GETs {@code request} gets per URL: {@link #MAX_WARM_UP_REQUESTS} before a
     * closed run, at most one second's worth of the rate before an open one (a gentle test stays
     * gentle; a slow rate does not need the JIT).
     */
    public static int warmUpRequests(TrafficRequest request) {
        return request.closed() ? MAX_WARM_UP_REQUESTS
                : (int) Math.min(MAX_WARM_UP_REQUESTS, Math.max(WARM_UP_CONCURRENCY, Math.ceil(request.rps())));
    }

    /**
     * The event loop's warm-up: the same requests, recorded nowhere, when they are all GETs (safe
     * to repeat), until {@link #MAX_WARM_UP_REQUESTS} or three seconds, whichever comes first.
     */
    private void warmUpOnLoop(List<FixedRequest> fixed, TrafficRequest request, SSLContext tls) throws InterruptedException {
        if (!fixed.stream().allMatch(r -> "GET".equals(r.method()))) {
            return;
        }
        LoadMetrics unrecorded = new LoadMetrics();
        List<FixedRequest> copies = fixed.stream()
                .map(r -> new FixedRequest(r.method(), r.uri(), r.headers(), r.body(), r.contentType(), r.weight(),
                        unrecorded.endpoint(r.stats().name())))
                .toList();
        new EventLoopClosedRunner(copies, Math.min(WARM_UP_CONCURRENCY, request.connections()), Duration.ofSeconds(3),
                request.timeout(), request.timeout(), MAX_WARM_UP_REQUESTS, tls, request.trust(), unrecorded, stop).run();
    }

    /** Registers and logs in every virtual user at once; empty when enough of them are ready. */
    private Optional<String> setUpUsers(Scenario scenario, Workload workload, String runId, List<String> problems) {
        String password = randomText(20);
        List<VirtualUser> users = new ArrayList<>();
        for (int i = 1; i <= scenario.users(); i++) {
            users.add(new VirtualUser("mkplat-" + runId + "-" + i, password));
        }
        err.println("setting up " + users.size() + " virtual users (" + scenario.setup().stream().map(s -> s.name())
                .reduce((a, b) -> a + ", " + b).orElse("") + ")...");
        err.flush();
        String[] failures = new String[users.size()];
        List<Thread> threads = new ArrayList<>();
        Semaphore slots = new Semaphore(SETUP_CONCURRENCY);
        long started = System.nanoTime();
        for (int i = 0; i < users.size(); i++) {
            int index = i;
            threads.add(Thread.ofVirtual().start(() -> {
                slots.acquireUninterruptibly();
                try {
                    failures[index] = workload.setUp(users.get(index));
                } finally {
                    slots.release();
                }
            }));
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted while setting up virtual users");
            }
        }
        setupSeconds = (System.nanoTime() - started) / 1e9;
        List<VirtualUser> ready = new ArrayList<>();
        String first = null;
        for (int i = 0; i < users.size(); i++) {
            if (failures[i] == null) {
                ready.add(users.get(i));
            } else if (first == null) {
                first = failures[i];
            }
        }
        if (ready.isEmpty()) {
            problems.add("setup failed for all " + users.size() + " virtual users: " + first);
            return Optional.of("setup failed for all " + users.size() + " virtual users: " + first);
        }
        if (ready.size() < users.size()) {
            problems.add("setup failed for " + (users.size() - ready.size()) + " of " + users.size()
                    + " virtual users (the load uses the others): " + first);
        }
        workload.users(ready);
        return Optional.empty();
    }

    private Report report(TrafficRequest request, Scenario scenario, String startedAt, LoadMetrics metrics,
            LoadMetrics setupMetrics, List<String> problems, List<Report.TimePoint> timeline, RunWindow window) {
        double seconds = window == null ? 0 : window.seconds();
        long planned = window == null ? 0 : window.planned();
        long unfinished = window == null ? 0 : window.unfinished();
        setupMetrics.takeInterval(); // nothing samples the setup while it runs
        Report.Arrivals arrivals = new Report.Arrivals(planned, metrics.sent(), metrics.dropped(), unfinished,
                seconds > 0 ? metrics.sent() / seconds : 0, seconds > 0 ? planned / seconds : 0);
        Report report = new Report(scenario.name(), request.closed() ? "closed" : "open",
                request.closed() ? null : request.arrival().name().toLowerCase(java.util.Locale.ROOT),
                request.closed() ? 0 : request.rps(), request.closed() ? request.connections() : request.maxInFlight(),
                startedAt, request.duration().toNanos() / 1e9, seconds, window != null && window.interrupted(), arrivals,
                request.closed() ? null : Report.Latency.of(metrics.lagTotal()),
                Report.rowsOf(metrics, seconds), Report.totalOf(metrics, seconds), Report.rowsOf(setupMetrics, setupSeconds),
                List.copyOf(problems), timeline, Report.distributionOf(metrics.latencyTotal()), List.of());
        List<Threshold.Result> results = new ArrayList<>();
        for (Threshold threshold : request.thresholds()) {
            results.add(threshold.evaluate(report));
        }
        return report.withThresholds(results);
    }

    private static TrafficResult verdict(Report report) {
        Report.EndpointRow total = report.total();
        if (total.count() > 0 && total.count() == total.connectionErrors()) {
            return TrafficResult.failed(report, "no request got an answer: " + total.firstError(),
                    "check the target URLs and TLS settings (--cacert, --insecure)");
        }
        List<Threshold.Result> crossed = report.thresholds().stream().filter(t -> !t.passed()).toList();
        if (!crossed.isEmpty()) {
            return TrafficResult.failed(report, crossed.size() + " of " + report.thresholds().size() + " thresholds crossed: "
                    + String.join("; ", crossed.stream().map(t -> t.threshold() + " (" + t.detail() + ")").toList()), null);
        }
        return TrafficResult.ok(report);
    }

    /** Prints the report and writes the files, whatever the verdict. */
    private TrafficResult finish(TrafficRequest request, Report report, TrafficResult result) {
        out.print(ReportText.render(report));
        out.flush();
        write(request.out(), ReportJson.render(report), "--out");
        write(request.html(), ReportHtml.render(report), "--html");
        return result;
    }

    private void write(Optional<Path> file, String content, String flag) {
        if (file.isEmpty()) {
            return;
        }
        try {
            Files.writeString(file.get(), content);
            err.println("wrote " + file.get());
            err.flush();
        } catch (IOException e) {
            throw new MkplatException(ExitCode.FAILED, "cannot write " + flag + " " + file.get() + ": " + e.getMessage(),
                    "check that the directory exists and is writable");
        }
    }

    private static String randomText(int length) {
        SecureRandom random = new SecureRandom();
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }
}
