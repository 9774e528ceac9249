package dev.mkplat.core;

/** The exit codes of mkplat, the same for every command. */
public enum ExitCode {
    /** Everything worked. */
    OK(0),
    /** The operation failed (the cluster refused, a check found a problem, a threshold was crossed). */
    FAILED(1),
    /** Bad usage or input: an unknown flag, a malformed file, a value out of range. */
    USAGE(2),
    /** A preflight check that must pass did not. */
    PREFLIGHT(3),
    /** A wait ran out of time. */
    TIMEOUT(4);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
