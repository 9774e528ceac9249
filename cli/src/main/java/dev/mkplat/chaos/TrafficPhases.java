package dev.mkplat.chaos;

import dev.mkplat.traffic.report.Report;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * The seconds of load of one experiment, sorted into the parts of the experiment as they arrive:
 * {@code before} the fault (the steady state, the baseline), {@code during} it and its recovery,
 * and {@code after}. Pure (the times come in with the seconds), so the recovery rule is tested
 * without a cluster.
 *
 * <p>The rule: the error rate is back at baseline at the first second after the fault ended from
 * which {@link #CONFIRM} seconds together fail no more than the baseline's percentage plus
 * {@link #TOLERANCE_POINTS}, and have at least {@link #THROUGHPUT_SHARE} of the baseline's answers. The recovery time runs from the end of the fault to the end of the
 * last second before those: zero when the errors never rose.
 */
final class TrafficPhases {
    /** How many seconds in a row must be back at baseline: one lucky second is not a recovery. */
    static final int CONFIRM = 5;
    /** Percentage points above the baseline's error rate that still count as baseline. */
    static final double TOLERANCE_POINTS = 1.0;
    /**
     * The share of the baseline's answers per second that seconds back at baseline must have too.
     * Requests that hang fail only when they time out: until then their seconds have few answers,
     * few errors among them, and would pass for healthy (seen on the real node, where requests to a
     * killed pod's address hung for their whole timeout).
     */
    static final double THROUGHPUT_SHARE = 0.8;

    /** Where the experiment is. */
    enum Phase {
        /** Traffic set up and warming: its seconds count nowhere. */
        WARMING,
        BEFORE,
        DURING,
        AFTER,
        /** The experiment is done with the load: its last seconds count nowhere. */
        DONE
    }

    /** One second as it arrived, and when. */
    record Second(Instant at, long requests, long errors) {}

    private final TrafficSpan before = new TrafficSpan();
    private final TrafficSpan during = new TrafficSpan();
    private final TrafficSpan after = new TrafficSpan();
    private final List<Second> timeline = new ArrayList<>();
    private Phase phase = Phase.WARMING;
    private Instant faultBegan;
    private Instant faultEnded;

    /** One sampled second, arrived {@code at}. */
    synchronized void second(Instant at, Report.TimePoint point, Histogram latencies) {
        switch (phase) {
            case BEFORE -> before.add(point, latencies);
            case DURING -> during.add(point, latencies);
            case AFTER -> after.add(point, latencies);
            case WARMING, DONE -> {
                return;
            }
        }
        timeline.add(new Second(at, point.requests(), point.errors()));
    }

    /** The load is warm: the steady state is measured from now. */
    synchronized void steadyStateBegins() {
        phase = Phase.BEFORE;
    }

    synchronized void faultBegins(Instant at) {
        faultBegan = at;
        phase = Phase.DURING;
    }

    /** The fault is over (undone, or, for a kill, done): recovery is timed from here. */
    synchronized void faultEnds(Instant at) {
        faultEnded = at;
    }

    synchronized void afterBegins() {
        phase = Phase.AFTER;
    }

    synchronized void done() {
        phase = Phase.DONE;
    }

    synchronized Phase phase() {
        return phase;
    }

    TrafficSpan before() {
        return before;
    }

    TrafficSpan during() {
        return during;
    }

    TrafficSpan after() {
        return after;
    }

    synchronized Optional<Instant> faultBegan() {
        return Optional.ofNullable(faultBegan);
    }

    synchronized Optional<Instant> faultEnded() {
        return Optional.ofNullable(faultEnded);
    }

    /** The error rate that counts as baseline: the steady state's, plus the tolerance. */
    double baselineLimitPercent() {
        return before.errorPercent() + TOLERANCE_POINTS;
    }

    /**
     * How long after the fault ended the error rate was back at baseline; empty while it is not
     * (or not yet confirmed, or the fault has not ended).
     */
    synchronized Optional<Duration> backAtBaseline() {
        if (faultEnded == null) {
            return Optional.empty();
        }
        double limit = baselineLimitPercent();
        double baselineRate = before.rate();
        List<Second> seconds = timeline.stream()
                .filter(second -> second.at().isAfter(faultEnded))
                .toList();
        for (int start = 0; start + CONFIRM <= seconds.size(); start++) {
            long requests = 0;
            long errors = 0;
            for (Second second : seconds.subList(start, start + CONFIRM)) {
                requests += second.requests();
                errors += second.errors();
            }
            if (requests > 0
                    && requests >= THROUGHPUT_SHARE * baselineRate * CONFIRM
                    && 100.0 * errors / requests <= limit) {
                Instant lastBad =
                        start == 0 ? faultEnded : seconds.get(start - 1).at();
                return Optional.of(Duration.between(faultEnded, lastBad));
            }
        }
        return Optional.empty();
    }

    /** Every second counted so far, oldest first. */
    synchronized List<Second> timeline() {
        return List.copyOf(timeline);
    }
}
