package dev.mkplat.chaos;

import dev.mkplat.core.MkplatException;
import dev.mkplat.traffic.LoadModel;
import dev.mkplat.traffic.TrafficRequest;
import dev.mkplat.traffic.engine.TrustSettings;
import dev.mkplat.traffic.report.ReportText;
import dev.mkplat.traffic.report.Threshold;
import dev.mkplat.traffic.scenario.BuiltInScenarios;
import dev.mkplat.traffic.scenario.Scenario;
import dev.mkplat.traffic.scenario.ScenarioFile;
import dev.mkplat.traffic.scenario.Scenarios;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code --with-traffic} runs while an experiment breaks the platform: a scenario of {@code
 * mkplat traffic} at a fixed arrival rate through the platform's ingress hosts, the length of the
 * steady state measured before the fault (and of the span measured after the recovery), and the
 * thresholds that the steady state must hold before the fault and again after it.
 *
 * @param scenario  what is sent
 * @param targets   the ingress URLs of the services, from {@code mkplat.yaml}'s hosts
 * @param rps       arrivals per second
 * @param steadyFor how long the steady state is measured before the fault, and again after the recovery
 * @param steady    the steady state's thresholds ({@code --steady})
 * @param trust     whom to trust over https ({@link IngressAccess})
 */
public record TrafficPlan(
        Scenario scenario,
        Map<String, URI> targets,
        double rps,
        Duration steadyFor,
        List<Threshold> steady,
        TrustSettings trust) {
    /** The steady state when {@code --steady} is not given. */
    public static final String DEFAULT_STEADY = "errors<1%";
    /** How long a request may take before it counts as failed (the traffic command's default). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** The load runs until the experiment stops it; this only bounds a run whose experiment died. */
    private static final Duration AT_MOST = Duration.ofHours(1);

    public TrafficPlan {
        targets = Map.copyOf(targets);
        steady = List.copyOf(steady);
    }

    /**
     * The plan for an experiment on {@code target}.
     *
     * @param scenario  {@code --scenario}, or empty for the target's own built-in scenario ({@code api},
     *                  {@code auth}, {@code images}), or {@code mixed} for a dependency
     * @param steady    {@code --steady} expressions; empty for {@link #DEFAULT_STEADY}
     * @param workingDirectory where a scenario file's relative path starts
     * @throws MkplatException exit 2 for a scenario or threshold that does not parse
     */
    public static TrafficPlan of(
            ChaosTarget target,
            Optional<String> scenario,
            double rps,
            Duration steadyFor,
            List<String> steady,
            IngressAccess ingress,
            Path workingDirectory) {
        try {
            String name = scenario.orElse(BuiltInScenarios.NAMES.contains(target.name()) ? target.name() : "mixed");
            boolean builtIn = BuiltInScenarios.NAMES.contains(name);
            Scenario resolved = Scenarios.resolve(
                    builtIn ? name : workingDirectory.resolve(name).toString());
            Map<String, URI> targets = new LinkedHashMap<>();
            if (builtIn) {
                resolved.targetNames()
                        .forEach(service ->
                                targets.put(service, ingress.services().get(service)));
            }
            List<Threshold> thresholds = (steady.isEmpty() ? List.of(DEFAULT_STEADY) : steady)
                    .stream().map(Threshold::parse).toList();
            return new TrafficPlan(resolved, targets, rps, steadyFor, thresholds, ingress.trust());
        } catch (IllegalArgumentException | ScenarioFile.InvalidScenarioException e) {
            throw MkplatException.usage(
                    e.getMessage(), "see 'mkplat chaos kill-pod --help' and 'mkplat traffic --help'");
        }
    }

    /** The traffic run: open model at {@link #rps}, for as long as the experiment lets it run. */
    TrafficRequest request() {
        return new TrafficRequest(
                scenario,
                targets,
                LoadModel.Open.of(rps),
                AT_MOST,
                REQUEST_TIMEOUT,
                trust,
                List.of(),
                Optional.empty(),
                Optional.empty());
    }

    /** The options as the journal records them. */
    Map<String, Object> options() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("scenario", scenario.name());
        options.put("rps", rps);
        options.put("steadySeconds", Seconds.of(steadyFor));
        options.put("steady", steady.stream().map(Threshold::text).toList());
        return options;
    }

    /** How the report names the load: {@code scenario api at 50/s through https://api.test, https://auth.test}. */
    String describe() {
        return "scenario " + scenario.name() + " at "
                + (rps == Math.rint(rps) ? String.valueOf((long) rps) : ReportText.number(rps)) + "/s through "
                + String.join(
                        ", ",
                        scenario.targetNames().stream()
                                .map(scenario.withTargets(targets).targets()::get)
                                .map(URI::toString)
                                .toList());
    }
}
