package dev.mkplat.check;

import java.util.Objects;

/**
 * One check: what it verifies, what to do when it fails, how much a failure matters, and the
 * function that runs it. An exception thrown by the function counts as a failure with its message.
 *
 * @param description what is being verified, phrased as the good state ("the API server is reachable")
 * @param hint        what to do when it fails
 * @param severity    whether a failure stops the command
 * @param function    runs the check
 */
public record Check(String description, String hint, Severity severity, Function function) {
    public Check {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(function, "function");
    }

    public static Check fatal(String description, String hint, Function function) {
        return new Check(description, hint, Severity.FATAL, function);
    }

    public static Check warning(String description, String hint, Function function) {
        return new Check(description, hint, Severity.WARNING, function);
    }

    /** The work of a check. */
    @FunctionalInterface
    public interface Function {
        Outcome run() throws Exception;
    }
}
