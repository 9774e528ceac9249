package dev.mkplat.slo;

import dev.mkplat.core.Durations;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Objectives → PrometheusRules. Pure: the same objectives give the same objects.
 *
 * <p>Per service, one PrometheusRule {@code mkplat-slo-<service>} with, for each of its two SLIs
 * ({@code availability}: the share of requests answered with a 5xx; {@code latency}: the share
 * slower than the threshold), the error ratio recorded over every window the alerts need
 * ({@code slo:sli_error:ratio_rate5m} ... {@code _rate3d}, and {@code slo:sli_error:ratio_period}
 * over the objective's whole window), the objective and what is left of the budget, and one
 * {@value #BURN_ALERT} alert per {@link BurnRateWindow}. The SLIs read the services' own
 * {@code http_server_request_duration_seconds} histogram, without the kubelet's health probes.
 *
 * <p>Plus {@code mkplat-workloads} ({@link #workloadRules}): pods crash-looping, pods not ready,
 * autoscalers at their maximum, on the kube-state-metrics series that kube-prometheus-stack brings.
 */
public final class SloRules {
    /** The API of PrometheusRules (the Prometheus Operator's, as for ServiceMonitors). */
    public static final String API_VERSION = "monitoring.coreos.com/v1";

    public static final String KIND = "PrometheusRule";
    /** Where the rules live: next to the ServiceMonitors, where the chart's Prometheus finds them. */
    public static final String NAMESPACE = "monitoring";
    /** The alert of every SLO and burn-rate window; its labels say which. */
    public static final String BURN_ALERT = "MkplatErrorBudgetBurn";

    public static final String CRASH_LOOP_ALERT = "MkplatPodCrashLooping";
    public static final String NOT_READY_ALERT = "MkplatPodNotReady";
    public static final String AUTOSCALER_MAX_ALERT = "MkplatAutoscalerAtMaximum";
    /** The histogram every SLI is computed from (dev.mkplat.service.metrics.ServiceMetrics#HTTP_REQUEST_DURATION). */
    public static final String REQUEST_DURATION = "http_server_request_duration_seconds";
    /** The error ratio over a window; the suffix is the window ({@code _rate5m}) or {@code _period}. */
    public static final String ERROR_RATIO = "slo:sli_error:ratio";

    public static final String OBJECTIVE = "slo:objective:ratio";
    public static final String BUDGET = "slo:error_budget:ratio";
    public static final String BUDGET_REMAINING = "slo:period_error_budget_remaining:ratio";
    /** The kubelet's probes: they are not users, and a failing readiness probe is its own alert. */
    private static final String NOT_PROBES = "route!~\"/healthz|/readyz\"";

    /** The two SLIs of every service. */
    public enum Sli {
        AVAILABILITY,
        LATENCY;

        /** The value of the rules' {@code slo} label. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private SloRules() {}

    /** One PrometheusRule per service, then the workload alerts for the platform's {@code namespaces}. */
    public static List<HasMetadata> render(Slos slos, List<String> namespaces) {
        List<HasMetadata> rules = new ArrayList<>();
        for (Slo slo : slos.all()) {
            rules.add(prometheusRule("mkplat-slo-" + slo.service(), slo.service(), groups(slo)));
        }
        rules.add(prometheusRule("mkplat-workloads", "mkplat", workloadRules(namespaces)));
        return rules;
    }

    /** The windows the recording rules cover: every long and short window of the alerts, shortest first. */
    static List<Duration> recordedWindows() {
        return Stream.of(BurnRateWindow.values())
                .flatMap(window -> Stream.of(window.shortWindow(), window.longWindow()))
                .distinct()
                .sorted()
                .toList();
    }

    /** A duration as PromQL writes it: {@code 5m}, {@code 6h}, {@code 28d}. */
    public static String promDuration(Duration duration) {
        if (duration.toSeconds() % 86_400 == 0) {
            return duration.toDays() + "d";
        }
        if (duration.toSeconds() % 3_600 == 0) {
            return duration.toHours() + "h";
        }
        return duration.toMinutes() + "m";
    }

    /** The latency threshold as the histogram's {@code le} label (Prometheus 3 writes {@code 1.0}, not {@code 1}). */
    static String leLabel(Duration threshold) {
        String seconds = BigDecimal.valueOf(threshold.toMillis())
                .movePointLeft(3)
                .stripTrailingZeros()
                .toPlainString();
        return seconds.contains(".") ? seconds : seconds + ".0";
    }

    /** The error ratio of one SLI over a range, as PromQL. */
    static String errorRatio(Slo slo, Sli sli, String range) {
        String job = "job=\"" + slo.service() + "\"," + NOT_PROBES;
        String all = "sum(rate(" + REQUEST_DURATION + "_count{" + job + "}[" + range + "]))";
        return switch (sli) {
            // No 5xx at all is no series: "or vector(0)" makes it a ratio of 0, not no data.
            case AVAILABILITY ->
                "(sum(rate(" + REQUEST_DURATION + "_count{" + job + ",status=~\"5..\"}[" + range
                        + "])) or vector(0)) / " + all;
            case LATENCY ->
                "1 - sum(rate(" + REQUEST_DURATION + "_bucket{" + job + ",le=\""
                        + leLabel(slo.latency().threshold()) + "\"}[" + range + "])) / " + all;
        };
    }

    static BigDecimal budget(Slo slo, Sli sli) {
        return sli == Sli.AVAILABILITY ? slo.availabilityBudget() : slo.latencyBudget();
    }

    private static List<Map<String, Object>> groups(Slo slo) {
        List<Map<String, Object>> recording = new ArrayList<>();
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Sli sli : Sli.values()) {
            Map<String, String> labels = sliLabels(slo, sli);
            String selector = selector(labels);
            for (Duration window : recordedWindows()) {
                recording.add(record(
                        ERROR_RATIO + "_rate" + promDuration(window),
                        errorRatio(slo, sli, promDuration(window)),
                        labels));
            }
            recording.add(record(ERROR_RATIO + "_period", errorRatio(slo, sli, promDuration(slo.window())), labels));
            BigDecimal budget = budget(slo, sli);
            recording.add(record(
                    OBJECTIVE, "vector(" + BigDecimal.ONE.subtract(budget).toPlainString() + ")", labels));
            recording.add(record(BUDGET, "vector(" + budget.toPlainString() + ")", labels));
            recording.add(record(
                    BUDGET_REMAINING,
                    "1 - " + ERROR_RATIO + "_period" + selector + " / " + budget.toPlainString(),
                    labels));
            for (BurnRateWindow window : BurnRateWindow.values()) {
                alerts.add(burnAlert(slo, sli, window, labels, selector));
            }
        }
        return List.of(
                group("mkplat-slo-" + slo.service() + "-sli", recording),
                group("mkplat-slo-" + slo.service() + "-alerts", alerts));
    }

    private static Map<String, Object> burnAlert(
            Slo slo, Sli sli, BurnRateWindow window, Map<String, String> sliLabels, String selector) {
        String longWindow = promDuration(window.longWindow());
        String shortWindow = promDuration(window.shortWindow());
        BigDecimal factor = window.factor(slo.window());
        String threshold =
                "(" + factor.toPlainString() + " * " + budget(slo, sli).toPlainString() + ")";
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("alert", BURN_ALERT);
        alert.put(
                "expr",
                ERROR_RATIO + "_rate" + longWindow + selector + " > " + threshold + " and " + ERROR_RATIO + "_rate"
                        + shortWindow + selector + " > " + threshold);
        Map<String, String> labels = new LinkedHashMap<>(sliLabels);
        labels.put("severity", window.severity().label());
        labels.put("long_window", longWindow);
        labels.put("short_window", shortWindow);
        alert.put("labels", labels);
        String objective = sli == Sli.AVAILABILITY
                ? Slo.percent(slo.availability()) + "% of requests without a server error"
                : Slo.percent(slo.latency().percentile()) + "% of requests within "
                        + Durations.format(slo.latency().threshold());
        String errors = sli == Sli.AVAILABILITY
                ? "failed"
                : "were slower than " + Durations.format(slo.latency().threshold());
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(
                "summary",
                slo.service() + " " + sli.label() + ": error budget burning " + factor.toPlainString() + "x over "
                        + longWindow + " and " + shortWindow);
        annotations.put(
                "description",
                "{{ $value | humanizePercentage }} of " + slo.service() + "'s requests " + errors + " over the last "
                        + longWindow
                        + ". The objective (" + objective + " over " + promDuration(slo.window()) + ") allows "
                        + budget(slo, sli)
                                .movePointRight(2)
                                .stripTrailingZeros()
                                .toPlainString() + "%; at this rate "
                        + window.budgetSpent()
                                .movePointRight(2)
                                .stripTrailingZeros()
                                .toPlainString() + "% of the " + promDuration(slo.window())
                        + " budget is spent in " + longWindow + ".");
        alert.put("annotations", annotations);
        return alert;
    }

    /** Alerts on the platform's own workloads, from kube-state-metrics. */
    static List<Map<String, Object>> workloadRules(List<String> namespaces) {
        String in = "namespace=~\"" + String.join("|", namespaces) + "\"";
        List<Map<String, Object>> rules = new ArrayList<>();
        rules.add(alert(
                CRASH_LOOP_ALERT,
                "max_over_time(kube_pod_container_status_waiting_reason{" + in
                        + ",reason=\"CrashLoopBackOff\"}[5m]) >= 1",
                "15m",
                "{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) is crash-looping",
                "The container has been waiting in CrashLoopBackOff for 15 minutes: kubectl -n {{ $labels.namespace }} logs {{ $labels.pod }}"
                        + " -c {{ $labels.container }} --previous shows why it stopped."));
        rules.add(alert(
                NOT_READY_ALERT,
                "(max by (namespace, pod) (kube_pod_status_ready{" + in
                        + ",condition=\"false\"}) == 1) unless on (namespace, pod)"
                        + " (max by (namespace, pod) (kube_pod_status_phase{" + in + ",phase=\"Succeeded\"}) == 1)",
                "10m",
                "{{ $labels.namespace }}/{{ $labels.pod }} has not been ready for 10 minutes",
                "Its readiness probe keeps failing, so it gets no traffic: its /readyz names the dependency that fails"
                        + " (kubectl -n {{ $labels.namespace }} describe pod {{ $labels.pod }})."));
        rules.add(alert(
                AUTOSCALER_MAX_ALERT,
                "max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_current_replicas{"
                        + in + "})"
                        + " >= max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_max_replicas{"
                        + in + "})",
                "15m",
                "{{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has run at its maximum replicas for 15 minutes",
                "The autoscaler cannot add pods: the load is more than replicas.max pods carry. Raise replicas.max in mkplat.yaml"
                        + " (and redeploy) or find what got slower."));
        return List.of(group("mkplat-workloads", rules));
    }

    private static Map<String, Object> alert(
            String name, String expr, String forDuration, String summary, String description) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("alert", name);
        alert.put("expr", expr);
        alert.put("for", forDuration);
        alert.put("labels", Map.of("severity", BurnRateWindow.Severity.TICKET.label()));
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", summary);
        annotations.put("description", description);
        alert.put("annotations", annotations);
        return alert;
    }

    private static Map<String, String> sliLabels(Slo slo, Sli sli) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("service", slo.service());
        labels.put("slo", sli.label());
        return labels;
    }

    private static String selector(Map<String, String> labels) {
        StringBuilder text = new StringBuilder("{");
        labels.forEach((key, value) -> text.append(text.length() > 1 ? "," : "")
                .append(key)
                .append("=\"")
                .append(value)
                .append('"'));
        return text.append('}').toString();
    }

    private static Map<String, Object> record(String name, String expr, Map<String, String> labels) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("record", name);
        rule.put("expr", expr);
        rule.put("labels", labels);
        return rule;
    }

    private static Map<String, Object> group(String name, List<Map<String, Object>> rules) {
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("name", name);
        group.put("rules", rules);
        return group;
    }

    private static GenericKubernetesResource prometheusRule(
            String name, String appName, List<Map<String, Object>> groups) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", appName);
        labels.put("app.kubernetes.io/component", "monitoring");
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(API_VERSION)
                .withKind(KIND)
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .withLabels(labels)
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("groups", groups)))
                .build();
    }
}
