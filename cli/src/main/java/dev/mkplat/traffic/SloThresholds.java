package dev.mkplat.traffic;

import dev.mkplat.slo.LatencyObjective;
import dev.mkplat.slo.Slo;
import dev.mkplat.slo.Slos;
import dev.mkplat.traffic.report.Threshold;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The thresholds {@code mkplat traffic} checks when none are given: the same objectives the alerts
 * watch. A built-in scenario of one service checks that service's; {@code mixed}, whose requests
 * go to all three, checks the loosest latency and error budget among them (a stricter service's
 * own objective cannot be told apart in a run-wide percentile). A scenario file or {@code --url}
 * may point anywhere, so it gets none.
 */
public final class SloThresholds {
    /** The percentiles a threshold can name, lowest first. */
    private static final List<BigDecimal> PERCENTILES = List.of(
            new BigDecimal("50"),
            new BigDecimal("90"),
            new BigDecimal("95"),
            new BigDecimal("99"),
            new BigDecimal("99.9"));

    private SloThresholds() {}

    /** The thresholds for a built-in scenario name; empty for anything else. */
    public static List<Threshold> forScenario(Slos slos, String scenario) {
        Optional<Slo> one = slos.of(scenario);
        if (one.isPresent()) {
            return of(one.get());
        }
        if (!"mixed".equals(scenario)) {
            return List.of();
        }
        List<Slo> all = slos.all();
        double availability = all.stream().mapToDouble(Slo::availability).min().orElseThrow();
        double percentile = all.stream()
                .mapToDouble(slo -> slo.latency().percentile())
                .min()
                .orElseThrow();
        Duration threshold = all.stream()
                .map(slo -> slo.latency().threshold())
                .max(Comparator.naturalOrder())
                .orElseThrow();
        return of(new Slo(
                scenario,
                availability,
                new LatencyObjective(percentile, threshold),
                all.getFirst().window()));
    }

    /**
     * {@code pNN<=THRESHOLD} (the smallest reported percentile at or above the objective's, so a
     * p98 objective is checked on p99) and {@code errors<=BUDGET%}.
     */
    static List<Threshold> of(Slo slo) {
        BigDecimal wanted = BigDecimal.valueOf(slo.latency().percentile());
        BigDecimal percentile = PERCENTILES.stream()
                .filter(p -> p.compareTo(wanted) >= 0)
                .findFirst()
                .orElse(PERCENTILES.getLast());
        String errors = BigDecimal.valueOf(100)
                .subtract(BigDecimal.valueOf(slo.availability()))
                .stripTrailingZeros()
                .toPlainString();
        return List.of(
                Threshold.parse("p" + percentile.stripTrailingZeros().toPlainString() + "<="
                        + slo.latency().threshold().toMillis() + "ms"),
                Threshold.parse("errors<=" + errors + "%"));
    }

    /** How the thresholds read in the output, e.g. {@code p99<=250ms, errors<=0.5%}. */
    public static String describe(List<Threshold> thresholds) {
        return String.join(", ", thresholds.stream().map(Threshold::text).toList());
    }
}
