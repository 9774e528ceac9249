package dev.mkplat.traffic.engine;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * Runs warm-up rounds until the JIT has caught up with the request path: a round in which the JIT
 * compiled for less than a tenth of the round's length ends the warm-up, as does a cap on rounds.
 *
 * <p>Why the JIT's own activity and not a count of requests: a fixed count (5,000 requests, the
 * rule before) is over in a tenth of a second against a fast server, long before C2 has compiled
 * the event loop's path, so the first second of the load itself still ran on interpreted and
 * C1-profiled code at a fraction of full speed. How long C2 takes depends on the machine's load and
 * on whether the class cache brought method profiles; the JIT's compilation time tells both.
 */
public final class JitWarmUp {
    /** One round, so that the JIT's activity is looked at a few times a second. */
    public static final long ROUND_MILLIS = 250;

    /** A JIT that still compiles for this share of a round is still warming the request path up. */
    private static final int QUIET_SHARE = 10;

    private final LongSupplier compilationMillis;
    private final int maxRounds;

    /**
     * @param compilationMillis the JIT's compilation time so far, in ms, a counter that only grows
     * @param maxRounds         rounds at most, whatever the JIT does
     */
    public JitWarmUp(LongSupplier compilationMillis, int maxRounds) {
        this.compilationMillis = compilationMillis;
        this.maxRounds = maxRounds;
    }

    /**
     * The JIT of this JVM, or none (then a single round) where it does not report its compilation
     * time.
     */
    public static JitWarmUp ofThisJvm(int maxRounds) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return new JitWarmUp(() -> 0, 1);
        }
        return new JitWarmUp(jit::getTotalCompilationTime, maxRounds);
    }

    /** One warm-up round; returns how long it took, in ms. */
    @FunctionalInterface
    public interface Round {
        long run() throws InterruptedException;
    }

    /**
     * Runs {@code round} until a round leaves the JIT quiet, {@code stop} is asked for, or the
     * rounds are used up; returns the number of rounds run.
     */
    public int run(Round round, StopSignal stop) throws InterruptedException {
        int rounds = 0;
        while (rounds < maxRounds && !stop.requested()) {
            long before = compilationMillis.getAsLong();
            long took = round.run();
            rounds++;
            long compiled = compilationMillis.getAsLong() - before;
            if (compiled * QUIET_SHARE < Math.max(1, took)) {
                break;
            }
        }
        return rounds;
    }
}
