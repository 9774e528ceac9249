package dev.mkplat.slo;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A latency objective: {@code percentile}% of requests are answered within {@code threshold}
 * (for 99 and 250 ms: p99 &lt; 250 ms).
 *
 * @param percentile the share of requests, in percent, for example 99
 * @param threshold  one of {@link #THRESHOLDS}
 */
public record LatencyObjective(double percentile, Duration threshold) {
    /**
     * The bucket boundaries of the services' {@code http_server_request_duration_seconds} histogram
     * that mkplat.yaml's durations can name (whole milliseconds). The share of requests within a
     * threshold is read from the bucket with that upper bound, so a threshold must be one of them.
     */
    public static final List<Duration> THRESHOLDS = List.of(
            Duration.ofMillis(1),
            Duration.ofMillis(5),
            Duration.ofMillis(10),
            Duration.ofMillis(25),
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(250),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofMillis(2500),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10));

    public LatencyObjective {
        Objects.requireNonNull(threshold, "threshold");
    }
}
