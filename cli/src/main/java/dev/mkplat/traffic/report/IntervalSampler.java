package dev.mkplat.traffic.report;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.HdrHistogram.Histogram;

/**
 * Once a second, moves each recorder's interval into the totals and appends a point to the
 * timeline, which feeds the live progress line and the latency-over-time chart. Its own platform
 * thread, so that a busy virtual-thread scheduler cannot delay it. The listener also gets the
 * second's latencies (a histogram of its own, in microseconds), for a caller that adds seconds up
 * into spans of its own (chaos: before, during and after a fault).
 */
public final class IntervalSampler implements AutoCloseable {
    private final LoadMetrics metrics;
    private final BiConsumer<Report.TimePoint, Histogram> listener;
    private final List<Report.TimePoint> timeline = new ArrayList<>();
    private final Thread thread;
    private final Object lock = new Object();
    private long start;
    private long last;
    private long lastRequests;
    private long lastErrors;
    private Histogram lastLatency;
    private volatile boolean running = true;

    public IntervalSampler(LoadMetrics metrics, BiConsumer<Report.TimePoint, Histogram> listener) {
        this.metrics = metrics;
        this.listener = listener;
        this.thread = Thread.ofPlatform().daemon().name("traffic-sampler").unstarted(this::loop);
    }

    /** Starts sampling, counting seconds from {@code startNanos}. */
    public void start(long startNanos) {
        this.start = startNanos;
        this.last = startNanos;
        thread.start();
    }

    private void loop() {
        long next = start + 1_000_000_000L;
        while (running) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue;
            }
            Report.TimePoint point = sample(System.nanoTime());
            listener.accept(point, lastLatency);
            next += 1_000_000_000L;
        }
    }

    /** Takes the last partial interval and stops; the timeline is complete afterwards. */
    public List<Report.TimePoint> finish() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long now = System.nanoTime();
        if (now - last > 50_000_000L || timeline.isEmpty()) {
            sample(now);
        } else {
            // a sliver of an interval: fold it into the totals without a misleading rate point
            metrics.takeInterval();
        }
        synchronized (lock) {
            return List.copyOf(timeline);
        }
    }

    private Report.TimePoint sample(long now) {
        LoadMetrics.Interval interval = metrics.takeInterval();
        Histogram h = interval.latency();
        long requests = metrics.requests();
        long errors = metrics.errors();
        double seconds = Math.max(1e-9, (now - last) / 1e9);
        Report.TimePoint point = new Report.TimePoint(
                (now - start) / 1e9,
                (requests - lastRequests) / seconds,
                requests - lastRequests,
                errors - lastErrors,
                h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50) / 1000.0,
                h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0,
                h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0,
                metrics.inFlight(),
                metrics.dropped());
        last = now;
        lastLatency = h;
        lastRequests = requests;
        lastErrors = errors;
        synchronized (lock) {
            timeline.add(point);
        }
        return point;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
    }
}
