package dev.mkplat.traffic.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The report as the terminal shows it: a summary, a table per endpoint, errors and thresholds. */
public final class ReportText {
    /** Sends later than this (p99) mean the generator, not the target, set the pace. */
    static final double LAG_WARNING_MS = 50;

    private ReportText() {}

    public static String render(Report r) {
        StringBuilder out = new StringBuilder();
        out.append(headline(r)).append('\n');
        out.append(summary(r)).append('\n');
        for (String problem : r.problems()) {
            out.append("  problem: ").append(problem).append('\n');
        }
        if (!r.setup().isEmpty()) {
            out.append("\nSetup (virtual users, before the load)\n").append(table(r.setup(), null));
        }
        if (r.total().count() > 0 || r.problems().isEmpty()) {
            out.append('\n').append(table(r.endpoints(), r.total()));
        }
        List<String> errors = new ArrayList<>();
        for (Report.EndpointRow row : r.endpoints()) {
            if (row.errors() > 0) {
                errors.add(String.format(
                        Locale.ROOT,
                        "  %s: %d errors (%s), first: %s",
                        row.name(),
                        row.errors(),
                        breakdown(row),
                        row.firstError()));
            }
        }
        if (!errors.isEmpty()) {
            out.append("\nErrors\n");
            errors.forEach(e -> out.append(e).append('\n'));
        }
        if (!r.thresholds().isEmpty()) {
            out.append("\nThresholds\n");
            for (Threshold.Result t : r.thresholds()) {
                out.append("  ")
                        .append(t.passed() ? "✓ " : "× ")
                        .append(t.threshold())
                        .append("  (")
                        .append(t.detail())
                        .append(")\n");
            }
        }
        return out.toString();
    }

    static String headline(Report r) {
        String load = "open".equals(r.model())
                ? String.format(Locale.ROOT, "open model, %s/s %s arrivals", number(r.targetRate()), r.arrival())
                : String.format(Locale.ROOT, "closed model, %d connections", r.concurrency());
        return String.format(
                Locale.ROOT,
                "mkplat traffic: scenario %s, %s, %s%s",
                r.scenario(),
                load,
                seconds(r.plannedSeconds()),
                r.interrupted() ? " (stopped early by Ctrl-C)" : "");
    }

    static String summary(Report r) {
        Report.Arrivals a = r.arrivals();
        StringBuilder s = new StringBuilder();
        if ("open".equals(r.model())) {
            boolean ramped = Math.abs(a.scheduledRate() - r.targetRate()) > r.targetRate() * 0.001;
            s.append(String.format(
                    Locale.ROOT,
                    "  ran %s: sent %d of %d planned, achieved %s/s of %s/s%s, dropped %d (max in flight %d)",
                    seconds(r.elapsedSeconds()),
                    a.sent(),
                    a.planned(),
                    number(a.achievedRate()),
                    number(a.scheduledRate()),
                    ramped ? " scheduled (with the ramp)" : "",
                    a.dropped(),
                    r.concurrency()));
            if (r.scheduleLag() != null && a.sent() > 0) {
                s.append(String.format(
                        Locale.ROOT,
                        "%n  schedule lag (send vs intended time): p50 %s, p99 %s, max %s",
                        Report.millis(r.scheduleLag().p50Ms()),
                        Report.millis(r.scheduleLag().p99Ms()),
                        Report.millis(r.scheduleLag().maxMs())));
                if (r.scheduleLag().p99Ms() > LAG_WARNING_MS) {
                    s.append(String.format(
                            Locale.ROOT,
                            "%n  warning: the generator fell behind its own schedule (lag p99 %s): the latencies"
                                    + " include that delay; lower --rps or give mkplat more CPU",
                            Report.millis(r.scheduleLag().p99Ms())));
                }
            }
        } else {
            s.append(String.format(
                    Locale.ROOT,
                    "  ran %s: %d requests, throughput %s/s",
                    seconds(r.elapsedSeconds()),
                    r.total().count(),
                    number(r.total().rate())));
        }
        if (a.unfinished() > 0) {
            s.append(String.format(
                    Locale.ROOT,
                    "%n  %d requests were still running when the run ended (not counted)",
                    a.unfinished()));
        }
        return s.toString();
    }

    static String table(List<Report.EndpointRow> rows, Report.EndpointRow total) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {
            "ENDPOINT",
            "COUNT",
            "RATE/S",
            "OK",
            "4XX",
            "5XX",
            "TIMEOUT",
            "CONN ERR",
            "P50",
            "P90",
            "P99",
            "P99.9",
            "MAX"
        });
        rows.forEach(row -> cells.add(cells(row)));
        if (total != null && rows.size() > 1) {
            cells.add(cells(total));
        }
        int[] width = new int[cells.getFirst().length];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                width[i] = Math.max(width[i], line[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] line : cells) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.length; i++) {
                if (i == 0) {
                    text.append(String.format("%-" + width[i] + "s", line[i]));
                } else {
                    text.append("  ").append(String.format("%" + width[i] + "s", line[i]));
                }
            }
            out.append(text.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String[] cells(Report.EndpointRow row) {
        Report.Latency l = row.latency();
        boolean measured = row.count() - row.connectionErrors() > 0;
        return new String[] {
            row.name(),
            Long.toString(row.count()),
            number(row.rate()),
            Long.toString(row.ok()),
            Long.toString(row.status4xx()),
            Long.toString(row.status5xx()),
            Long.toString(row.timeouts()),
            Long.toString(row.connectionErrors()),
            lat(measured, l.p50Ms()),
            lat(measured, l.p90Ms()),
            lat(measured, l.p99Ms()),
            lat(measured, l.p999Ms()),
            lat(measured, l.maxMs())
        };
    }

    private static String lat(boolean measured, double ms) {
        return measured ? Report.millis(ms) : "-";
    }

    private static String breakdown(Report.EndpointRow row) {
        List<String> parts = new ArrayList<>();
        if (row.status4xx() > 0) {
            parts.add(row.status4xx() + " 4xx");
        }
        if (row.status5xx() > 0) {
            parts.add(row.status5xx() + " 5xx");
        }
        if (row.timeouts() > 0) {
            parts.add(row.timeouts() + " timeouts");
        }
        if (row.connectionErrors() > 0) {
            parts.add(row.connectionErrors() + " connection errors");
        }
        return String.join(", ", parts);
    }

    public static String number(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String seconds(double s) {
        return s == Math.rint(s) ? String.format(Locale.ROOT, "%.0fs", s) : String.format(Locale.ROOT, "%.1fs", s);
    }
}
