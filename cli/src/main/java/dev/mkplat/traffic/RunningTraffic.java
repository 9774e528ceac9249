package dev.mkplat.traffic;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.traffic.report.Report;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A traffic run going on in this process ({@link TrafficRun#start}): read its seconds while it
 * runs, stop it, and wait for its result. {@code mkplat chaos} puts load on the platform this way
 * while it breaks things, and reads the error rate and latency of each second.
 */
public final class RunningTraffic {
    private final TrafficRun run;
    private final RunContext context;
    private final CompletableFuture<TrafficResult> result;

    RunningTraffic(TrafficRun run, RunContext context, CompletableFuture<TrafficResult> result) {
        this.run = run;
        this.context = context;
        this.result = result;
    }

    /**
     * The seconds of load sampled so far, oldest first: rate, requests, errors, p50, p99, max, in
     * flight and dropped of each. Empty while virtual users are set up and the engine warms up.
     */
    public List<Report.TimePoint> intervals() {
        return List.copyOf(context.intervals);
    }

    /** The last second sampled, if any. */
    public Optional<Report.TimePoint> latest() {
        List<Report.TimePoint> intervals = context.intervals;
        return intervals.isEmpty() ? Optional.empty() : Optional.of(intervals.getLast());
    }

    /** Whether the run has ended (its report is made). */
    public boolean done() {
        return result.isDone();
    }

    /** Ends the load early; the report is still made, with {@link Report#interrupted()} set. */
    public void stop() {
        run.stop();
    }

    /**
     * Waits until the run ends and returns how it ended.
     *
     * @throws MkplatException what the run failed with (exit 1 when this thread is interrupted)
     */
    public TrafficResult await() {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MkplatException(ExitCode.FAILED, "interrupted while waiting for the traffic run", null, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new MkplatException(ExitCode.FAILED, "the traffic run failed: " + e.getCause(), null, e.getCause());
        }
    }

    /** {@link #stop()}, then {@link #await()}. */
    public TrafficResult stopAndAwait() {
        stop();
        return await();
    }
}
