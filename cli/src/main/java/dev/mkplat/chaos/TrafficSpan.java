package dev.mkplat.chaos;

import dev.mkplat.traffic.report.Report;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The seconds of load that fell in one part of an experiment (before, during or after its fault),
 * added up: requests, failed requests, and every latency, so that its p99 is the p99 of its
 * requests, not of its seconds' p99s.
 */
final class TrafficSpan {
    /** The traffic engine's histograms: microseconds up to a minute, 3 significant digits. */
    private static final long HIGHEST_MICROS = 60_000_000L;

    private final Histogram latencies = new Histogram(HIGHEST_MICROS, 3);
    private long seconds;
    private long requests;
    private long errors;

    /** Adds one sampled second and its latencies (microseconds). */
    synchronized void add(Report.TimePoint second, Histogram secondLatencies) {
        seconds++;
        requests += second.requests();
        errors += second.errors();
        if (secondLatencies != null) {
            latencies.add(secondLatencies);
        }
    }

    synchronized long seconds() {
        return seconds;
    }

    synchronized long requests() {
        return requests;
    }

    synchronized long errors() {
        return errors;
    }

    /** Failed requests in percent of all; 0 without requests. */
    synchronized double errorPercent() {
        return requests == 0 ? 0 : 100.0 * errors / requests;
    }

    /** Requests per second. */
    synchronized double rate() {
        return seconds == 0 ? 0 : (double) requests / seconds;
    }

    synchronized Report.Latency latency() {
        return Report.Latency.of(latencies);
    }

    /** The span as the journal records it. */
    synchronized Map<String, Object> figures() {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("seconds", seconds);
        figures.put("requests", requests);
        figures.put("errors", errors);
        figures.put("errorPercent", Math.round(errorPercent() * 1000) / 1000.0);
        Report.Latency latency = latency();
        figures.put("p50Ms", Math.round(latency.p50Ms() * 10) / 10.0);
        figures.put("p99Ms", Math.round(latency.p99Ms() * 10) / 10.0);
        figures.put("maxMs", Math.round(latency.maxMs() * 10) / 10.0);
        return figures;
    }
}
