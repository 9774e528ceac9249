package dev.mkplat.traffic.engine;

import dev.mkplat.traffic.report.LoadMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The closed model, for maximum throughput: {@code connections} workers each send their next
 * request as soon as the previous one is answered, for {@code duration}. Latency counts from the
 * actual send, as wrk and hey count it (the closed model has no intended time to correct for).
 * Workers are platform threads, one per connection: the HTTP engine blocks the thread for each
 * request (virtual threads measured no faster with it).
 */
public final class ClosedLoopRunner {
    private final int connections;
    private final Duration duration;
    private final Duration drain;
    private final Workload workload;
    private final LoadMetrics metrics;
    private final StopSignal stop;

    public ClosedLoopRunner(
            int connections,
            Duration duration,
            Duration drain,
            Workload workload,
            LoadMetrics metrics,
            StopSignal stop) {
        this.connections = connections;
        this.duration = duration;
        this.drain = drain;
        this.workload = workload;
        this.metrics = metrics;
        this.stop = stop;
    }

    public RunWindow run() throws InterruptedException {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> workers = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            workers.add(Thread.ofPlatform().daemon().name("traffic-" + i).start(() -> {
                while (!stop.requested() && System.nanoTime() < end) {
                    metrics.started();
                    try {
                        long sent = System.nanoTime();
                        metrics.countSent();
                        workload.iterate(sent);
                    } finally {
                        metrics.finished();
                    }
                }
            }));
        }
        long deadline = end + drain.toNanos();
        boolean interrupted = false;
        for (Thread worker : workers) {
            while (worker.isAlive()) {
                if (stop.requested() && !interrupted) {
                    interrupted = true;
                    deadline = Math.min(deadline, System.nanoTime() + Math.min(drain.toNanos(), 2_000_000_000L));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || worker.join(Duration.ofNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50))))) {
                    break;
                }
            }
        }
        long loadEnd = Math.min(System.nanoTime(), interrupted ? System.nanoTime() : end);
        return new RunWindow(start, loadEnd, metrics.sent(), metrics.inFlight(), interrupted);
    }
}
