package dev.mkplat.config;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.nio.file.Path;

/**
 * A problem in {@code mkplat.yaml}, reported as {@code file:line:column: what is wrong} so that an
 * editor can jump to it. Bad input, so the exit code is 2.
 */
public final class ConfigException extends MkplatException {
    private final Path file;
    private final int line;
    private final int column;

    ConfigException(Path file, int line, int column, String problem, String hint, Throwable cause) {
        super(ExitCode.USAGE, file + ":" + line + ":" + column + ": " + problem, hint, cause);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    /** The file as the user named it (relative when it was given relative). */
    public Path file() {
        return file;
    }

    /** 1-based line of the offending key or value. */
    public int line() {
        return line;
    }

    /** 1-based column of the offending key or value. */
    public int column() {
        return column;
    }
}
