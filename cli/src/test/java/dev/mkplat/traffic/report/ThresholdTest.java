package dev.mkplat.traffic.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ThresholdTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "p99<250ms, P99, LESS, 250",
        "p99.9 <= 2s, P999, LESS_OR_EQUAL, 2000",
        "p50<500us, P50, LESS, 0.5",
        "max<1.5s, MAX, LESS, 1500",
        "avg<20ms, MEAN, LESS, 20",
        "errors<1%, ERRORS, LESS, 1",
        "rate>=45, RATE, GREATER_OR_EQUAL, 45",
        "rate>45/s, RATE, GREATER, 45",
    })
    void parsesIntoARecord(String text, Threshold.Metric metric, Threshold.Comparison comparison, double value) {
        Threshold threshold = Threshold.parse(text);

        assertThat(threshold.metric()).isEqualTo(metric);
        assertThat(threshold.comparison()).isEqualTo(comparison);
        assertThat(threshold.value()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "p99", "p99<", "p98<1ms", "p99=1ms", "p99<1 parsec", "errors<1%%", "latency<1ms"})
    void malformedShowsTheGrammar(String text) {
        assertThatThrownBy(() -> Threshold.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected METRIC OP VALUE");
    }

    @Test
    void evaluatesAgainstTheTotalsAndSaysByHowMuch() {
        Report.Latency latency = new Report.Latency(10, 50, 80, 412, 600, 700, 20);
        Report.EndpointRow total = new Report.EndpointRow("total", 1000, 50, 980, 10, 10, 0, 0, 2.0, latency, null);
        Report report = Report.builder("url")
                .load("open", "constant", 50, 1000)
                .timing("now", 20, 20, false)
                .arrivals(new Report.Arrivals(1000, 1000, 0, 0, 50, 50), null)
                .results(List.of(total), total, List.of())
                .build();

        Threshold.Result p99 = Threshold.parse("p99<250ms").evaluate(report);
        Threshold.Result errors = Threshold.parse("errors<1%").evaluate(report);
        Threshold.Result rate = Threshold.parse("rate>45").evaluate(report);

        assertThat(p99.passed()).isFalse();
        assertThat(p99.detail()).isEqualTo("p99 was 412ms, 162ms over");
        assertThat(errors.passed()).isFalse();
        assertThat(errors.detail()).isEqualTo("errors was 2.00%, 1.00% over");
        assertThat(rate.passed()).isTrue();
        assertThat(rate.detail()).isEqualTo("rate 50.0/s");
    }
}
