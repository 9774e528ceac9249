/**
 * Service level objectives and what mkplat makes of them: the objectives themselves (read from
 * {@code mkplat.yaml}), the Prometheus rules rendered from them (recording rules and the SRE
 * workbook's multi-window, multi-burn-rate alerts, plus alerts on the platform's pods and
 * autoscalers), and the load-test thresholds that check the same objectives.
 */
package dev.mkplat.slo;
