package dev.mkplat.chaos;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What puts the platform back when an experiment ends: run once, either by the experiment at its
 * end or by a shutdown hook when the process is interrupted (Ctrl-C, SIGTERM) before that. A crash
 * that runs no hook leaves marks in the cluster that {@code chaos revert} reads.
 */
final class Undo implements AutoCloseable {
    private final Runnable action;
    private final AtomicBoolean done = new AtomicBoolean();
    private final Thread hook;

    private Undo(Runnable action) {
        this.action = action;
        this.hook = new Thread(this::runOnce, "mkplat-chaos-undo");
    }

    /** Registers {@code action} to run at interruption until {@link #close()} runs it. */
    static Undo onInterrupt(Runnable action) {
        Undo undo = new Undo(action);
        Runtime.getRuntime().addShutdownHook(undo.hook);
        return undo;
    }

    /** Whether the action ran already (the hook got there first, or close did). */
    boolean done() {
        return done.get();
    }

    private void runOnce() {
        if (done.compareAndSet(false, true)) {
            action.run();
        }
    }

    /** Runs the action now, if it has not run, and drops the hook. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it does the work.
            return;
        }
        runOnce();
    }
}
