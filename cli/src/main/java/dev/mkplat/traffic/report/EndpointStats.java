package dev.mkplat.traffic.report;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counts and latencies of one endpoint. Request threads write to a {@link Recorder} (wait-free);
 * the sampler alone swaps out interval histograms once a second and adds them into the total, so
 * memory stays the same whatever the duration.
 */
public final class EndpointStats {
    /** Latencies are recorded in microseconds, up to an hour, with 3 significant digits. */
    static final long HIGHEST_MICROS = 3_600_000_000L;

    static final int DIGITS = 3;

    private final String name;
    private final Recorder recorder = new Recorder(HIGHEST_MICROS, DIGITS);
    private final Map<OutcomeKind, LongAdder> counts = new EnumMap<>(OutcomeKind.class);
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final Histogram total = new Histogram(HIGHEST_MICROS, DIGITS);
    private Histogram interval;

    EndpointStats(String name) {
        this.name = name;
        for (OutcomeKind kind : OutcomeKind.values()) {
            counts.put(kind, new LongAdder());
        }
    }

    public String name() {
        return name;
    }

    /**
     * Records one finished request. Latency is kept for every request that reached the server
     * or timed out there; a refused connection has no latency worth the name.
     */
    public void record(RequestOutcome outcome, long latencyNanos) {
        counts.get(outcome.kind()).increment();
        if (outcome.kind() != OutcomeKind.CONNECTION_ERROR) {
            recorder.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, latencyNanos / 1_000)));
        }
        if (!outcome.ok() && firstError.get() == null) {
            firstError.compareAndSet(null, outcome.error() != null ? outcome.error() : "HTTP " + outcome.status());
        }
    }

    /** Moves what was recorded since the last call into the total and returns it; sampler thread only. */
    Histogram takeInterval() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return interval;
    }

    /** All latencies so far (up to the last {@link #takeInterval()}); sampler or final thread only. */
    Histogram total() {
        return total;
    }

    public long count(OutcomeKind kind) {
        return counts.get(kind).sum();
    }

    public long count() {
        long sum = 0;
        for (LongAdder adder : counts.values()) {
            sum += adder.sum();
        }
        return sum;
    }

    /**
     * Requests that did not end {@link OutcomeKind#OK}: the sum of the error kinds' own counters,
     * each of which only grows, so that two reads while requests are recorded never go down. (The
     * total minus the successes read the success counter twice, and successes recorded in between
     * made the difference negative: the progress line once printed "errors -1".)
     */
    public long errors() {
        long sum = 0;
        for (Map.Entry<OutcomeKind, LongAdder> entry : counts.entrySet()) {
            if (entry.getKey() != OutcomeKind.OK) {
                sum += entry.getValue().sum();
            }
        }
        return sum;
    }

    /** The first error seen, in a few words ("connection refused", "HTTP 503"), or null. */
    public String firstError() {
        return firstError.get();
    }
}
