package dev.mkplat.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mkplat.traffic.report.Report;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The open model against a server on loopback whose latency the test controls. */
class OpenLoopRunnerIT {

    /**
     * The rate is judged from the server's side: every planned request must arrive, and the slope
     * of a straight line fitted through the arrival instants (least squares, so that a few late
     * wake-ups on a busy 2-core machine do not decide the result) must match the asked-for rate.
     */
    @ParameterizedTest(name = "{0} requests/s")
    @ValueSource(ints = {50, 300, 1000})
    void achievedRateIsWithinOnePercentOfTargetOverFiveSeconds(int rps) throws Exception {
        try (ControlledServer server = ControlledServer.http().latency(2)) {
            TrafficRequests.Finished run =
                    TrafficRequests.run(TrafficRequests.open(server.url(), rps, Duration.ofSeconds(5), 1000));

            Report report = run.report();
            long planned = rps * 5L;
            assertThat(report.arrivals().planned()).isEqualTo(planned);
            assertThat(report.arrivals().sent() + report.arrivals().dropped()).isEqualTo(planned);
            assertThat(report.arrivals().dropped()).isZero();
            assertThat(report.total().ok())
                    .as("requests answered OK; the report:%n%s", run.out())
                    .isEqualTo(planned);
            assertThat(report.arrivals().achievedRate()).isCloseTo(rps, within(rps * 0.01));
            List<Long> arrivals = server.arrivals().subList(server.requests() - (int) planned, server.requests());
            assertThat(fittedRate(arrivals)).as("rate seen by the server").isCloseTo(rps, within(rps * 0.01));
            assertThat(report.scheduleLag()).isNotNull();
        }
    }

    /**
     * wrk2's example: one 1 s stall in a 5 s run at 100 requests/s. Requests meant to go out during
     * the stall wait up to a second, about a fifth of all requests are hit, so the p99 and max are
     * near 1 s. A generator that measured from the actual send (coordinated omission) would see one
     * slow request per connection and a p99 of a few milliseconds.
     */
    @Test
    void aOneSecondStallShowsInP99AndMax() throws Exception {
        try (ControlledServer server = ControlledServer.http().latency(1).stallAtRequest(200, 1000)) {
            TrafficRequests.Finished run =
                    TrafficRequests.run(TrafficRequests.open(server.url(), 100, Duration.ofSeconds(5), 1000));

            Report.Latency latency = run.report().total().latency();
            assertThat(run.report().total().ok()).isEqualTo(500);
            assertThat(latency.maxMs()).isBetween(950.0, 1600.0);
            assertThat(latency.p99Ms()).isGreaterThan(800.0);
            assertThat(latency.p90Ms())
                    .as("about 100 of 500 requests fall in the stall")
                    .isGreaterThan(300.0);
            assertThat(latency.p50Ms()).isLessThan(100.0);
        }
    }

    @Test
    void arrivalsBeyondMaxInFlightAreDroppedAndCountedNotDelayed() throws Exception {
        try (ControlledServer server = ControlledServer.http().latency(200)) {
            TrafficRequest request = TrafficRequests.open(server.url(), 200, Duration.ofSeconds(2), 10);
            server.ignoreFirst(TrafficRun.warmUpRequests(request));
            TrafficRequests.Finished run = TrafficRequests.run(request);

            Report.Arrivals arrivals = run.report().arrivals();
            assertThat(arrivals.planned()).isEqualTo(400);
            assertThat(arrivals.sent() + arrivals.dropped()).isEqualTo(400);
            // 10 at a time, each 200 ms: about 100 of 400 get through
            assertThat(arrivals.dropped()).isBetween(250L, 340L);
            assertThat(server.mostAtOnce()).isLessThanOrEqualTo(10);
            assertThat(run.report().total().latency().maxMs())
                    .as("sent ones were not queued")
                    .isLessThan(800.0);
            assertThat(run.out()).contains("dropped " + arrivals.dropped());
        }
    }

    /** What Ctrl-C does (through the shutdown hook): the load stops and the report covers what ran. */
    @Test
    void stoppingEarlyStillReportsWhatRan() throws Exception {
        try (ControlledServer server = ControlledServer.http().latency(1)) {
            StringWriter out = new StringWriter();
            TrafficRun run = new TrafficRun(new PrintWriter(out, true), new PrintWriter(new StringWriter()), false);
            TrafficRequest request = TrafficRequests.open(server.url(), 100, Duration.ofSeconds(30), 1000);
            RunningTraffic running = run.start(request);

            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> server.requests() > TrafficRun.warmUpRequests(request) + 50
                            && running.intervals().size() >= 2);
            assertThat(running.done()).isFalse();
            assertThat(running.latest()).isPresent();
            assertThat(running.intervals().stream()
                            .mapToLong(Report.TimePoint::requests)
                            .sum())
                    .isPositive();
            assertThat(running.intervals()).extracting(Report.TimePoint::second).isSorted();
            TrafficResult result = running.stopAndAwait();
            assertThat(running.done()).isTrue();

            Report report = result.report();
            assertThat(report.interrupted()).isTrue();
            assertThat(report.elapsedSeconds()).isLessThan(25);
            assertThat(report.arrivals().sent()).isGreaterThanOrEqualTo(50).isLessThan(2500);
            assertThat(report.total().ok())
                    .isEqualTo(report.arrivals().sent() - report.arrivals().unfinished());
            assertThat(out.toString()).contains("(stopped early by Ctrl-C)").contains("ENDPOINT");
        }
    }

    /** Least-squares slope of arrival instant against arrival number, as requests per second. */
    static double fittedRate(List<Long> instants) {
        int n = instants.size();
        double meanX = (n - 1) / 2.0;
        double meanY = 0;
        for (long t : instants) {
            meanY += (t - instants.getFirst()) / 1e9;
        }
        meanY /= n;
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            double y = (instants.get(i) - instants.getFirst()) / 1e9;
            num += (i - meanX) * (y - meanY);
            den += (i - meanX) * (i - meanX);
        }
        return den / num;
    }
}
