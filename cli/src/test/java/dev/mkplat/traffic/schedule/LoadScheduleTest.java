package dev.mkplat.traffic.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadScheduleTest {
    private static List<Long> all(LoadSchedule schedule) {
        List<Long> offsets = new ArrayList<>();
        for (long t = schedule.next(); t >= 0; t = schedule.next()) {
            offsets.add(t);
        }
        return offsets;
    }

    @Test
    void constantArrivalsAreEvenlySpacedAndExactlyRateTimesDuration() {
        List<Long> offsets = all(new LoadSchedule(200, Duration.ofSeconds(3), Duration.ZERO, Arrival.CONSTANT, 1));

        assertThat(offsets).hasSize(600);
        assertThat(offsets.getFirst()).isZero();
        for (int i = 1; i < offsets.size(); i++) {
            assertThat(offsets.get(i) - offsets.get(i - 1)).isBetween(4_999_999L, 5_000_001L);
        }
        assertThat(offsets.getLast()).isLessThan(3_000_000_000L);
    }

    @Test
    void rampRaisesTheRateLinearlyThenHolds() {
        LoadSchedule schedule =
                new LoadSchedule(100, Duration.ofSeconds(10), Duration.ofSeconds(4), Arrival.CONSTANT, 1);
        List<Long> offsets = all(schedule);

        // 100·4/2 = 200 during the ramp, then 100/s for 6 s
        assertThat(offsets).hasSize(800);
        long inFirstSecond = offsets.stream().filter(t -> t < 1_000_000_000L).count();
        long inFourthSecond = offsets.stream()
                .filter(t -> t >= 3_000_000_000L && t < 4_000_000_000L)
                .count();
        long inLastSecond = offsets.stream().filter(t -> t >= 9_000_000_000L).count();
        assertThat(inFirstSecond).isBetween(12L, 13L); // 100·1²/8
        assertThat(inFourthSecond).isBetween(87L, 88L); // 100·(16−9)/8
        assertThat(inLastSecond).isEqualTo(100);
        assertThat(schedule.rateAt(Duration.ofSeconds(2))).isEqualTo(50.0);
        assertThat(schedule.rateAt(Duration.ofSeconds(5))).isEqualTo(100.0);
    }

    @Test
    void poissonArrivalsHaveTheRateOnAverageAndExponentialGaps() {
        List<Long> offsets = all(new LoadSchedule(1000, Duration.ofSeconds(20), Duration.ZERO, Arrival.POISSON, 42));

        assertThat(offsets.size()).isCloseTo(20_000, within(600)); // ±3σ is ±424
        double meanGapMs = 0;
        long gapsOverTwiceMean = 0;
        for (int i = 1; i < offsets.size(); i++) {
            double gap = (offsets.get(i) - offsets.get(i - 1)) / 1e6;
            meanGapMs += gap;
            if (gap > 2.0) {
                gapsOverTwiceMean++;
            }
        }
        meanGapMs /= offsets.size() - 1;
        assertThat(meanGapMs).isCloseTo(1.0, within(0.03));
        // exponential: P(gap > 2·mean) = e^-2 ≈ 13.5%; evenly spaced would be 0%
        assertThat(gapsOverTwiceMean / (double) offsets.size()).isCloseTo(Math.exp(-2), within(0.01));
    }

    @Test
    void rejectsRampNotShorterThanDurationAndNonPositiveRate() {
        assertThatThrownBy(
                        () -> new LoadSchedule(10, Duration.ofSeconds(5), Duration.ofSeconds(5), Arrival.CONSTANT, 1))
                .hasMessageContaining("ramp");
        assertThatThrownBy(() -> new LoadSchedule(0, Duration.ofSeconds(5), Duration.ZERO, Arrival.CONSTANT, 1))
                .hasMessageContaining("rate must be above 0");
    }
}
