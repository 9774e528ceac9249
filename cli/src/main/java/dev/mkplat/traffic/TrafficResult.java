package dev.mkplat.traffic;

import dev.mkplat.core.ExitCode;
import dev.mkplat.traffic.report.Report;

/**
 * How a run ended: the report, and when it failed, the exit code, a one-line reason and a hint.
 */
public record TrafficResult(Report report, ExitCode exitCode, String error, String hint) {
    static TrafficResult ok(Report report) {
        return new TrafficResult(report, ExitCode.OK, null, null);
    }

    static TrafficResult failed(Report report, String error, String hint) {
        return new TrafficResult(report, ExitCode.FAILED, error, hint);
    }

    public boolean failed() {
        return exitCode != ExitCode.OK;
    }
}
