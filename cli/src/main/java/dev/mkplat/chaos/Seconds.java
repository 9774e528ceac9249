package dev.mkplat.chaos;

import java.time.Duration;
import java.util.Locale;

/** Durations as the reports and journals show them: seconds with millisecond precision. */
final class Seconds {
    private Seconds() {}

    /** {@code 1.234} for 1234 ms: a number in the journal. */
    static double of(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** {@code 1.2s}: a figure in the text report. */
    static String text(Duration duration) {
        return String.format(Locale.ROOT, "%.1fs", duration.toMillis() / 1000.0);
    }
}
