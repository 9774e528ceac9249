package dev.mkplat.traffic.report;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pass/fail condition on the whole run, k6-style: {@code p99<250ms}, {@code max<=2s},
 * {@code errors<1%}, {@code rate>45}. Latencies compare in milliseconds, errors in percent of all
 * requests, rate in requests per second.
 */
public record Threshold(Metric metric, Comparison comparison, double value, String text) {
    /** The grammar, shown when a threshold does not parse. */
    public static final String GRAMMAR = "METRIC OP VALUE, where METRIC is p50, p90, p95, p99, p99.9, max or mean "
            + "(VALUE with us, ms or s), errors (VALUE with %) or rate (VALUE in requests/s), and OP is <, <=, > or >=; "
            + "e.g. 'p99<250ms', 'errors<1%', 'rate>=45'";

    private static final Pattern SYNTAX = Pattern.compile(
            "\\s*(p50|p90|p95|p99|p99\\.9|max|mean|avg|errors|rate)\\s*(<=|>=|<|>)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(us|µs|ms|s|%|/s|rps)?\\s*");

    /** What a threshold is about. */
    public enum Metric {
        P50("p50"),
        P90("p90"),
        P95("p95"),
        P99("p99"),
        P999("p99.9"),
        MAX("max"),
        MEAN("mean"),
        ERRORS("errors"),
        RATE("rate");

        private final String label;

        Metric(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        boolean isLatency() {
            return this != ERRORS && this != RATE;
        }
    }

    /** How the measured value must compare with the threshold's value to pass. */
    public enum Comparison {
        LESS("<"),
        LESS_OR_EQUAL("<="),
        GREATER(">"),
        GREATER_OR_EQUAL(">=");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        boolean holds(double actual, double limit) {
            return switch (this) {
                case LESS -> actual < limit;
                case LESS_OR_EQUAL -> actual <= limit;
                case GREATER -> actual > limit;
                case GREATER_OR_EQUAL -> actual >= limit;
            };
        }

        static Comparison of(String symbol) {
            for (Comparison c : values()) {
                if (c.symbol.equals(symbol)) {
                    return c;
                }
            }
            throw new IllegalArgumentException(symbol);
        }
    }

    /** Parses one threshold; the message of a failure names the problem and the grammar. */
    public static Threshold parse(String text) {
        Matcher m = SYNTAX.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("malformed threshold '" + text + "': expected " + GRAMMAR);
        }
        String name = m.group(1);
        Metric metric = switch (name) {
            case "p50" -> Metric.P50;
            case "p90" -> Metric.P90;
            case "p95" -> Metric.P95;
            case "p99" -> Metric.P99;
            case "p99.9" -> Metric.P999;
            case "max" -> Metric.MAX;
            case "mean", "avg" -> Metric.MEAN;
            case "errors" -> Metric.ERRORS;
            default -> Metric.RATE;
        };
        double number = Double.parseDouble(m.group(3));
        String unit = m.group(4);
        double value;
        if (metric.isLatency()) {
            if (unit == null || !(unit.equals("ms") || unit.equals("s") || unit.equals("us") || unit.equals("µs"))) {
                throw new IllegalArgumentException("threshold '" + text + "': " + name
                        + " needs a time unit (us, ms or s), e.g. '" + name + "<250ms'");
            }
            value = switch (unit) {
                case "s" -> number * 1000;
                case "us", "µs" -> number / 1000;
                default -> number;
            };
        } else if (metric == Metric.ERRORS) {
            if (!"%".equals(unit)) {
                throw new IllegalArgumentException(
                        "threshold '" + text + "': errors is a percentage, e.g. 'errors<1%'");
            }
            value = number;
        } else {
            if (unit != null && !unit.equals("/s") && !unit.equals("rps")) {
                throw new IllegalArgumentException(
                        "threshold '" + text + "': rate is in requests per second, e.g. 'rate>45'");
            }
            value = number;
        }
        return new Threshold(metric, Comparison.of(m.group(2)), value, text.strip());
    }

    /** Checks the threshold against the report's totals. */
    public Result evaluate(Report report) {
        return evaluate(
                report.total().latency(),
                report.total().errorPercent(),
                report.total().rate());
    }

    /**
     * Checks the threshold against figures of any span of a run (chaos judges the seconds before
     * and after its fault this way).
     *
     * @param errorPercent failed requests in percent of all
     * @param rate         requests per second
     */
    public Result evaluate(Report.Latency latency, double errorPercent, double rate) {
        double actual = switch (metric) {
            case P50 -> latency.p50Ms();
            case P90 -> latency.p90Ms();
            case P95 -> latency.p95Ms();
            case P99 -> latency.p99Ms();
            case P999 -> latency.p999Ms();
            case MAX -> latency.maxMs();
            case MEAN -> latency.meanMs();
            case ERRORS -> errorPercent;
            case RATE -> rate;
        };
        boolean passed = comparison.holds(actual, value);
        String shown = format(actual);
        String detail = passed
                ? metric.label() + " " + shown
                : metric.label() + " was " + shown + ", " + format(Math.abs(actual - value))
                        + (actual > value ? " over" : " under");
        return new Result(text, passed, actual, detail);
    }

    private String format(double v) {
        return switch (metric) {
            case ERRORS -> String.format(Locale.ROOT, "%.2f%%", v);
            case RATE -> String.format(Locale.ROOT, "%.1f/s", v);
            default -> Report.millis(v);
        };
    }

    /** The verdict of one threshold. */
    public record Result(String threshold, boolean passed, double actual, String detail) {}
}
