package dev.mkplat.traffic;

import dev.mkplat.traffic.report.ReportText;
import dev.mkplat.traffic.schedule.Arrival;
import java.time.Duration;
import java.util.Locale;

/**
 * How a run puts load on its targets. {@link Open}: requests arrive at a rate, whatever the
 * answers, and latency counts from the intended send (coordinated omission corrected). {@link
 * Closed}: a fixed number of workers send back to back, for maximum throughput.
 */
public sealed interface LoadModel permits LoadModel.Open, LoadModel.Closed {
    /** How many requests may run at once: the open model's {@code --max-in-flight}, the closed model's connections. */
    int concurrency();

    /** {@code open} or {@code closed}, as the report names the model. */
    String name();

    /** The asked-for load as the progress line reads it: {@code 50 arrivals/s}, {@code 64 connections}. */
    String describe();

    /**
     * The open model.
     *
     * @param rps         arrivals per second ({@code --rps})
     * @param ramp        the first part of the run over which the rate rises from 0 ({@code --ramp}; zero: none)
     * @param arrival     the spacing of arrivals ({@code --arrival})
     * @param maxInFlight arrivals allowed to run at once before new ones are dropped ({@code --max-in-flight})
     */
    record Open(double rps, Duration ramp, Arrival arrival, int maxInFlight) implements LoadModel {
        public Open {
            if (!(rps > 0) || Double.isInfinite(rps)) {
                throw new IllegalArgumentException("--rps must be above 0, got " + rps);
            }
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("--max-in-flight must be 1 or more, got " + maxInFlight);
            }
        }

        /** {@code rps} arrivals per second at constant spacing, no ramp, at most 1000 in flight (the command's defaults). */
        public static Open of(double rps) {
            return new Open(rps, Duration.ZERO, Arrival.CONSTANT, 1000);
        }

        @Override
        public int concurrency() {
            return maxInFlight;
        }

        @Override
        public String name() {
            return "open";
        }

        @Override
        public String describe() {
            return ReportText.number(rps) + " arrivals/s";
        }

        /** The arrival spacing as the report names it: {@code constant}, {@code poisson}. */
        public String arrivalName() {
            return arrival.name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The closed model.
     *
     * @param connections workers that each send the next request when the previous answer is complete ({@code --connections})
     */
    record Closed(int connections) implements LoadModel {
        public Closed {
            if (connections < 1) {
                throw new IllegalArgumentException("--connections must be 1 or more, got " + connections);
            }
        }

        @Override
        public int concurrency() {
            return connections;
        }

        @Override
        public String name() {
            return "closed";
        }

        @Override
        public String describe() {
            return connections + " connections";
        }
    }
}
