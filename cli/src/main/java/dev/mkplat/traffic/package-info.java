/**
 * {@code mkplat traffic}: an open-model load generator whose latencies can be trusted.
 *
 * <p>A {@link dev.mkplat.traffic.LoadSchedule} says when each request is meant to go out, independent
 * of responses; the {@link dev.mkplat.traffic.OpenLoopRunner} sends at those instants and measures
 * latency from the intended send time, so a stalled server shows up in the percentiles the way wrk2
 * shows it (coordinated omission corrected). The {@link dev.mkplat.traffic.ClosedLoopRunner} is the
 * closed model, for maximum throughput. Per-endpoint HdrHistogram recorders keep memory bounded,
 * {@link dev.mkplat.traffic.LiveProgress} prints once a second, and {@link dev.mkplat.traffic.Report}
 * is rendered as a table, JSON and self-contained HTML. {@link dev.mkplat.traffic.TrafficRun} is the
 * pipeline the command calls.
 */
package dev.mkplat.traffic;
