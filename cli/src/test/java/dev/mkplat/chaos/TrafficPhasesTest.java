package dev.mkplat.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.traffic.report.Report;
import java.time.Duration;
import java.time.Instant;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The recovery rule of {@link TrafficPhases}, on seconds made up by hand. */
class TrafficPhasesTest {
    private static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");

    private final TrafficPhases phases = new TrafficPhases();

    @Test
    void secondsCountInThePhaseTheyArriveIn() {
        second(0, 50, 0, 10); // still warming: counts nowhere
        phases.steadyStateBegins();
        second(1, 50, 0, 10);
        second(2, 50, 1, 20);
        phases.faultBegins(at(2.5));
        second(3, 50, 25, 900);
        phases.faultEnds(at(3.5));
        phases.afterBegins();
        second(4, 50, 0, 10);
        phases.done();
        second(5, 50, 50, 10);

        assertThat(phases.before().seconds()).isEqualTo(2);
        assertThat(phases.before().requests()).isEqualTo(100);
        assertThat(phases.before().errorPercent()).isEqualTo(1.0);
        assertThat(phases.during().errors()).isEqualTo(25);
        assertThat(phases.during().latency().p99Ms()).isBetween(899.0, 901.0);
        assertThat(phases.after().requests()).isEqualTo(50);
        assertThat(phases.timeline()).hasSize(4);
    }

    @Test
    void errorsThatNeverRoseAreBackAtBaselineAtOnce() {
        steady(10);
        phases.faultBegins(at(10));
        phases.faultEnds(at(10));
        for (int s = 11; s < 11 + TrafficPhases.CONFIRM - 1; s++) {
            second(s, 50, 0, 10);
        }
        assertThat(phases.backAtBaseline()).as("not confirmed yet").isEmpty();
        second(15, 50, 0, 10);
        assertThat(phases.backAtBaseline()).contains(Duration.ZERO);
    }

    @Test
    void recoveryRunsFromTheEndOfTheFaultToTheLastBadSecondBeforeAConfirmedCleanRun() {
        steady(10);
        phases.faultBegins(at(10));
        phases.faultEnds(at(10.5));
        second(11, 50, 50, 10);
        second(12, 50, 40, 10);
        second(13, 50, 0, 10);
        second(14, 50, 30, 10); // a relapse: the clean run starts after it
        for (int s = 15; s < 15 + TrafficPhases.CONFIRM; s++) {
            second(s, 50, 0, 10);
        }
        assertThat(phases.backAtBaseline()).contains(Duration.ofMillis(3500));
    }

    @Test
    void aBaselineWithErrorsAllowsAsManyPlusTheTolerance() {
        phases.steadyStateBegins();
        for (int s = 0; s < 10; s++) {
            second(s, 100, 2, 10); // 2 % before the fault
        }
        phases.faultBegins(at(10));
        phases.faultEnds(at(10));
        for (int s = 11; s < 11 + TrafficPhases.CONFIRM; s++) {
            second(s, 100, 3, 10); // 3 %: within 2 % + 1 point
        }
        assertThat(phases.baselineLimitPercent()).isEqualTo(3.0);
        assertThat(phases.backAtBaseline()).contains(Duration.ZERO);
    }

    @Test
    void secondsWithFewAnswersAreNoRecoveryThoughTheyHaveNoErrors() {
        steady(10);
        phases.faultBegins(at(10));
        phases.faultEnds(at(10));
        for (int s = 11; s < 17; s++) {
            second(s, 10, 0, 10); // requests hang: a fifth of the answers, none failed yet
        }
        assertThat(phases.backAtBaseline()).isEmpty();
        for (int s = 17; s < 17 + TrafficPhases.CONFIRM; s++) {
            second(s, 50, 0, 10);
        }
        // The first run of 5 with 80 % of the baseline's answers starts with the last thin second (10 + 4 x 50 = 210 of
        // 250).
        assertThat(phases.backAtBaseline()).contains(Duration.ofSeconds(5));
    }

    @Test
    void secondsWithoutRequestsAreNoRecovery() {
        steady(10);
        phases.faultBegins(at(10));
        phases.faultEnds(at(10));
        for (int s = 11; s < 20; s++) {
            second(s, 0, 0, 0);
        }
        assertThat(phases.backAtBaseline()).isEmpty();
    }

    private void steady(int seconds) {
        phases.steadyStateBegins();
        for (int s = 0; s < seconds; s++) {
            second(s, 50, 0, 10);
        }
    }

    private void second(double at, long requests, long errors, long latencyMs) {
        Histogram latencies = new Histogram(60_000_000L, 3);
        for (long i = 0; i < requests; i++) {
            latencies.recordValue(latencyMs * 1000);
        }
        phases.second(
                at(at),
                new Report.TimePoint(at, requests, requests, errors, latencyMs, latencyMs, latencyMs, 0, 0),
                latencies);
    }

    private static Instant at(double second) {
        return T0.plusMillis((long) (second * 1000));
    }
}
