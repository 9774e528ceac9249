package dev.mkplat.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.slo.LatencyObjective;
import dev.mkplat.slo.Slo;
import dev.mkplat.slo.Slos;
import dev.mkplat.traffic.report.Threshold;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SloThresholdsTest {
    private static List<String> texts(List<Threshold> thresholds) {
        return thresholds.stream().map(Threshold::text).toList();
    }

    @Test
    void aServicesScenarioChecksThatServicesObjectives() {
        Slos slos = Slos.defaults();
        assertThat(texts(SloThresholds.forScenario(slos, "api"))).containsExactly("p99<=250ms", "errors<=0.5%");
        assertThat(texts(SloThresholds.forScenario(slos, "auth"))).containsExactly("p99<=500ms", "errors<=0.1%");
        assertThat(texts(SloThresholds.forScenario(slos, "images"))).containsExactly("p99<=1000ms", "errors<=0.5%");
    }

    @Test
    void mixedChecksTheLoosestAndOtherScenariosNothing() {
        Slos slos = new Slos(
                new Slo("api", 99, new LatencyObjective(98, Duration.ofMillis(100)), Duration.ofDays(28)),
                Slos.AUTH,
                new Slo("images", 99.9, new LatencyObjective(99.9, Duration.ofMillis(2500)), Duration.ofDays(28)));
        // p98 is checked on p99, the next percentile the report has.
        assertThat(texts(SloThresholds.forScenario(slos, "api"))).containsExactly("p99<=100ms", "errors<=1%");
        assertThat(texts(SloThresholds.forScenario(slos, "images"))).containsExactly("p99.9<=2500ms", "errors<=0.1%");
        assertThat(texts(SloThresholds.forScenario(slos, "mixed"))).containsExactly("p99<=2500ms", "errors<=1%");
        assertThat(SloThresholds.forScenario(slos, "scenario.yaml")).isEmpty();
        assertThat(SloThresholds.describe(SloThresholds.forScenario(slos, "api")))
                .isEqualTo("p99<=100ms, errors<=1%");
    }
}
