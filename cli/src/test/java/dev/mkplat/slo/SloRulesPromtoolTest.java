package dev.mkplat.slo;

import static dev.mkplat.slo.BurnRateWindow.PAGE_6H;
import static dev.mkplat.slo.BurnRateWindow.TICKET_1D;
import static dev.mkplat.slo.BurnRateWindow.TICKET_3D;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mkplat.slo.SloRules.Sli;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated rules under a real promtool: {@code check rules} on every rule file, and
 * {@code test rules} with request series whose error ratio sits between the burn-rate factors,
 * so that each alert is seen firing when its threshold is crossed and silent when it is not; a
 * burst that stopped minutes ago (the short window silences the fastest page) and a short spike
 * (the long window keeps every alert silent). The health probes' 503s are in every input and must
 * never count. The workload alerts fire only after their {@code for} and only in platform namespaces.
 */
class SloRulesPromtoolTest {
    private static final List<String> NAMESPACES = List.of("db", "infra", "auth", "api", "images");
    /** The defaults, plus api over 30 days at 99.9% (the workbook's own factors, 14.4, 6, 3 and 1). */
    private static final List<Slos> CONFIGURATIONS = List.of(
            Slos.defaults(),
            new Slos(
                    new Slo("api", 99.9, new LatencyObjective(98, Duration.ofMillis(100)), Duration.ofDays(30)),
                    Slos.AUTH,
                    Slos.IMAGES));
    /** Requests per minute in every input. */
    private static final int PER_MINUTE = 600;
    /** How far the inputs run, and when the alerts are evaluated: past the 6h window, so that every window but 1d and 3d is full. */
    private static final int MINUTES = 365;

    private static Path promtool;

    @BeforeAll
    static void findPromtool() {
        promtool = PromtoolRules.binaryOrNull();
        assumeTrue(promtool != null, PromtoolRules.MISSING);
    }

    @Test
    void everyGeneratedRuleFilePassesCheckRules(@TempDir Path dir) throws Exception {
        for (Slos slos : CONFIGURATIONS) {
            List<Path> files = PromtoolRules.write(SloRules.render(slos, NAMESPACES), dir, true);
            List<String> arguments = new ArrayList<>(List.of("check", "rules", "--lint=all", "--lint-fatal"));
            files.forEach(file -> arguments.add(file.getFileName().toString()));
            PromtoolRules.Run run = PromtoolRules.run(promtool, dir, arguments);
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output())
                    .contains("SUCCESS: 30 rules found", "SUCCESS: 3 rules found")
                    .doesNotContain("FAILED");
        }
    }

    @Test
    void eachBurnRateAlertFiresWhenItsThresholdIsCrossedAndOnlyThen(@TempDir Path dir) throws Exception {
        for (Slos slos : CONFIGURATIONS) {
            // Each round gives every (service, SLI) pair another scenario, so that over all rounds each pair meets each
            // one.
            List<Map<String, Object>> tests = new ArrayList<>();
            for (int round = 0; round < Scenario.values().length; round++) {
                tests.add(round(slos, round));
            }
            assertPromtoolTestsPass(dir, slos, tests);
        }
    }

    @Test
    void workloadAlertsWaitForTheirDurationAndWatchOnlyThePlatform(@TempDir Path dir) throws Exception {
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("interval", "1m");
        test.put(
                "input_series",
                List.of(
                        series(
                                "kube_pod_container_status_waiting_reason{namespace=\"api\",pod=\"api-1\",container=\"api\",reason=\"CrashLoopBackOff\"}",
                                "1x40"),
                        series(
                                "kube_pod_container_status_waiting_reason{namespace=\"kube-system\",pod=\"dns-1\",container=\"dns\",reason=\"CrashLoopBackOff\"}",
                                "1x40"),
                        series("kube_pod_status_ready{namespace=\"auth\",pod=\"auth-1\",condition=\"false\"}", "1x40"),
                        series("kube_pod_status_ready{namespace=\"auth\",pod=\"auth-2\",condition=\"false\"}", "0x40"),
                        series("kube_pod_status_ready{namespace=\"db\",pod=\"migrate-1\",condition=\"false\"}", "1x40"),
                        series("kube_pod_status_phase{namespace=\"db\",pod=\"migrate-1\",phase=\"Succeeded\"}", "1x40"),
                        series(
                                "kube_horizontalpodautoscaler_status_current_replicas{namespace=\"images\",horizontalpodautoscaler=\"images\"}",
                                "5x40"),
                        series(
                                "kube_horizontalpodautoscaler_spec_max_replicas{namespace=\"images\",horizontalpodautoscaler=\"images\"}",
                                "5x40"),
                        series(
                                "kube_horizontalpodautoscaler_status_current_replicas{namespace=\"api\",horizontalpodautoscaler=\"api\"}",
                                "3x40"),
                        series(
                                "kube_horizontalpodautoscaler_spec_max_replicas{namespace=\"api\",horizontalpodautoscaler=\"api\"}",
                                "5x40")));
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (String minute : List.of("5m", "25m")) {
            boolean after = minute.equals("25m");
            alerts.add(alertTest(
                    minute,
                    SloRules.CRASH_LOOP_ALERT,
                    after
                            ? List.of(labels(
                                    "namespace",
                                    "api",
                                    "pod",
                                    "api-1",
                                    "container",
                                    "api",
                                    "reason",
                                    "CrashLoopBackOff",
                                    "severity",
                                    "ticket"))
                            : List.of()));
            alerts.add(alertTest(
                    minute,
                    SloRules.NOT_READY_ALERT,
                    after ? List.of(labels("namespace", "auth", "pod", "auth-1", "severity", "ticket")) : List.of()));
            alerts.add(alertTest(
                    minute,
                    SloRules.AUTOSCALER_MAX_ALERT,
                    after
                            ? List.of(labels(
                                    "namespace", "images", "horizontalpodautoscaler", "images", "severity", "ticket"))
                            : List.of()));
        }
        test.put("alert_rule_test", alerts);
        test.put("name", "workloads: crash loop, not ready, autoscaler at maximum");
        assertPromtoolTestsPass(dir, Slos.defaults(), List.of(test));
    }

    /**
     * What one SLI of one service goes through in the {@value #MINUTES} minutes before the alerts
     * are evaluated, as multiples of its error budget, and which alerts must fire at the end.
     */
    private enum Scenario {
        /** Half the budget: nothing. */
        HALF_BUDGET(EnumSet.noneOf(BurnRateWindow.class)) {
            @Override
            double burn(int minute) {
                return 0.5;
            }
        },
        /** 2x, between 3d's factor (0.933 for 28 days, 1 for 30) and 1d's (2.8, 3). */
        TWICE(EnumSet.of(TICKET_3D)) {
            @Override
            double burn(int minute) {
                return 2;
            }
        },
        /** 4x, between 1d's factor and 6h's (5.6, 6). */
        FOUR_TIMES(EnumSet.of(TICKET_3D, TICKET_1D)) {
            @Override
            double burn(int minute) {
                return 4;
            }
        },
        /** 8x, between 6h's factor and 1h's (13.44, 14.4). */
        EIGHT_TIMES(EnumSet.of(TICKET_3D, TICKET_1D, PAGE_6H)) {
            @Override
            double burn(int minute) {
                return 8;
            }
        },
        /** 16x, over every factor. */
        SIXTEEN_TIMES(EnumSet.allOf(BurnRateWindow.class)) {
            @Override
            double burn(int minute) {
                return 16;
            }
        },
        /** 16x, stopped 5 minutes ago: the 1h page's 5m window is clean, so it is silent; the others still fire. */
        STOPPED_5_MINUTES_AGO(EnumSet.of(PAGE_6H, TICKET_1D, TICKET_3D)) {
            @Override
            double burn(int minute) {
                return minute <= MINUTES - 5 ? 16 : 0;
            }
        },
        /** Clean, then 4 minutes at 40x: every short window is over its factor, no long window is, so nothing fires. */
        SHORT_SPIKE(EnumSet.noneOf(BurnRateWindow.class)) {
            @Override
            double burn(int minute) {
                return minute <= MINUTES - 4 ? 0 : 40;
            }
        };

        private final Set<BurnRateWindow> firing;

        Scenario(Set<BurnRateWindow> firing) {
            this.firing = firing;
        }

        /** The error ratio, in multiples of the budget, of the requests counted at this minute (since the one before). */
        abstract double burn(int minute);
    }

    /** One promtool test: every (service, SLI) pair in its scenario of this round, and the alerts expected at the end. */
    private static Map<String, Object> round(Slos slos, int round) {
        List<Map<String, Object>> input = new ArrayList<>();
        List<Map<String, Object>> expected = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int pair = 0;
        for (Slo slo : slos.all()) {
            Map<Sli, Scenario> scenarios = new LinkedHashMap<>();
            for (Sli sli : Sli.values()) {
                Scenario scenario = Scenario.values()[(round + pair++) % Scenario.values().length];
                scenarios.put(sli, scenario);
                names.add(slo.service() + " " + sli.label() + " " + scenario);
                for (BurnRateWindow window : scenario.firing) {
                    expected.add(labels(
                            "service",
                            slo.service(),
                            "slo",
                            sli.label(),
                            "severity",
                            window.severity().label(),
                            "long_window",
                            SloRules.promDuration(window.longWindow()),
                            "short_window",
                            SloRules.promDuration(window.shortWindow())));
                }
            }
            input.addAll(requests(slo, scenarios.get(Sli.AVAILABILITY), scenarios.get(Sli.LATENCY)));
        }
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("name", "round " + round + ": " + String.join(", ", names));
        test.put("interval", "1m");
        test.put("input_series", input);
        test.put("alert_rule_test", List.of(alertTest(MINUTES + "m", SloRules.BURN_ALERT, expected)));
        return test;
    }

    /**
     * One service's request series, {@value #PER_MINUTE} a minute: the failed ones (5xx, fast) of
     * the availability scenario, the slow ones (200, outside the threshold's bucket) of the latency
     * scenario, and readiness probes that always fail, which no SLI may count.
     */
    private static List<Map<String, Object>> requests(Slo slo, Scenario availability, Scenario latency) {
        String job = "job=\"" + slo.service() + "\",route=\"/items\",method=\"GET\"";
        String le = ",le=\"" + SloRules.leLabel(slo.latency().threshold()) + "\"}";
        double availabilityBudget = SloRules.budget(slo, Sli.AVAILABILITY).doubleValue();
        double latencyBudget = SloRules.budget(slo, Sli.LATENCY).doubleValue();
        IntToDoubleFunction failed = minute -> PER_MINUTE * availability.burn(minute) * availabilityBudget;
        IntToDoubleFunction slow = minute -> PER_MINUTE * latency.burn(minute) * latencyBudget;
        String name = SloRules.REQUEST_DURATION;
        String probes = "job=\"" + slo.service() + "\",route=\"/readyz\",method=\"GET\",status=\"503\"";
        return List.of(
                series(
                        name + "_count{" + job + ",status=\"200\"}",
                        counter(minute -> PER_MINUTE - failed.applyAsDouble(minute))),
                series(
                        name + "_bucket{" + job + ",status=\"200\"" + le,
                        counter(minute -> PER_MINUTE - failed.applyAsDouble(minute) - slow.applyAsDouble(minute))),
                series(name + "_count{" + job + ",status=\"500\"}", counter(failed)),
                series(name + "_bucket{" + job + ",status=\"500\"" + le, counter(failed)),
                series(name + "_count{" + probes + "}", counter(minute -> 100)),
                series(name + "_bucket{" + probes + le, counter(minute -> 100)));
    }

    /** A counter's values from minute 0 to {@value #MINUTES}, growing by {@code perMinute(m)} at minute m. */
    private static String counter(IntToDoubleFunction perMinute) {
        StringBuilder values = new StringBuilder("0");
        double total = 0;
        for (int minute = 1; minute <= MINUTES; minute++) {
            total += perMinute.applyAsDouble(minute);
            values.append(' ').append(number(Math.round(total * 1000) / 1000.0));
        }
        return values.toString();
    }

    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static Map<String, Object> alertTest(String at, String alert, List<Map<String, Object>> expected) {
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("eval_time", at);
        test.put("alertname", alert);
        test.put("exp_alerts", expected);
        return test;
    }

    private static Map<String, Object> labels(String... keysAndValues) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            labels.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Map.of("exp_labels", labels);
    }

    private static Map<String, Object> series(String name, String values) {
        Map<String, Object> series = new LinkedHashMap<>();
        series.put("series", name);
        series.put("values", values);
        return series;
    }

    private static void assertPromtoolTestsPass(Path dir, Slos slos, List<Map<String, Object>> tests) throws Exception {
        List<HasMetadata> rules = SloRules.render(slos, NAMESPACES);
        List<Path> files = PromtoolRules.write(rules, dir, false);
        Map<String, Object> unitTests = new LinkedHashMap<>();
        unitTests.put(
                "rule_files",
                files.stream().map(file -> file.getFileName().toString()).toList());
        // Five evaluations up to the one that is checked, not one a minute: the rules' ranges reach back over the whole
        // input each time, and without a "for" only the last evaluation decides. The workload alerts' "for" needs more.
        unitTests.put("evaluation_interval", tests.size() == 1 ? "1m" : MINUTES / 5 + "m");
        // promtool evaluates groups in a random order unless told; the recording groups go first, as a real
        // Prometheus converges to (it runs each group on its own, so an alert may see a recording one interval old).
        List<String> order = new ArrayList<>();
        for (boolean recording : List.of(true, false)) {
            for (HasMetadata rule : rules) {
                for (Object group : (List<?>) PromtoolRules.spec(rule).get("groups")) {
                    String name = String.valueOf(((Map<?, ?>) group).get("name"));
                    if (name.endsWith("-sli") == recording) {
                        order.add(name);
                    }
                }
            }
        }
        unitTests.put("group_eval_order", order);
        unitTests.put("tests", tests);
        Path testFile = Files.writeString(dir.resolve("tests.yaml"), PromtoolRules.YAML.writeValueAsString(unitTests));
        PromtoolRules.Run run = PromtoolRules.run(
                promtool, dir, List.of("test", "rules", testFile.getFileName().toString()));
        assertThat(run.exitCode())
                .as("promtool test rules %s:%n%s", testFile, run.output())
                .isZero();
        assertThat(run.output()).contains("SUCCESS");
    }
}
