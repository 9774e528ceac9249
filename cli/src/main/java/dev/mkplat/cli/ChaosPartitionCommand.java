package dev.mkplat.cli;

import dev.mkplat.chaos.ChaosCluster;
import dev.mkplat.chaos.ChaosTarget;
import dev.mkplat.chaos.IngressAccess;
import dev.mkplat.chaos.NetworkPartition;
import dev.mkplat.chaos.PartitionRequest;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.MkplatException;
import dev.mkplat.kube.Cluster;
import dev.mkplat.render.ManifestBundle;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mkplat chaos partition}: validate, build a {@link PartitionRequest}, run {@link NetworkPartition}. */
@Command(
        name = "partition",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Cuts one component off from another for a while, with NetworkPolicies.",
        description = {
            "",
            "NetworkPolicies only allow, so the partition takes away the platform's policies that allow FROM to",
            "connect to TO (at both ends), keeping a copy in a chaos NetworkPolicy that isolates TO's pods, is",
            "labelled mkplat.dev/chaos=partition and is annotated with its expiry. When --duration is up, or on",
            "Ctrl-C, the copies are applied back and the chaos policy removed; after a crash, mkplat chaos revert",
            "does it. Enforcement depends on the cluster's network plugin: without one that enforces",
            "NetworkPolicies, nothing changes in the traffic.",
            "",
        },
        footer = {
            "",
            "Examples:",
            "  mkplat chaos partition api auth --duration 30s   # api's item routes answer 503 meanwhile",
            "  mkplat chaos partition auth redis --dry-run",
            "  mkplat chaos partition api auth --with-traffic --rps 20   # the errors while cut off, and their end",
            "",
            "Exit codes: 0 held and healed, 1 refused or failed (also: under --with-traffic, the steady state did not hold",
            "before or after), 2 bad usage or unknown component, 3 the context is not local, 4 under --with-traffic: the",
            "error rate not back at baseline within 2 minutes of the healing.",
        })
public final class ChaosPartitionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    ChaosOptions chaos;

    @Mixin
    ChaosTrafficOptions traffic;

    @Parameters(index = "0", paramLabel = "FROM", description = "The component that can no longer connect, e.g. api.")
    String from;

    @Parameters(index = "1", paramLabel = "TO", description = "The component it can no longer reach, e.g. auth.")
    String to;

    @Option(
            names = "--duration",
            paramLabel = "TIME",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How long the partition holds (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--dry-run", description = "Print the policies that would be made and set aside; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        if (duration.isZero() || duration.isNegative()) {
            throw MkplatException.usage("--duration must be positive", "for example --duration 30s");
        }
        if (from.equals(to)) {
            throw MkplatException.usage(
                    "FROM and TO are both " + from + ": a component cannot be cut off from itself",
                    "for example: partition api auth");
        }
        PlatformConfig config = configOptions.load();
        List<ChaosTarget> targets = ChaosTarget.all(ManifestBundle.bundled(), config);
        ChaosTarget source = ChaosTarget.named(from, targets);
        Path workingDirectory = MkplatCommand.of(spec).environment().workingDirectory();
        PartitionRequest request = new PartitionRequest(
                source,
                ChaosTarget.named(to, targets),
                duration,
                dryRun,
                chaos.journal(),
                traffic.plan(source, IngressAccess.of(config, workingDirectory), workingDirectory));
        try (Cluster cluster = ChaosCluster.connect(kube.target(), chaos.allowRemote(), kube.trace())) {
            new NetworkPartition(cluster, Clock.systemUTC(), spec.commandLine().getOut(), workingDirectory)
                    .run(request);
        }
        return 0;
    }
}
