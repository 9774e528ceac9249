package dev.mkplat.cli;

import dev.mkplat.chaos.ChaosTarget;
import dev.mkplat.chaos.IngressAccess;
import dev.mkplat.chaos.TrafficPlan;
import dev.mkplat.core.MkplatException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --with-traffic} and what it takes, for every experiment that runs under load. */
public final class ChaosTrafficOptions {
    @Option(
            names = "--with-traffic",
            description =
                    "Run the traffic engine in this process through the ingress hosts: the steady state first, "
                            + "then the fault, then until the error rate is back at baseline; report error rate and p99 before, during and after.")
    boolean withTraffic;

    @Option(names = "--rps", paramLabel = "N", description = "Arrivals per second of --with-traffic (default: 50).")
    Double rps;

    @Option(
            names = "--scenario",
            paramLabel = "NAME|FILE",
            description =
                    "What --with-traffic sends (default: the component's own scenario, api, auth or images; mixed for a dependency).")
    String scenario;

    @Option(
            names = "--steady",
            paramLabel = "EXPR",
            description =
                    "A threshold the steady state holds before the fault and again after it, e.g. 'errors<1%%', 'p99<500ms' "
                            + "(repeatable; default: errors<1%%).")
    List<String> steady = new ArrayList<>();

    @Option(
            names = "--steady-for",
            paramLabel = "TIME",
            converter = DurationConverter.class,
            description =
                    "How long the steady state is measured, before the fault and after the recovery (default: 10s).")
    Duration steadyFor;

    /**
     * The plan, when {@code --with-traffic} is given.
     *
     * @throws MkplatException exit 2 when a traffic option comes without --with-traffic, or is out of range
     */
    Optional<TrafficPlan> plan(ChaosTarget target, IngressAccess ingress, Path workingDirectory) {
        List<String> given = new ArrayList<>();
        if (rps != null) {
            given.add("--rps");
        }
        if (scenario != null) {
            given.add("--scenario");
        }
        if (!steady.isEmpty()) {
            given.add("--steady");
        }
        if (steadyFor != null) {
            given.add("--steady-for");
        }
        if (!withTraffic) {
            if (!given.isEmpty()) {
                throw MkplatException.usage(
                        String.join(", ", given) + (given.size() == 1 ? " applies" : " apply")
                                + " only with --with-traffic",
                        "add --with-traffic, e.g. --with-traffic --rps 50");
            }
            return Optional.empty();
        }
        if (rps != null && !(rps > 0)) {
            throw MkplatException.usage("--rps must be above 0, was " + rps, "for example --rps 50");
        }
        if (steadyFor != null && steadyFor.toSeconds() < 1) {
            throw MkplatException.usage("--steady-for must be at least 1s", "for example --steady-for 10s");
        }
        return Optional.of(TrafficPlan.of(
                target,
                Optional.ofNullable(scenario),
                rps == null ? 50 : rps,
                steadyFor == null ? Duration.ofSeconds(10) : steadyFor,
                steady,
                ingress,
                workingDirectory));
    }
}
