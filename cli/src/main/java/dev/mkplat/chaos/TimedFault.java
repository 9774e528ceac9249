package dev.mkplat.chaos;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.ExperimentLocks;
import dev.mkplat.traffic.report.Threshold;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shape that {@code partition} and {@code stop} share: lock the components, inject the fault,
 * hold it for the duration, then undo it, also when the process is interrupted, and journal all of
 * it. What the fault is, is the {@link Fault}'s business.
 */
final class TimedFault {
    /** How often the remaining time is printed while a fault is held. */
    private static final Duration TICK = Duration.ofSeconds(5);

    /** One fault that can be put in place and taken away again. */
    interface Fault {
        /** Puts it in place, recording into the journal what was done. */
        void inject(Journal journal);

        /** Takes it away; safe to call when inject failed half-way, and twice. */
        void undo(Journal journal);

        /** After the undo: anything to wait for and report (the stopped component ready again). */
        default void afterUndo(Journal journal) {}
    }

    private final ExperimentLocks locks;
    private final Clock clock;
    private final PrintWriter out;

    TimedFault(Cluster cluster, Clock clock, PrintWriter out) {
        this.locks = new ExperimentLocks(cluster, clock);
        this.clock = clock;
        this.out = out;
    }

    /**
     * Runs {@code fault} for {@code duration}.
     *
     * @param what    how the experiment names itself in locks and messages, e.g. {@code stop redis}
     * @param targets the components it locks
     * @return when it was undone
     */
    Instant hold(
            String what, List<ChaosTarget> targets, Duration duration, Fault fault, Journal journal, Path journalFile) {
        try (TrafficWatch none = TrafficWatch.of(Optional.empty(), clock, out)) {
            return hold(what, targets, duration, fault, journal, journalFile, none);
        }
    }

    /**
     * {@link #hold}, under the load of {@code traffic}: its steady state is measured once the
     * components are locked, and the fault is refused when it does not hold; it is told when the
     * fault begins and when it is undone.
     *
     * @throws MkplatException exit 1 when the steady state does not hold before the fault
     */
    Instant hold(
            String what,
            List<ChaosTarget> targets,
            Duration duration,
            Fault fault,
            Journal journal,
            Path journalFile,
            TrafficWatch traffic) {
        String holder = ExperimentId.next();
        List<ChaosTarget> locked = new ArrayList<>();
        for (ChaosTarget target : targets) {
            Optional<ExperimentLocks.Holder> busy =
                    locks.acquire(target.namespace(), target.name(), holder, what, duration.plusMinutes(5));
            if (busy.isPresent()) {
                locked.forEach(done -> locks.release(done.namespace(), done.name(), holder));
                throw KillPod.busy(target, busy.get());
            }
            locked.add(target);
            journal.action(
                    "lock", Map.of("lease", target.namespace() + "/mkplat-chaos-" + target.name(), "holder", holder));
        }
        boolean[] interrupted = {true};
        Instant end;
        try {
            List<Threshold.Result> unsteady = traffic.steadyState();
            if (!unsteady.isEmpty()) {
                throw KillPod.notSteady(unsteady, journal, journalFile, "nothing was changed");
            }
        } catch (RuntimeException notSteady) {
            locked.forEach(done -> locks.release(done.namespace(), done.name(), holder));
            if (!journal.written()) {
                journal.observation("no-steady-state", Map.of("error", String.valueOf(notSteady.getMessage())));
                journal.write(
                        journalFile,
                        Journal.Verdict.FAILED,
                        notSteady instanceof MkplatException known ? known.exitCode() : ExitCode.FAILED,
                        notSteady.getMessage() + "; nothing was changed");
            }
            throw notSteady;
        }
        try (Undo undo = Undo.onInterrupt(() -> {
            try {
                fault.undo(journal);
                if (interrupted[0]) {
                    journal.observation("interrupted", Map.of());
                    journal.write(
                            journalFile,
                            Journal.Verdict.INTERRUPTED,
                            ExitCode.FAILED,
                            what + " interrupted and undone");
                }
            } finally {
                locked.forEach(done -> locks.release(done.namespace(), done.name(), holder));
            }
        })) {
            try {
                traffic.faultBegins();
                fault.inject(journal);
            } catch (RuntimeException failed) {
                interrupted[0] =
                        false; // not interrupted: the error says what happened, and close() undoes what was done
                throw failed;
            }
            end = clock.instant().plus(duration);
            while (clock.instant().isBefore(end)) {
                Duration left = Duration.between(clock.instant(), end);
                out.println("  " + Seconds.text(left) + " left");
                out.flush();
                pause(left.compareTo(TICK) < 0 ? left : TICK);
            }
            interrupted[0] = false;
        }
        traffic.faultEnds();
        out.println("undone after " + Seconds.text(duration));
        out.flush();
        return clock.instant();
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MkplatException(ExitCode.FAILED, "interrupted", null, e);
        }
    }
}
