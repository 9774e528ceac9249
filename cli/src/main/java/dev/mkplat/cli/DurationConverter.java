package dev.mkplat.cli;

import dev.mkplat.core.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as mkplat writes them everywhere: 500ms, 30s, 5m, 1h30m ({@link Durations}). */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return Durations.parse(value)
                .orElseThrow(() -> new TypeConversionException(
                        "'" + value + "' is not a duration: use a number with ms, s, m or h, e.g. 500ms, 30s, 5m"));
    }
}
