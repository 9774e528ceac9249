package dev.mkplat.slo;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * One service's objectives, both measured on its {@code http_server_request_duration_seconds}
 * histogram (health probes left out).
 *
 * @param service      the service's name, which is also the {@code job} label of its metrics
 * @param availability the percentage of requests answered without a server error (5xx), for
 *                     example 99.5; less than 100
 * @param latency      the latency objective
 * @param window       the period over which the objectives hold and the error budget is counted
 */
public record Slo(String service, double availability, LatencyObjective latency, Duration window) {
    public Slo {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(window, "window");
    }

    /** The share of requests that may fail within the window: 0.005 for 99.5. */
    public BigDecimal availabilityBudget() {
        return budget(availability);
    }

    /** The share of requests that may be slower than the threshold: 0.01 for p99. */
    public BigDecimal latencyBudget() {
        return budget(latency.percentile());
    }

    /** A percentage as mkplat.yaml writes it: {@code 99.5}, {@code 99} (not {@code 99.0}). */
    public static String percent(double percent) {
        return BigDecimal.valueOf(percent).stripTrailingZeros().toPlainString();
    }

    /** {@code 1 - percent / 100}, exact as written ({@code 99.9} gives {@code 0.001}, not a binary neighbour). */
    static BigDecimal budget(double percent) {
        return BigDecimal.ONE
                .subtract(BigDecimal.valueOf(percent).movePointLeft(2))
                .stripTrailingZeros();
    }
}
