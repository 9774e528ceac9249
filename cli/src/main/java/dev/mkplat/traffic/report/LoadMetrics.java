package dev.mkplat.traffic.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Everything a run measures: per-endpoint stats, arrivals sent and dropped, requests in flight,
 * and the schedule lag (how late each send was against its intended time, which says whether the
 * generator itself kept up). Written by many threads; sampled by one.
 */
public final class LoadMetrics {
    private final Map<String, EndpointStats> endpoints = new ConcurrentHashMap<>();
    private final List<String> order = new CopyOnWriteArrayList<>();
    private final LongAdder sent = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong inFlight = new AtomicLong();
    private final Recorder lagRecorder = new Recorder(EndpointStats.HIGHEST_MICROS, EndpointStats.DIGITS);
    private final Histogram lagTotal = new Histogram(EndpointStats.HIGHEST_MICROS, EndpointStats.DIGITS);
    private Histogram lagInterval;

    /** The stats of endpoint {@code name}, created on first use; endpoints keep the order they first appeared in. */
    public EndpointStats endpoint(String name) {
        EndpointStats stats = endpoints.get(name);
        if (stats != null) {
            return stats;
        }
        return endpoints.computeIfAbsent(name, n -> {
            order.add(n);
            return new EndpointStats(n);
        });
    }

    /** Endpoints in the order they were first declared or used. */
    public List<EndpointStats> endpoints() {
        List<EndpointStats> all = new ArrayList<>();
        for (String name : order) {
            all.add(endpoints.get(name));
        }
        return all;
    }

    /** An arrival went out. */
    public void countSent() {
        sent.increment();
    }

    /** An open-model arrival went out {@code lagNanos} after its intended time. */
    public void countSentLate(long lagNanos) {
        sent.increment();
        lagRecorder.recordValue(Math.min(EndpointStats.HIGHEST_MICROS, Math.max(0, lagNanos / 1_000)));
    }

    /** An arrival found {@code --max-in-flight} arrivals still running and was not sent. */
    public void countDropped() {
        dropped.increment();
    }

    public void started() {
        inFlight.incrementAndGet();
    }

    public void finished() {
        inFlight.decrementAndGet();
    }

    public long sent() {
        return sent.sum();
    }

    public long dropped() {
        return dropped.sum();
    }

    public long inFlight() {
        return inFlight.get();
    }

    /** Requests finished so far, over all endpoints. */
    public long requests() {
        long sum = 0;
        for (EndpointStats stats : endpoints.values()) {
            sum += stats.count();
        }
        return sum;
    }

    public long errors() {
        long sum = 0;
        for (EndpointStats stats : endpoints.values()) {
            sum += stats.errors();
        }
        return sum;
    }

    /** Takes the interval histograms of every endpoint and of the lag; sampler thread only. */
    public Interval takeInterval() {
        Histogram latency = new Histogram(EndpointStats.HIGHEST_MICROS, EndpointStats.DIGITS);
        for (EndpointStats stats : endpoints()) {
            latency.add(stats.takeInterval());
        }
        lagInterval = lagRecorder.getIntervalHistogram(lagInterval);
        lagTotal.add(lagInterval);
        return new Interval(latency, lagInterval);
    }

    /** The schedule lag over the whole run (up to the last interval taken). */
    public Histogram lagTotal() {
        return lagTotal;
    }

    /** All latencies of every endpoint together. */
    public Histogram latencyTotal() {
        Histogram all = new Histogram(EndpointStats.HIGHEST_MICROS, EndpointStats.DIGITS);
        for (EndpointStats stats : endpoints()) {
            all.add(stats.total());
        }
        return all;
    }

    /** One second's latencies over all endpoints, and the schedule lag in it. */
    record Interval(Histogram latency, Histogram lag) {}
}
