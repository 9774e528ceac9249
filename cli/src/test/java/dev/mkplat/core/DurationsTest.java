package dev.mkplat.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parsesTheUnitsAndTheirSums() {
        assertThat(Durations.parse("1h30m")).contains(Duration.ofMinutes(90));
        assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(Durations.parse(" 90s ")).contains(Duration.ofSeconds(90));
    }

    @Test
    void refusesWhatIsNotADuration() {
        for (String text : List.of("5", "m5", "5m junk", "", " ", "5x", "99999999999999999999s")) {
            assertThat(Durations.parse(text)).as(text).isEmpty();
        }
        assertThat(Durations.parse(null)).isEmpty();
    }

    @Test
    void formatsTheShortestTextThatParsesBack() {
        assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0ms");
        assertThat(Durations.format(Duration.ofDays(2))).isEqualTo("48h");
        for (Duration duration : List.of(
                Duration.ofMillis(1),
                Duration.ofSeconds(59),
                Duration.ofSeconds(3661),
                Duration.ofMillis(90_061_001))) {
            assertThat(Durations.parse(Durations.format(duration))).contains(duration);
        }
    }
}
