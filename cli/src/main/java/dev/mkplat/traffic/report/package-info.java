/**
 * What a run did: per-endpoint HdrHistogram recorders ({@link dev.mkplat.traffic.report.LoadMetrics})
 * sampled once a second ({@link dev.mkplat.traffic.report.IntervalSampler}) for the live progress
 * line, and the {@link dev.mkplat.traffic.report.Report} rendered as a table, JSON and a
 * self-contained HTML page, judged by {@link dev.mkplat.traffic.report.Threshold}s.
 */
package dev.mkplat.traffic.report;
