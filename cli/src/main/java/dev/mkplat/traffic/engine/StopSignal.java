package dev.mkplat.traffic.engine;

/** Asks a run to stop early (Ctrl-C); runners poll it between sends. */
public final class StopSignal {
    private volatile boolean requested;

    public void request() {
        requested = true;
    }

    public boolean requested() {
        return requested;
    }
}
