package dev.mkplat.traffic;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.mkplat.traffic.scenario.BuiltInScenarios;

/** Requests and runs for tests, with the defaults the command uses. */
final class TrafficRequests {
    private TrafficRequests() {
    }

    static TrafficRequest open(URI url, double rps, Duration duration, int maxInFlight) {
        return new TrafficRequest(BuiltInScenarios.urls(List.of(url)), Map.of(), rps, duration, Duration.ZERO, Arrival.CONSTANT,
                false, 0, maxInFlight, Duration.ofSeconds(5), new TrustSettings(Optional.empty(), false), List.of(),
                Optional.empty(), Optional.empty());
    }

    /** A run whose output is kept, with the report's text. */
    record Outcome(TrafficResult result, String out, String err) {
        Report report() {
            return result.report();
        }
    }

    static Outcome run(TrafficRequest request) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        TrafficResult result = new TrafficRun(new PrintWriter(out, true), new PrintWriter(err, true), false).run(request);
        return new Outcome(result, out.toString(), err.toString());
    }
}
