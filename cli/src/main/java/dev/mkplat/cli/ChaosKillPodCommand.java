package dev.mkplat.cli;

import dev.mkplat.chaos.ChaosCluster;
import dev.mkplat.chaos.ChaosTarget;
import dev.mkplat.chaos.IngressAccess;
import dev.mkplat.chaos.KillPod;
import dev.mkplat.chaos.KillPodRequest;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.MkplatException;
import dev.mkplat.kube.Cluster;
import dev.mkplat.render.ManifestBundle;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mkplat chaos kill-pod}: validate, build a {@link KillPodRequest}, run {@link KillPod}. */
@Command(
        name = "kill-pod",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Kills ready pods of a component at random and measures how long it takes to recover.",
        description = {
            "",
            "Picks --count Ready pods of the component at random, refuses a kill that would break its",
            "PodDisruptionBudget or leave it without a ready pod (unless --force), deletes them (--grace 0:",
            "at once), then watches until the component is back at its desired ready count. The report lists",
            "the pods killed and their replacements, with three times: until the replacement existed, until",
            "it was Ready, and the total recovery from the first kill.",
            "",
        },
        footer = {
            "",
            "Examples:",
            "  mkplat chaos kill-pod api",
            "  mkplat chaos kill-pod auth --count 2 --interval 10s --dry-run",
            "  mkplat chaos kill-pod postgres --force      # its only pod: the database is down until it is back",
            "  mkplat chaos kill-pod api --with-traffic --rps 50 --steady 'errors<1%%'",
            "  mkplat chaos kill-pod postgres --force --verify-data   # an item written before is read back after",
            "",
            "Exit codes: 0 recovered within --timeout, 1 refused or failed (also: the steady state did not hold before",
            "or after, or the marker was lost), 2 bad usage or unknown component, 3 the context is not local,",
            "4 not recovered within --timeout (under --with-traffic: also the error rate not back at baseline).",
        })
public final class ChaosKillPodCommand implements Callable<Integer> {
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

    @Parameters(paramLabel = "COMPONENT", description = "api, auth, images, postgres, redis or gcs-emulator.")
    String component;

    @Option(
            names = "--count",
            paramLabel = "N",
            defaultValue = "1",
            description = "How many ready pods to kill (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(
            names = "--interval",
            paramLabel = "TIME",
            defaultValue = "0s",
            converter = DurationConverter.class,
            description = "Pause between two kills (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(
            names = "--grace",
            paramLabel = "SECONDS",
            defaultValue = "0",
            description =
                    "Termination grace period of the killed pods; 0 removes them at once (default: ${DEFAULT-VALUE}).")
    long grace;

    @Option(names = "--dry-run", description = "Print which pods would die and whether it is safe; change nothing.")
    boolean dryRun;

    @Option(names = "--force", description = "Kill even when it breaks the PodDisruptionBudget or leaves no ready pod.")
    boolean force;

    @Option(
            names = "--timeout",
            paramLabel = "TIME",
            defaultValue = "120s",
            converter = DurationConverter.class,
            description = "How long after the last kill the component has to recover (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--verify-data",
            description =
                    "Write an item through api before the kill and check after the recovery that it is still there "
                            + "(meant for postgres).")
    boolean verifyData;

    @Override
    public Integer call() {
        if (count < 1) {
            throw MkplatException.usage("--count must be at least 1, was " + count, "for example --count 1");
        }
        if (grace < 0 || interval.isNegative() || timeout.isZero() || timeout.isNegative()) {
            throw MkplatException.usage(
                    "--grace and --interval cannot be negative and --timeout must be positive",
                    "for example --grace 0 --interval 5s --timeout 120s");
        }
        PlatformConfig config = configOptions.load();
        ChaosTarget target = ChaosTarget.named(component, ChaosTarget.all(ManifestBundle.bundled(), config));
        Path workingDirectory = MkplatCommand.of(spec).environment().workingDirectory();
        IngressAccess ingress = IngressAccess.of(config, workingDirectory);
        KillPodRequest request = new KillPodRequest(
                target,
                count,
                interval,
                Duration.ofSeconds(grace),
                dryRun,
                force,
                timeout,
                chaos.journal(),
                traffic.plan(target, ingress, workingDirectory),
                verifyData ? Optional.of(ingress) : Optional.empty());
        try (Cluster cluster = ChaosCluster.connect(kube.target(), chaos.allowRemote(), kube.trace())) {
            new KillPod(
                            cluster,
                            Clock.systemUTC(),
                            new SecureRandom(),
                            spec.commandLine().getOut(),
                            workingDirectory)
                    .run(request);
        }
        return 0;
    }
}
