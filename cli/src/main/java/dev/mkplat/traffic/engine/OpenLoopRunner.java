package dev.mkplat.traffic.engine;

import dev.mkplat.traffic.report.LoadMetrics;
import dev.mkplat.traffic.schedule.LoadSchedule;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The open model: one scheduler thread sends each arrival at the instant {@link LoadSchedule}
 * gives, on a fresh virtual thread, whether or not earlier ones have been answered. Latency counts
 * from the intended instant, so time spent queued behind a stalled server is measured, not
 * omitted (wrk2's correction of coordinated omission). If the scheduler wakes up late it sends
 * everything that is due at once and the lag shows in the schedule-lag metric. An arrival that
 * finds {@code maxInFlight} arrivals still running is dropped and counted, never delayed.
 *
 * <p>Virtual, not platform threads: the HTTP engine blocks a thread per request and costs the
 * same CPU per request on either, but when a slow server leaves {@code maxInFlight} (1000)
 * requests in flight, a platform thread for each added about 110 MB of RSS in all, and a thousand
 * runnable OS threads starved this scheduler thread (send lag p99 5.6 s against 1.4 s; a 100 ms
 * server at 5000/s on the shared 2 cores).
 */
public final class OpenLoopRunner {
    /** Sleeping no longer than this between checks keeps Ctrl-C responsive at low rates. */
    private static final long MAX_PARK_NANOS = 50_000_000L;

    private final LoadSchedule schedule;
    private final Duration duration;
    private final int maxInFlight;
    private final Duration drain;
    private final Workload workload;
    private final LoadMetrics metrics;
    private final StopSignal stop;

    /**
     * @param drain how long to wait, after the last send, for answers still on their way
     */
    public OpenLoopRunner(
            LoadSchedule schedule,
            Duration duration,
            int maxInFlight,
            Duration drain,
            Workload workload,
            LoadMetrics metrics,
            StopSignal stop) {
        this.schedule = schedule;
        this.duration = duration;
        this.maxInFlight = maxInFlight;
        this.drain = drain;
        this.workload = workload;
        this.metrics = metrics;
        this.stop = stop;
    }

    public RunWindow run() {
        Thread.Builder senders = Thread.ofVirtual().name("traffic-", 0);
        long start = System.nanoTime();
        long planned = 0;
        boolean interrupted = false;
        for (long offset = schedule.next(); offset >= 0; offset = schedule.next()) {
            long intended = start + offset;
            if (!sleepUntil(intended)) {
                interrupted = true;
                break;
            }
            planned++;
            if (metrics.inFlight() >= maxInFlight) {
                metrics.countDropped();
                continue;
            }
            metrics.started();
            senders.start(() -> {
                try {
                    metrics.countSentLate(System.nanoTime() - intended);
                    workload.iterate(intended);
                } finally {
                    metrics.finished();
                }
            });
        }
        if (!interrupted && !sleepUntil(start + duration.toNanos())) {
            interrupted = true;
        }
        // The window is the schedule's: a scheduler that wakes a little after the end sent nothing more.
        long loadEnd = interrupted ? System.nanoTime() : start + duration.toNanos();
        long deadline = System.nanoTime() + (interrupted ? Math.min(drain.toNanos(), 2_000_000_000L) : drain.toNanos());
        while (metrics.inFlight() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(2_000_000L);
        }
        return new RunWindow(start, loadEnd, planned, metrics.inFlight(), interrupted);
    }

    /** Parks until {@code instant}; false if a stop was requested meanwhile. */
    private boolean sleepUntil(long instant) {
        long remaining;
        while ((remaining = instant - System.nanoTime()) > 0) {
            if (stop.requested()) {
                return false;
            }
            LockSupport.parkNanos(Math.min(remaining, MAX_PARK_NANOS));
        }
        return !stop.requested();
    }
}
