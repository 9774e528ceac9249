package dev.mkplat.traffic;

import dev.mkplat.core.Durations;
import dev.mkplat.traffic.engine.TrustSettings;
import dev.mkplat.traffic.report.Threshold;
import dev.mkplat.traffic.scenario.Scenario;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a traffic run needs, validated: the constructor rejects what cannot work, naming the
 * flag, before any connection is made.
 *
 * @param targets base URLs that override the scenario's ({@code --target name=URL})
 * @param model   the open or the closed model, with its rate or connections
 * @param out where to write the JSON report, if anywhere
 * @param html where to write the HTML report, if anywhere
 */
public record TrafficRequest(
        Scenario scenario,
        Map<String, URI> targets,
        LoadModel model,
        Duration duration,
        Duration timeout,
        TrustSettings trust,
        List<Threshold> thresholds,
        Optional<Path> out,
        Optional<Path> html) {

    public TrafficRequest {
        targets = Map.copyOf(targets);
        thresholds = List.copyOf(thresholds);
        Objects.requireNonNull(model, "model");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be above 0, got " + Durations.format(duration));
        }
        if (model instanceof LoadModel.Open open
                && !open.ramp().isZero()
                && open.ramp().compareTo(duration) >= 0) {
            throw new IllegalArgumentException("--ramp (" + Durations.format(open.ramp())
                    + ") must be shorter than --duration (" + Durations.format(duration) + ")");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--timeout must be above 0, got " + Durations.format(timeout));
        }
        for (String name : targets.keySet()) {
            if (!scenario.targetNames().contains(name)) {
                throw new IllegalArgumentException("--target " + name + "=...: scenario " + scenario.name()
                        + " has no target '" + name + "' (it uses " + String.join(", ", scenario.targetNames()) + ")");
            }
        }
        out.ifPresent(p -> requireWritableDirectory("--out", p));
        html.ifPresent(p -> requireWritableDirectory("--html", p));
    }

    /**
     * A run of {@code scenario} against {@code targets} as the command would make it by default: a
     * 5 s request timeout, the JDK's trust anchors, no thresholds, no report files.
     */
    public static TrafficRequest of(Scenario scenario, Map<String, URI> targets, LoadModel model, Duration duration) {
        return new TrafficRequest(
                scenario,
                targets,
                model,
                duration,
                Duration.ofSeconds(5),
                TrustSettings.defaults(),
                List.of(),
                Optional.empty(),
                Optional.empty());
    }

    /** This request, trusting as {@code trust} says. */
    public TrafficRequest withTrust(TrustSettings trust) {
        return new TrafficRequest(scenario, targets, model, duration, timeout, trust, thresholds, out, html);
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
