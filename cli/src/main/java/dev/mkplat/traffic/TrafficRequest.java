package dev.mkplat.traffic;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.mkplat.traffic.scenario.Scenario;

/**
 * Everything a traffic run needs, validated: the constructor rejects what cannot work, naming the
 * flag, before any connection is made.
 *
 * @param targets base URLs that override the scenario's ({@code --target name=URL})
 * @param rps arrivals per second (open model)
 * @param connections concurrent workers (closed model)
 * @param maxInFlight arrivals allowed to run at once before new ones are dropped (open model)
 * @param out where to write the JSON report, if anywhere
 * @param html where to write the HTML report, if anywhere
 */
public record TrafficRequest(Scenario scenario, Map<String, URI> targets, double rps, Duration duration, Duration ramp,
        Arrival arrival, boolean closed, int connections, int maxInFlight, Duration timeout, TrustSettings trust,
        List<Threshold> thresholds, Optional<Path> out, Optional<Path> html) {

    public TrafficRequest {
        targets = Map.copyOf(targets);
        thresholds = List.copyOf(thresholds);
        if (!(rps > 0) || Double.isInfinite(rps)) {
            throw new IllegalArgumentException("--rps must be above 0, got " + rps);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be above 0, got " + human(duration));
        }
        if (!ramp.isZero() && ramp.compareTo(duration) >= 0) {
            throw new IllegalArgumentException("--ramp (" + human(ramp) + ") must be shorter than --duration (" + human(duration) + ")");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be above 0, got " + human(timeout));
        }
        if (closed && connections < 1) {
            throw new IllegalArgumentException("--connections must be 1 or more, got " + connections);
        }
        if (!closed && maxInFlight < 1) {
            throw new IllegalArgumentException("--max-in-flight must be 1 or more, got " + maxInFlight);
        }
        for (String name : targets.keySet()) {
            if (!scenario.targetNames().contains(name)) {
                throw new IllegalArgumentException("--target " + name + "=...: scenario " + scenario.name() + " has no target '"
                        + name + "' (it uses " + String.join(", ", scenario.targetNames()) + ")");
            }
        }
        out.ifPresent(p -> requireWritableDirectory("--out", p));
        html.ifPresent(p -> requireWritableDirectory("--html", p));
    }

    /** 10s, 1500ms: how the flags were written. */
    static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static void requireWritableDirectory(String flag, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(flag + " " + file + ": the directory " + dir + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(flag + " " + file + ": is a directory, not a file");
        }
    }
}
