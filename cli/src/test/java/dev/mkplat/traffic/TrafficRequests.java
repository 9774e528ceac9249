package dev.mkplat.traffic;

import dev.mkplat.traffic.engine.TrustSettings;
import dev.mkplat.traffic.report.Report;
import dev.mkplat.traffic.scenario.BuiltInScenarios;
import dev.mkplat.traffic.schedule.Arrival;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Requests and runs for tests, with the defaults the command uses. */
final class TrafficRequests {
    private TrafficRequests() {}

    static TrafficRequest open(URI url, double rps, Duration duration, int maxInFlight) {
        return TrafficRequest.of(
                        BuiltInScenarios.urls(List.of(url)),
                        Map.of(),
                        new LoadModel.Open(rps, Duration.ZERO, Arrival.CONSTANT, maxInFlight),
                        duration)
                .withTrust(new TrustSettings(Optional.empty(), false));
    }

    /** A run whose output is kept, with the report's text. */
    record Finished(TrafficResult result, String out, String err) {
        Report report() {
            return result.report();
        }
    }

    static Finished run(TrafficRequest request) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        TrafficResult result =
                new TrafficRun(new PrintWriter(out, true), new PrintWriter(err, true), false).run(request);
        return new Finished(result, out.toString(), err.toString());
    }
}
