package dev.mkplat.traffic.schedule;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * When each arrival of the open model is meant to be sent, as an offset from the start, whatever
 * the server does. The rate rises linearly from 0 to {@code rate} over {@code ramp} (included in
 * {@code duration}) and then holds.
 *
 * <p>The schedule works in "arrival count" space: the expected number of arrivals by time t is
 * N(t) = rate·t²/(2·ramp) during the ramp and rate·ramp/2 + rate·(t − ramp) after it. The k-th
 * constant arrival is at N⁻¹(k); Poisson arrivals are at N⁻¹ of a running sum of exponential
 * gaps with mean 1, which gives exponential gaps in time with mean 1/rate(t) (a time-changed
 * Poisson process). Not thread-safe: one scheduler thread owns it.
 */
public final class LoadSchedule {
    private final double rate;
    private final double rampSeconds;
    private final double durationSeconds;
    private final Arrival arrival;
    private final SplittableRandom random;
    private long index;
    private double count;

    public LoadSchedule(double rate, Duration duration, Duration ramp, Arrival arrival, long seed) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("rate must be above 0, got " + rate);
        }
        if (ramp.compareTo(duration) >= 0 && !ramp.isZero()) {
            throw new IllegalArgumentException("ramp " + ramp + " must be shorter than duration " + duration);
        }
        this.rate = rate;
        this.rampSeconds = ramp.toNanos() / 1e9;
        this.durationSeconds = duration.toNanos() / 1e9;
        this.arrival = arrival;
        this.random = new SplittableRandom(seed);
    }

    /** The offset in nanoseconds of the next arrival, or -1 when the next one would fall after the end. */
    public long next() {
        double s = arrival == Arrival.CONSTANT ? index : (count += -Math.log(1.0 - random.nextDouble()));
        double t = timeOf(s);
        if (t >= durationSeconds) {
            return -1;
        }
        index++;
        return (long) (t * 1e9);
    }

    /** The rate the schedule asks for at {@code elapsed}, in arrivals per second. */
    public double rateAt(Duration elapsed) {
        double t = elapsed.toNanos() / 1e9;
        return rampSeconds > 0 && t < rampSeconds ? rate * t / rampSeconds : rate;
    }

    /** N⁻¹(s): the time in seconds by which {@code s} arrivals are expected. */
    double timeOf(double s) {
        double rampArrivals = rate * rampSeconds / 2;
        if (rampSeconds > 0 && s < rampArrivals) {
            return Math.sqrt(2 * rampSeconds * s / rate);
        }
        return rampSeconds + (s - rampArrivals) / rate;
    }
}
