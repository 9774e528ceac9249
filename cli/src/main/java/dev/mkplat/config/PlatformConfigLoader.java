package dev.mkplat.config;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads {@code mkplat.yaml} into a {@link PlatformConfig}: finds the file, reads it, binds it
 * strictly ({@link StrictYaml}), then checks every value ({@link ConfigValidator}); each problem is
 * a {@link ConfigException} naming the file, line and column ({@link YamlLocations}).
 */
public final class PlatformConfigLoader {
    /** The file used when {@code --config} is not given and it exists in the working directory. */
    public static final String DEFAULT_FILE_NAME = "mkplat.yaml";

    static final String HINT = "mkplat init --force writes a commented mkplat.yaml with every key and its default";

    private PlatformConfigLoader() {}

    /**
     * The file to read: {@code explicit} when given (it must exist), otherwise {@code mkplat.yaml}
     * in {@code workingDirectory} when present, otherwise none (the defaults apply). Relative paths
     * are resolved against {@code workingDirectory}.
     */
    public static Optional<Path> locate(Optional<Path> explicit, Path workingDirectory) {
        if (explicit.isPresent()) {
            Path file = workingDirectory.resolve(explicit.get());
            if (!Files.isRegularFile(file)) {
                throw MkplatException.usage(
                        "config file " + explicit.get() + " does not exist",
                        "leave out --config to use ./" + DEFAULT_FILE_NAME
                                + " or the defaults; mkplat init writes one");
            }
            return Optional.of(file);
        }
        Path candidate = workingDirectory.resolve(DEFAULT_FILE_NAME);
        return Files.isRegularFile(candidate) ? Optional.of(candidate) : Optional.empty();
    }

    /**
     * Reads and validates {@code file}, naming it {@code shownAs} in messages (the path as the user
     * typed it, or relative to the working directory), so that errors read {@code mkplat.yaml:3:5}.
     */
    public static PlatformConfig load(Path file, Path shownAs) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw MkplatException.usage(
                    "config file " + shownAs + " does not exist", "mkplat init writes a commented default one");
        } catch (IOException e) {
            throw new MkplatException(
                    ExitCode.USAGE, "cannot read config file " + shownAs + ": " + e.getMessage(), null, e);
        }
        return parse(shownAs, file, text);
    }

    /** Validates {@code text} as the contents of {@code file}, which is also how messages name it. */
    static PlatformConfig parse(Path file, String text) {
        return parse(file, file, text);
    }

    private static PlatformConfig parse(Path shownAs, Path file, String text) {
        ConfigDocument document = StrictYaml.bind(shownAs, text);
        if (document == null) {
            return PlatformConfig.defaults();
        }
        return new ConfigValidator(shownAs, file, YamlLocations.of(text)).config(document);
    }
}
