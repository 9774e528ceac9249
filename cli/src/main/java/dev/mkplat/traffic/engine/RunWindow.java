package dev.mkplat.traffic.engine;

/**
 * When a run's load started and ended, in {@link System#nanoTime()} terms.
 *
 * @param loadEndNanos when sending stopped: the end of {@code --duration}, or Ctrl-C
 * @param planned arrivals whose time came (sent + dropped)
 * @param unfinished arrivals still running when the run gave up waiting for them
 */
public record RunWindow(long startNanos, long loadEndNanos, long planned, long unfinished, boolean interrupted) {
    public double seconds() {
        return (loadEndNanos - startNanos) / 1e9;
    }
}
