package dev.mkplat.slo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.slo.SloRules.Sli;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SloRulesTest {
    @Test
    void burnRateFactorsAreTheWorkbooksFor30DaysAndScaleWithTheWindow() {
        assertThat(List.of(BurnRateWindow.values()))
                .extracting(window -> window.factor(Duration.ofDays(30)).toPlainString())
                .containsExactly("14.4", "6", "3", "1");
        assertThat(List.of(BurnRateWindow.values()))
                .extracting(window -> window.factor(Duration.ofDays(28)).toPlainString())
                .containsExactly("13.44", "5.6", "2.8", "0.9333");
        assertThat(List.of(BurnRateWindow.values()))
                .extracting(window -> window.severity().label())
                .containsExactly("page", "page", "ticket", "ticket");
    }

    @Test
    void thresholdsNameTheHistogramsBucketsAsPrometheusStoresThem() {
        assertThat(LatencyObjective.THRESHOLDS)
                .extracting(SloRules::leLabel)
                .containsExactly(
                        "0.001", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0");
        assertThat(SloRules.recordedWindows())
                .extracting(SloRules::promDuration)
                .containsExactly("5m", "30m", "1h", "2h", "6h", "1d", "3d");
    }

    @Test
    void theSlisReadTheServicesHistogramWithoutTheProbes() {
        assertThat(SloRules.errorRatio(Slos.API, Sli.AVAILABILITY, "5m"))
                .isEqualTo(
                        "(sum(rate(http_server_request_duration_seconds_count{job=\"api\",route!~\"/healthz|/readyz\",status=~\"5..\"}[5m])) or vector(0))"
                                + " / sum(rate(http_server_request_duration_seconds_count{job=\"api\",route!~\"/healthz|/readyz\"}[5m]))");
        assertThat(SloRules.errorRatio(Slos.IMAGES, Sli.LATENCY, "1h"))
                .isEqualTo(
                        "1 - sum(rate(http_server_request_duration_seconds_bucket{job=\"images\",route!~\"/healthz|/readyz\",le=\"1.0\"}[1h]))"
                                + " / sum(rate(http_server_request_duration_seconds_count{job=\"images\",route!~\"/healthz|/readyz\"}[1h]))");
    }

    @Test
    void onePrometheusRulePerServiceAndOneForTheWorkloadsInMonitoring() {
        List<HasMetadata> rules = SloRules.render(Slos.defaults(), List.of("api", "db"));
        assertThat(rules)
                .extracting(rule -> rule.getMetadata().getName())
                .containsExactly("mkplat-slo-api", "mkplat-slo-auth", "mkplat-slo-images", "mkplat-workloads");
        assertThat(rules).allSatisfy(rule -> {
            assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
            assertThat(rule.getKind()).isEqualTo("PrometheusRule");
            assertThat(rule.getMetadata().getNamespace()).isEqualTo("monitoring");
        });
        assertThat(PromtoolRules.spec(rules.get(3)).toString()).contains("namespace=~\"api|db\"");
    }

    @Test
    void everySloSeriesTheDashboardsUseIsRecorded() {
        java.util.Set<String> recorded = new java.util.TreeSet<>();
        java.util.regex.Pattern record = java.util.regex.Pattern.compile("record=(slo:[a-z_:0-9]+)");
        for (HasMetadata rule : SloRules.render(Slos.defaults(), List.of("api"))) {
            record.matcher(PromtoolRules.spec(rule).toString())
                    .results()
                    .forEach(match -> recorded.add(match.group(1)));
        }
        java.util.Set<String> used = new java.util.TreeSet<>();
        java.util.regex.Pattern series = java.util.regex.Pattern.compile("slo:[a-z_:0-9]+");
        for (HasMetadata object : dev.mkplat.render.ManifestBundle.bundled().objects()) {
            if (object instanceof io.fabric8.kubernetes.api.model.ConfigMap map && map.getData() != null) {
                map.getData()
                        .values()
                        .forEach(text -> series.matcher(text).results().forEach(match -> used.add(match.group())));
            }
        }
        assertThat(used).as("slo: series in the bundled dashboards").isNotEmpty();
        assertThat(recorded).containsAll(used);
    }
}
