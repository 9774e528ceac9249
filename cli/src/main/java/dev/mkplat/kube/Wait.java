package dev.mkplat.kube;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way mkplat waits: observe, test, sleep, until the condition holds or the deadline
 * passes. Every wait of deploy, destroy and chaos is built on {@link #until}, so each has a
 * deadline, reads the time from one {@link Clock}, and on timeout says which object it waited for,
 * the state it wanted and the state it saw last ({@link WaitTimeoutException}).
 */
public final class Wait {
    private final Clock clock;
    private final Duration pollInterval;

    /**
     * @param clock        the time deadlines are measured in
     * @param pollInterval the pause between two observations (shortened to end at the deadline)
     */
    public Wait(Clock clock, Duration pollInterval) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive: " + pollInterval);
        }
        this.pollInterval = pollInterval;
    }

    /** The clock the deadlines are read from. */
    public Clock clock() {
        return clock;
    }

    /** The instant {@code timeout} from now. */
    public Instant deadline(Duration timeout) {
        return clock.instant().plus(timeout);
    }

    /**
     * What one wait is about.
     *
     * @param object   what is waited for, as the user reads it ({@code Deployment api/api}, {@code namespaces db, infra})
     * @param wanted   the state wanted, as the user reads it ({@code ready}, {@code gone})
     * @param observe  reads the current state (called once per poll)
     * @param met      whether an observed state is the wanted one
     * @param describe the observed state, as the user reads it (the "last seen" of a timeout)
     * @param <T>      the observed state
     */
    public record Condition<T>(
            String object,
            String wanted,
            Supplier<T> observe,
            Predicate<? super T> met,
            Function<? super T, String> describe) {
        public Condition {
            Objects.requireNonNull(object, "object");
            Objects.requireNonNull(wanted, "wanted");
            Objects.requireNonNull(observe, "observe");
            Objects.requireNonNull(met, "met");
            Objects.requireNonNull(describe, "describe");
        }

        /** A condition whose observed state describes itself with {@code toString}. */
        public static <T> Condition<T> of(String object, String wanted, Supplier<T> observe, Predicate<? super T> met) {
            return new Condition<>(object, wanted, observe, met, String::valueOf);
        }

        /** This condition, with the observed state described by {@code describe}. */
        public Condition<T> describedBy(Function<? super T, String> describe) {
            return new Condition<>(object, wanted, observe, met, describe);
        }
    }

    /**
     * Observes until {@code condition} is met, and returns the state that met it. It observes at
     * least once, even when the deadline has passed already.
     *
     * @throws WaitTimeoutException (exit 4) when the deadline passes first
     * @throws MkplatException      (exit 1) when the thread is interrupted
     */
    public <T> T until(Condition<T> condition, Instant deadline) {
        Instant start = clock.instant();
        while (true) {
            T seen = condition.observe().get();
            if (condition.met().test(seen)) {
                return seen;
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                throw new WaitTimeoutException(
                        condition.object(),
                        condition.wanted(),
                        condition.describe().apply(seen),
                        seen,
                        Duration.between(start, now));
            }
            Duration left = Duration.between(now, deadline);
            sleep(left.compareTo(pollInterval) < 0 ? left : pollInterval);
        }
    }

    /** {@code 45s}, {@code 2m5s}: how long a wait took, as timeouts report it. */
    public static String format(Duration duration) {
        long seconds = Math.round(duration.toMillis() / 1000.0);
        return seconds >= 60 ? (seconds / 60) + "m" + (seconds % 60) + "s" : seconds + "s";
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MkplatException(ExitCode.FAILED, "interrupted while waiting", null, e);
        }
    }
}
