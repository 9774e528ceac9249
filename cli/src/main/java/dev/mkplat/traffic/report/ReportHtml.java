package dev.mkplat.traffic.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The report as one self-contained HTML page ({@code --html}): the summary, the endpoint table and
 * three charts drawn here as inline SVG (latency over time, throughput over time, the latency
 * distribution by percentile). No script, no stylesheet or font from elsewhere, so the file can be
 * mailed or archived by CI and still open anywhere.
 */
public final class ReportHtml {
    private static final int WIDTH = 860;
    private static final int HEIGHT = 280;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 16;
    private static final int BOTTOM = 40;

    private ReportHtml() {}

    /** A named polyline with its colour. */
    record Series(String name, String color, boolean dashed, List<double[]> points) {}

    public static String render(Report r) {
        StringBuilder h = new StringBuilder(32_768);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(esc("mkplat traffic: " + r.scenario()))
                .append("</title>\n<style>\n")
                .append(
                        "body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:900px;color:#1b1f24;padding:0 12px}\n")
                .append(
                        "h1{font-size:20px}h2{font-size:16px;margin-top:28px}table{border-collapse:collapse;font-size:13px}\n")
                .append(
                        "td,th{padding:3px 8px;border-bottom:1px solid #d8dee4;text-align:right}td:first-child,th:first-child{text-align:left}\n")
                .append("tr.total td{font-weight:600}.pass{color:#1a7f37}.fail{color:#cf222e}.muted{color:#57606a}\n")
                .append("svg text{font:11px system-ui,sans-serif;fill:#57606a}.legend span{margin-right:14px}\n")
                .append("</style></head><body>\n");
        h.append("<h1>").append(esc(ReportText.headline(r))).append("</h1>\n");
        h.append("<pre class=\"muted\">")
                .append(esc(ReportText.summary(r)))
                .append("\nstarted ")
                .append(esc(r.startedAt()))
                .append("</pre>\n");
        for (String problem : r.problems()) {
            h.append("<p class=\"fail\">problem: ").append(esc(problem)).append("</p>\n");
        }
        if (!r.thresholds().isEmpty()) {
            h.append("<h2>Thresholds</h2>\n<ul>\n");
            for (Threshold.Result t : r.thresholds()) {
                h.append("<li class=\"")
                        .append(t.passed() ? "pass\">✓ " : "fail\">× ")
                        .append(esc(t.threshold()))
                        .append(" <span class=\"muted\">(")
                        .append(esc(t.detail()))
                        .append(")</span></li>\n");
            }
            h.append("</ul>\n");
        }
        h.append("<h2>Endpoints</h2>\n").append(table(r.endpoints(), r.total()));
        if (!r.setup().isEmpty()) {
            h.append("<h2>Setup</h2>\n").append(table(r.setup(), null));
        }
        List<Report.TimePoint> t = r.timeline();
        h.append("<h2>Latency over time</h2>\n<p class=\"muted\">Per second, over all endpoints; ")
                .append("open model latencies count from the intended send time.</p>\n");
        h.append(chart(
                List.of(
                        series("p50", "#0969da", false, t, Report.TimePoint::p50Ms),
                        series("p99", "#bc4c00", false, t, Report.TimePoint::p99Ms),
                        series("max", "#cf222e", true, t, Report.TimePoint::maxMs)),
                "seconds",
                "ms",
                false));
        h.append("<h2>Throughput over time</h2>\n");
        h.append(chart(
                List.of(
                        series("requests/s", "#1a7f37", false, t, Report.TimePoint::rate),
                        series("errors", "#cf222e", false, t, p -> p.errors())),
                "seconds",
                "per second",
                false));
        h.append("<h2>Latency distribution</h2>\n<p class=\"muted\">Latency at each percentile over the whole run ")
                .append("(x axis: 90% means one request in 10 was slower, 99.9% one in 1000).</p>\n");
        // Percentiles finer than one request in the run say nothing: the axis ends at "one in N",
        // N being the requests measured, and the maximum is drawn there.
        double end = Math.min(
                6, Math.log10(Math.max(10, r.total().count() - r.total().connectionErrors())));
        List<double[]> dist = new ArrayList<>();
        for (Report.PercentilePoint p : r.distribution()) {
            double x = p.percentile() >= 100 ? end : tailPosition(p.percentile());
            if (x <= end) {
                dist.add(new double[] {x, p.latencyMs()});
            }
        }
        h.append(chart(List.of(new Series("latency", "#8250df", false, dist)), "percentile", "ms", true));
        h.append("<p class=\"muted\">Generated by mkplat traffic.</p>\n</body></html>\n");
        return h.toString();
    }

    private static Series series(
            String name,
            String color,
            boolean dashed,
            List<Report.TimePoint> points,
            ToDoubleFunction<Report.TimePoint> value) {
        List<double[]> xy = new ArrayList<>();
        for (Report.TimePoint p : points) {
            xy.add(new double[] {p.second(), value.applyAsDouble(p)});
        }
        return new Series(name, color, dashed, xy);
    }

    /** Where percentile p sits on the log "one in N" axis: 0 for 0%, 1 for 90%, 2 for 99%, 3 for 99.9%... */
    static double tailPosition(double percentile) {
        double rest = Math.max(1e-6, 1 - percentile / 100);
        return Math.min(6, Math.log10(1 / rest));
    }

    static String chart(List<Series> all, String xName, String yName, boolean percentileAxis) {
        double maxX = 0;
        double maxY = 0;
        for (Series s : all) {
            for (double[] p : s.points()) {
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        if (maxX <= 0) {
            maxX = 1;
        }
        double yTop = niceCeiling(maxY);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">%n",
                WIDTH,
                HEIGHT,
                WIDTH,
                HEIGHT));
        for (int i = 0; i <= 4; i++) {
            double v = yTop * i / 4;
            double y = TOP + plotH - plotH * i / 4.0;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#d8dee4\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT,
                    WIDTH - RIGHT,
                    y,
                    y,
                    LEFT - 6,
                    y + 4,
                    axisNumber(v)));
        }
        if (percentileAxis) {
            String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%"};
            for (int i = 0; i < labels.length && i <= maxX + 1e-9; i++) {
                double x = LEFT + plotW * i / maxX;
                svg.append(String.format(
                        Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                        x,
                        HEIGHT - BOTTOM + 16,
                        labels[i]));
            }
        } else {
            double step = niceCeiling(maxX / 8);
            for (double v = 0; v <= maxX + 1e-9; v += step) {
                double x = LEFT + plotW * v / maxX;
                svg.append(String.format(
                        Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                        x,
                        HEIGHT - BOTTOM + 16,
                        axisNumber(v)));
            }
        }
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                LEFT + plotW / 2,
                HEIGHT - 6,
                esc(xName)));
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">%s</text>%n",
                TOP + plotH / 2,
                TOP + plotH / 2,
                esc(yName)));
        for (Series s : all) {
            if (s.points().isEmpty()) {
                continue;
            }
            StringBuilder points = new StringBuilder();
            for (double[] p : s.points()) {
                points.append(String.format(
                        Locale.ROOT,
                        "%.1f,%.1f ",
                        LEFT + plotW * p[0] / maxX,
                        TOP + plotH - (yTop == 0 ? 0 : plotH * p[1] / yTop)));
            }
            svg.append(String.format(
                    Locale.ROOT,
                    "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\"%s points=\"%s\"><title>%s</title></polyline>%n",
                    s.color(),
                    s.dashed() ? " stroke-dasharray=\"5 3\"" : "",
                    points.toString().strip(),
                    esc(s.name())));
        }
        svg.append("</svg>\n<div class=\"legend\">");
        for (Series s : all) {
            svg.append("<span style=\"color:")
                    .append(s.color())
                    .append("\">━ ")
                    .append(esc(s.name()))
                    .append("</span>");
        }
        return svg.append("</div>\n").toString();
    }

    private static String table(List<Report.EndpointRow> rows, Report.EndpointRow total) {
        StringBuilder t = new StringBuilder(
                "<table>\n<tr><th>endpoint</th><th>count</th><th>rate/s</th><th>ok</th><th>4xx</th>"
                        + "<th>5xx</th><th>timeouts</th><th>conn errors</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>\n");
        List<Report.EndpointRow> all = new ArrayList<>(rows);
        if (total != null && rows.size() > 1) {
            all.add(total);
        }
        for (Report.EndpointRow row : all) {
            Report.Latency l = row.latency();
            t.append(row == total ? "<tr class=\"total\">" : "<tr>")
                    .append("<td>")
                    .append(esc(row.name()))
                    .append("</td>");
            for (String cell : new String[] {
                Long.toString(row.count()),
                ReportText.number(row.rate()),
                Long.toString(row.ok()),
                Long.toString(row.status4xx()),
                Long.toString(row.status5xx()),
                Long.toString(row.timeouts()),
                Long.toString(row.connectionErrors()),
                Report.millis(l.p50Ms()),
                Report.millis(l.p90Ms()),
                Report.millis(l.p99Ms()),
                Report.millis(l.p999Ms()),
                Report.millis(l.maxMs())
            }) {
                t.append("<td>").append(esc(cell)).append("</td>");
            }
            t.append("</tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    /** 1, 2, 2.5, 5 times a power of ten, at or above {@code v}. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= v) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String axisNumber(double v) {
        return v == Math.rint(v)
                ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "");
    }

    static String esc(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
