package dev.mkplat.traffic.report;

import java.io.Console;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The progress line printed once a second while traffic runs: elapsed of total, target and
 * achieved rate, in flight, dropped, errors, and p50/p99 of the last second. On a terminal the
 * line is redrawn in place; elsewhere (CI logs, pipes) each second gets a plain line.
 */
public final class LiveProgress {
    private final PrintWriter out;
    private final boolean redraw;
    private final double totalSeconds;
    private final String target;
    private boolean drawn;
    private long errors;

    /**
     * @param target how the asked-for load reads, e.g. "50 arrivals/s" or "64 connections"
     */
    public LiveProgress(PrintWriter out, boolean redraw, double totalSeconds, String target) {
        this.out = out;
        this.redraw = redraw;
        this.totalSeconds = totalSeconds;
        this.target = target;
    }

    /** Whether the process talks to a terminal (then the line is redrawn in place). */
    public static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22+ returns a console even when redirected; isTerminal() tells the truth there.
            return (boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    public synchronized void update(Report.TimePoint point) {
        errors += point.errors();
        String line = line(point);
        if (redraw) {
            out.print("\r\033[K" + line);
            drawn = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the redrawn line so the report starts on a fresh one. */
    public synchronized void finish() {
        if (redraw && drawn) {
            out.println();
            out.flush();
        }
    }

    String line(Report.TimePoint p) {
        return String.format(
                Locale.ROOT,
                "%5.0fs/%.0fs  %.1f req/s (target %s)  in flight %d  dropped %d  errors %d  p50 %s  p99 %s",
                p.second(),
                totalSeconds,
                p.rate(),
                target,
                p.inFlight(),
                p.dropped(),
                errors,
                p.requests() == 0 ? "-" : Report.millis(p.p50Ms()),
                p.requests() == 0 ? "-" : Report.millis(p.p99Ms()));
    }
}
