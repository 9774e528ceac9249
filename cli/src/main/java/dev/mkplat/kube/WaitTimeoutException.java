package dev.mkplat.kube;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.time.Duration;

/**
 * A {@link Wait} ran out of time (exit 4). It names the object, the state wanted and the state
 * seen last, so that a caller can add its own report (events, pods) or rethrow it as it is.
 */
public final class WaitTimeoutException extends MkplatException {
    private final String object;
    private final String wanted;
    private final String lastSeen;
    private final transient Object lastObserved;
    private final Duration waited;

    WaitTimeoutException(String object, String wanted, String lastSeen, Object lastObserved, Duration waited) {
        super(
                ExitCode.TIMEOUT,
                "timed out after " + Wait.format(waited) + " waiting for " + object + " to be " + wanted
                        + "; last seen: " + lastSeen);
        this.object = object;
        this.wanted = wanted;
        this.lastSeen = lastSeen;
        this.lastObserved = lastObserved;
        this.waited = waited;
    }

    /** What was waited for. */
    public String object() {
        return object;
    }

    /** The state wanted. */
    public String wanted() {
        return wanted;
    }

    /** The last state seen, as the user reads it. */
    public String lastSeen() {
        return lastSeen;
    }

    /** The last state seen, as observed (cast it to the condition's type). */
    public Object lastObserved() {
        return lastObserved;
    }

    /** How long the wait lasted. */
    public Duration waited() {
        return waited;
    }
}
