package dev.mkplat.service;

import io.helidon.config.Config;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed config values in the forms people write in env vars: durations as {@code 500ms},
 * {@code 2s}, {@code 15m}, {@code 1h} (or ISO-8601 {@code PT2S}). Config keys use dots only, so
 * that each has a plain environment variable: {@code db.pool.size} is {@code DB_POOL_SIZE}.
 */
public final class ConfigValues {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private ConfigValues() {}

    /** The duration at {@code node}, or {@code fallback} when absent. */
    public static Duration duration(Config node, Duration fallback) {
        return node.asString()
                .map(text -> parseDuration(node.key().toString(), text))
                .orElse(fallback);
    }

    /** Parses {@code 500ms}, {@code 2s}, {@code 15m}, {@code 1h}, {@code 1d} or ISO-8601. */
    public static Duration parseDuration(String key, String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        Matcher simple = SIMPLE.matcher(value);
        if (simple.matches()) {
            long amount = Long.parseLong(simple.group(1));
            return switch (simple.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    key + ": '" + text + "' is not a duration; use e.g. 500ms, 2s, 15m, 1h", e);
        }
    }
}
