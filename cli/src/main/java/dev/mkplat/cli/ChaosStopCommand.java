package dev.mkplat.cli;

import dev.mkplat.chaos.ChaosCluster;
import dev.mkplat.chaos.ChaosTarget;
import dev.mkplat.chaos.DependencyStop;
import dev.mkplat.chaos.IngressAccess;
import dev.mkplat.chaos.StopRequest;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.MkplatException;
import dev.mkplat.kube.Cluster;
import dev.mkplat.render.ManifestBundle;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mkplat chaos stop}: validate, build a {@link StopRequest}, run {@link DependencyStop}. */
@Command(
        name = "stop",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Takes a dependency away (scaled to 0) for a while, then brings it back and times its return.",
        description = {
            "",
            "Scales the component to 0 replicas, after writing the count it had into the annotation",
            "mkplat.dev/chaos-replicas of its workload. When --duration is up, or on Ctrl-C, it scales back to that",
            "count and waits until the pods are ready again; after a crash, the next run or mkplat chaos revert",
            "restores it. A HorizontalPodAutoscaler pauses while its target is at 0 and is left as it is.",
            "Meant for postgres, redis and gcs-emulator: the services should answer 503 with Retry-After meanwhile.",
            "",
        },
        footer = {
            "",
            "Examples:",
            "  mkplat chaos stop redis --duration 20s",
            "  mkplat chaos stop postgres --dry-run",
            "  mkplat chaos stop redis --duration 20s --with-traffic --scenario auth   # error rate and p99 before, during, after",
            "",
            "Exit codes: 0 back and ready within --timeout, 1 refused or failed (also: under --with-traffic, the steady",
            "state did not hold before or after), 2 bad usage or unknown component, 3 the context is not local,",
            "4 not ready again within --timeout (under --with-traffic: also the error rate not back at baseline).",
        })
public final class ChaosStopCommand implements Callable<Integer> {
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

    @Parameters(
            paramLabel = "COMPONENT",
            description = "postgres, redis or gcs-emulator (or a service: api, auth, images).")
    String component;

    @Option(
            names = "--duration",
            paramLabel = "TIME",
            defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How long it stays away (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--timeout",
            paramLabel = "TIME",
            defaultValue = "120s",
            converter = DurationConverter.class,
            description = "How long it has to be ready again once scaled back (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--dry-run", description = "Print what would be scaled; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        if (duration.isZero() || duration.isNegative() || timeout.isZero() || timeout.isNegative()) {
            throw MkplatException.usage(
                    "--duration and --timeout must be positive", "for example --duration 20s --timeout 120s");
        }
        PlatformConfig config = configOptions.load();
        ChaosTarget target = ChaosTarget.named(component, ChaosTarget.all(ManifestBundle.bundled(), config));
        Path workingDirectory = MkplatCommand.of(spec).environment().workingDirectory();
        StopRequest request = new StopRequest(
                target,
                duration,
                timeout,
                dryRun,
                chaos.journal(),
                traffic.plan(target, IngressAccess.of(config, workingDirectory), workingDirectory));
        try (Cluster cluster = ChaosCluster.connect(kube.target(), chaos.allowRemote(), kube.trace())) {
            new DependencyStop(cluster, Clock.systemUTC(), spec.commandLine().getOut(), workingDirectory).run(request);
        }
        return 0;
    }
}
