package dev.mkplat.traffic.schedule;

/** How arrivals are spaced in the open model. */
public enum Arrival {
    /** Evenly, as wrk2 does: the n-th request at n / rate. */
    CONSTANT,
    /** Exponential gaps with the same mean: how independent users arrive. */
    POISSON
}
