package dev.mkplat.cli;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.config.PlatformConfigLoader;
import dev.mkplat.core.Environment;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --config}: the mkplat.yaml to read; without it ./mkplat.yaml when present, else the defaults. */
public final class ConfigOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "mkplat.yaml to use (default: ./mkplat.yaml when present, else the built-in defaults).")
    Path file;

    /** The file that applies, if any, resolved against the working directory (an explicit one must exist). */
    public Optional<Path> file() {
        Environment environment = MkplatCommand.of(mixee).environment();
        return PlatformConfigLoader.locate(Optional.ofNullable(file), environment.workingDirectory());
    }

    /** Where the config file is or would be written: --config, else ./mkplat.yaml (whether or not it exists). */
    public Path path() {
        Environment environment = MkplatCommand.of(mixee).environment();
        return environment.resolve(file != null ? file : Path.of(PlatformConfigLoader.DEFAULT_FILE_NAME));
    }

    /** {@link #path()} as the user would write it: relative to the working directory when inside it. */
    public Path shownPath() {
        return shown(path(), MkplatCommand.of(mixee).environment().workingDirectory());
    }

    /** The validated configuration; a bad file ends the command with exit code 2 and file:line:column. */
    public PlatformConfig load() {
        Path workingDirectory = MkplatCommand.of(mixee).environment().workingDirectory();
        return file().map(found -> PlatformConfigLoader.load(found, shown(found, workingDirectory)))
                .orElseGet(PlatformConfig::defaults);
    }

    private Path shown(Path found, Path workingDirectory) {
        if (file != null) {
            return file; // as the user typed it
        }
        return found.startsWith(workingDirectory) ? workingDirectory.relativize(found) : found;
    }
}
