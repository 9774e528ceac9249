package dev.mkplat.traffic;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.traffic.engine.ClientTls;
import dev.mkplat.traffic.engine.ClosedLoopRunner;
import dev.mkplat.traffic.engine.EventLoopClosedRunner;
import dev.mkplat.traffic.engine.FixedRequest;
import dev.mkplat.traffic.engine.HttpEngine;
import dev.mkplat.traffic.engine.JitWarmUp;
import dev.mkplat.traffic.engine.OpenLoopRunner;
import dev.mkplat.traffic.engine.RunWindow;
import dev.mkplat.traffic.engine.StopSignal;
import dev.mkplat.traffic.engine.TargetProbe;
import dev.mkplat.traffic.engine.VirtualUser;
import dev.mkplat.traffic.engine.Workload;
import dev.mkplat.traffic.report.IntervalSampler;
import dev.mkplat.traffic.report.LiveProgress;
import dev.mkplat.traffic.report.LoadMetrics;
import dev.mkplat.traffic.report.Report;
import dev.mkplat.traffic.report.ReportHtml;
import dev.mkplat.traffic.report.ReportJson;
import dev.mkplat.traffic.report.ReportText;
import dev.mkplat.traffic.report.Threshold;
import dev.mkplat.traffic.scenario.Scenario;
import dev.mkplat.traffic.schedule.LoadSchedule;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.HdrHistogram.Histogram;

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
     * Unrecorded GETs per URL before the load on the threaded engine (open model, scenarios), at
     * most; the event loop warms up until the JIT is done instead ({@link JitWarmUp}). The JIT compiles the request path after a
     * few thousand requests, and until then the generator is much slower. Without this,
     * the first seconds at 5000/s showed the JIT as send lag and latency (p99 of hundreds of ms).
     */
    public static final int MAX_WARM_UP_REQUESTS = 5000;
    /** Rounds of the event loop's warm-up at most ({@link JitWarmUp}): three seconds. */
    static final int LOOP_WARM_UP_ROUNDS = (int) (3_000 / JitWarmUp.ROUND_MILLIS);
    /** Warm-up requests sent at once, at most (and no more than the run's connections or --max-in-flight). */
    static final int WARM_UP_CONCURRENCY = 20;

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean terminal;
    private final StopSignal stop = new StopSignal();

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

    /** Stops the load early, as Ctrl-C does; the report is still produced. Safe from any thread. */
    public void stop() {
        stop.request();
    }

    /**
     * Runs the load and returns when its report is printed and written. Ctrl-C (a shutdown hook)
     * stops the load and waits for the report.
     *
     * @throws MkplatException (exit 2) when the scenario sends to a target that has no URL
     */
    public TrafficResult run(TrafficRequest request) {
        return run(RunContext.of(request));
    }

    /**
     * Starts the load on a thread of its own and returns at once, for a caller in the same process
     * (chaos) that reads the seconds while it runs and stops it when it is done with it. The report
     * is printed and written as by {@link #run}; a {@code TrafficRun} runs one load at a time.
     *
     * @throws MkplatException (exit 2) when the scenario sends to a target that has no URL
     */
    public RunningTraffic start(TrafficRequest request) {
        return start(RunContext.of(request));
    }

    /**
     * {@link #start(TrafficRequest)}, telling {@code eachSecond} of every second as it is sampled,
     * with that second's latencies in microseconds (a histogram of its own, which the listener may
     * keep). It runs on the sampler's thread: it must be quick.
     */
    public RunningTraffic start(TrafficRequest request, BiConsumer<Report.TimePoint, Histogram> eachSecond) {
        return start(RunContext.of(request, eachSecond));
    }

    private RunningTraffic start(RunContext context) {
        CompletableFuture<TrafficResult> result = new CompletableFuture<>();
        Thread.ofPlatform().name("traffic-run").start(() -> {
            try {
                result.complete(run(context));
            } catch (Throwable failure) {
                result.completeExceptionally(failure);
            }
        });
        return new RunningTraffic(this, context, result);
    }

    private TrafficResult run(RunContext context) {
        TrafficRequest request = context.request;
        Duration probeTimeout =
                request.timeout().compareTo(Duration.ofSeconds(3)) < 0 ? request.timeout() : Duration.ofSeconds(3);
        context.problems.addAll(TargetProbe.unreachable(context.targets, probeTimeout));
        if (!context.problems.isEmpty()) {
            Report report = context.report(List.of(), null);
            return finish(
                    request,
                    report,
                    TrafficResult.failed(
                            report,
                            context.problems.getFirst(),
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
            return load(context);
        } finally {
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and returns now that the report is out
            }
        }
    }

    private TrafficResult load(RunContext context) {
        TrafficRequest request = context.request;
        LoadModel model = context.model();
        String runId = randomText(6);
        try (HttpEngine engine =
                new HttpEngine(request.trust(), request.timeout(), Math.max(model.concurrency(), SETUP_CONCURRENCY))) {
            Workload workload = new Workload(
                    context.scenario, context.targets, engine, context.metrics, context.setupMetrics, runId);
            if (context.scenario.users() > 0) {
                Optional<String> setupFailure = setUpUsers(context, workload, runId);
                if (setupFailure.isPresent()) {
                    Report report = context.report(List.of(), null);
                    return finish(
                            request,
                            report,
                            TrafficResult.failed(
                                    report,
                                    setupFailure.get(),
                                    "the setup table above shows which request failed; check that service and its URL (--target NAME=URL)"));
                }
            }
            // A closed run of fixed requests goes on an event loop (EventLoopClosedRunner says why).
            List<FixedRequest> fixed = model instanceof LoadModel.Closed ? workload.fixedRequests() : List.of();
            try {
                if (fixed.isEmpty()) {
                    workload.warmUp(
                            warmUpRequests(request),
                            Math.min(WARM_UP_CONCURRENCY, model.concurrency()),
                            model instanceof LoadModel.Closed
                                    ? Thread.ofPlatform().daemon()
                                    : Thread.ofVirtual());
                } else {
                    warmUpOnLoop(fixed, (LoadModel.Closed) model, request, engine.tls());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MkplatException(ExitCode.FAILED, "interrupted while warming up");
            }
            LiveProgress progress =
                    new LiveProgress(err, terminal, request.duration().toNanos() / 1e9, model.describe());
            RunWindow window;
            List<Report.TimePoint> timeline;
            try (IntervalSampler sampler = new IntervalSampler(context.metrics, (point, latencies) -> {
                progress.update(point);
                context.intervals.add(point);
                context.eachSecond.accept(point, latencies);
            })) {
                Duration drain = request.timeout().plusSeconds(1);
                sampler.start(System.nanoTime());
                window = switch (model) {
                    // (an if, not a guarded case: the formatter's parser rejects "case ... when")
                    case LoadModel.Closed closed -> {
                        if (fixed.isEmpty()) {
                            yield new ClosedLoopRunner(
                                            closed.connections(),
                                            request.duration(),
                                            drain,
                                            workload,
                                            context.metrics,
                                            stop)
                                    .run();
                        }
                        yield new EventLoopClosedRunner(
                                        fixed,
                                        closed.connections(),
                                        EventLoopClosedRunner.Bounds.load(request.duration(), request.timeout()),
                                        engine.tls(),
                                        context.metrics,
                                        stop)
                                .run();
                    }
                    case LoadModel.Open open ->
                        new OpenLoopRunner(
                                        new LoadSchedule(
                                                open.rps(),
                                                request.duration(),
                                                open.ramp(),
                                                open.arrival(),
                                                System.nanoTime()),
                                        request.duration(),
                                        open.maxInFlight(),
                                        drain,
                                        workload,
                                        context.metrics,
                                        stop)
                                .run();
                };
                timeline = sampler.finish();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MkplatException(ExitCode.FAILED, "interrupted while waiting for the load to finish");
            }
            progress.finish();
            Report report = context.report(timeline, window);
            return finish(request, report, verdict(report));
        }
    }

    /**
     * How many warm-up GETs {@code request} gets per URL: {@link #MAX_WARM_UP_REQUESTS} before a
     * closed run, at most one second's worth of the rate before an open one (a gentle test stays
     * gentle; a slow rate does not need the JIT).
     */
    public static int warmUpRequests(TrafficRequest request) {
        return switch (request.model()) {
            case LoadModel.Closed closed -> MAX_WARM_UP_REQUESTS;
            case LoadModel.Open open ->
                (int) Math.min(MAX_WARM_UP_REQUESTS, Math.max(WARM_UP_CONCURRENCY, Math.ceil(open.rps())));
        };
    }

    /**
     * The event loop's warm-up: the same requests, recorded nowhere, when they are all GETs (safe
     * to repeat), in rounds of {@link JitWarmUp#ROUND_MILLIS} until the JIT has caught up (a round in
     * which it hardly compiled), three seconds at most. A closed run is measured against tools that
     * are at full speed from their first request, so its clock starts only then.
     */
    private void warmUpOnLoop(List<FixedRequest> fixed, LoadModel.Closed model, TrafficRequest request, ClientTls tls)
            throws InterruptedException {
        if (!fixed.stream().allMatch(r -> "GET".equals(r.method()))) {
            return;
        }
        JitWarmUp.ofThisJvm(LOOP_WARM_UP_ROUNDS)
                .run(
                        () -> {
                            LoadMetrics unrecorded = new LoadMetrics();
                            List<FixedRequest> copies = fixed.stream()
                                    .map(r -> new FixedRequest(
                                            r.method(),
                                            r.uri(),
                                            r.headers(),
                                            r.body(),
                                            r.contentType(),
                                            r.weight(),
                                            unrecorded.endpoint(r.stats().name())))
                                    .toList();
                            long start = System.nanoTime();
                            new EventLoopClosedRunner(
                                            copies,
                                            Math.min(WARM_UP_CONCURRENCY, model.connections()),
                                            EventLoopClosedRunner.Bounds.warmUp(
                                                    Duration.ofMillis(JitWarmUp.ROUND_MILLIS), request.timeout()),
                                            tls,
                                            unrecorded,
                                            stop)
                                    .run();
                            return (System.nanoTime() - start) / 1_000_000;
                        },
                        stop);
    }

    /** Registers and logs in every virtual user at once; empty when enough of them are ready. */
    private Optional<String> setUpUsers(RunContext context, Workload workload, String runId) {
        Scenario scenario = context.scenario;
        List<String> problems = context.problems;
        String password = randomText(20);
        List<VirtualUser> users = new ArrayList<>();
        for (int i = 1; i <= scenario.users(); i++) {
            users.add(new VirtualUser("mkplat-" + runId + "-" + i, password));
        }
        err.println("setting up " + users.size() + " virtual users ("
                + scenario.setup().stream()
                        .map(s -> s.name())
                        .reduce((a, b) -> a + ", " + b)
                        .orElse("") + ")...");
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
        context.setupSeconds = (System.nanoTime() - started) / 1e9;
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

    private static TrafficResult verdict(Report report) {
        Report.EndpointRow total = report.total();
        if (total.count() > 0 && total.count() == total.connectionErrors()) {
            return TrafficResult.failed(
                    report,
                    "no request got an answer: " + total.firstError(),
                    "check the target URLs and TLS settings (--cacert, --insecure)");
        }
        List<Threshold.Result> crossed =
                report.thresholds().stream().filter(t -> !t.passed()).toList();
        if (!crossed.isEmpty()) {
            return TrafficResult.failed(
                    report,
                    crossed.size() + " of " + report.thresholds().size() + " thresholds crossed: "
                            + String.join(
                                    "; ",
                                    crossed.stream()
                                            .map(t -> t.threshold() + " (" + t.detail() + ")")
                                            .toList()),
                    null);
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
            throw new MkplatException(
                    ExitCode.FAILED,
                    "cannot write " + flag + " " + file.get() + ": " + e.getMessage(),
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
