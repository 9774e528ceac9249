package dev.mkplat.core;

import java.util.Optional;

/**
 * The one exception that ends a command: it carries the exit code, a one-line message and, where
 * one helps, a hint. The CLI prints {@code mkplat: error: <message>} and the hint, and a stack
 * trace only with {@code --verbose}.
 */
public class MkplatException extends RuntimeException {
    private final ExitCode exitCode;
    private final String hint;

    public MkplatException(ExitCode exitCode, String message) {
        this(exitCode, message, null, null);
    }

    public MkplatException(ExitCode exitCode, String message, String hint) {
        this(exitCode, message, hint, null);
    }

    public MkplatException(ExitCode exitCode, String message, String hint, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.hint = hint;
    }

    public static MkplatException usage(String message, String hint) {
        return new MkplatException(ExitCode.USAGE, message, hint);
    }

    public static MkplatException failed(String message, String hint) {
        return new MkplatException(ExitCode.FAILED, message, hint);
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public Optional<String> hint() {
        return Optional.ofNullable(hint);
    }
}
