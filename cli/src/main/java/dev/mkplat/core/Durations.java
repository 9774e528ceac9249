package dev.mkplat.core;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as mkplat writes them everywhere ({@code mkplat.yaml}, {@code --timeout}, {@code
 * --duration}): {@code 500ms}, {@code 90s}, {@code 5m}, {@code 1h30m}. {@link #parse} and
 * {@link #format} are each other's inverse.
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {}

    /** The duration {@code text} writes, or empty when it is not one (a bare number, a unit missing, junk). */
    public static Optional<Duration> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String stripped = text.strip();
        Matcher part = PART.matcher(stripped);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find()) {
            if (part.start() != end) {
                return Optional.empty();
            }
            long amount;
            try {
                amount = Long.parseLong(part.group(1));
            } catch (NumberFormatException tooLarge) {
                return Optional.empty();
            }
            total = total.plus(
                    switch (part.group(2)) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        default -> Duration.ofHours(amount);
                    });
            end = part.end();
        }
        return end == stripped.length() && end > 0 ? Optional.of(total) : Optional.empty();
    }

    /**
     * The shortest text {@link #parse} reads back as {@code duration} (to the millisecond):
     * {@code 5m}, {@code 1h30m}, {@code 1s500ms}, {@code 0ms}.
     */
    public static String format(Duration duration) {
        StringBuilder text = new StringBuilder();
        if (duration.toHours() > 0) {
            text.append(duration.toHours()).append('h');
        }
        if (duration.toMinutesPart() > 0) {
            text.append(duration.toMinutesPart()).append('m');
        }
        if (duration.toSecondsPart() > 0) {
            text.append(duration.toSecondsPart()).append('s');
        }
        if (duration.toMillisPart() > 0 || text.isEmpty()) {
            text.append(duration.toMillisPart()).append("ms");
        }
        return text.toString();
    }
}
