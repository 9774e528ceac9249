package dev.mkplat.cli;

import dev.mkplat.chaos.ChaosRevert;
import dev.mkplat.chaos.ChaosTarget;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.OutputFormat;
import dev.mkplat.deploy.PlatformStatus;
import dev.mkplat.kube.Cluster;
import dev.mkplat.render.ManifestBundle;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mkplat status}: one row per component; exit 1 when one is not healthy. */
@Command(
        name = "status",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Shows each component: namespace, ready/desired, restarts, age, image and URL.",
        description = {
            "",
            "Reads the cluster only: the platform's Deployments and StatefulSets, their pods and the Ingress",
            "hosts of mkplat.yaml. A component is healthy when all its desired replicas are ready. While a",
            "chaos experiment is in place (or a crashed one left something), a warning on stderr says so.",
            "",
            "Examples:",
            "  mkplat status",
            "  mkplat status -o json | jq '.components[] | select(.healthy | not)'",
        },
        footer = {
            "",
            "Exit codes: 0 every component healthy, 1 one is not (or the cluster failed), 2 bad usage or input."
        })
public final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    MkplatCommand root;

    @Mixin
    KubeOptions kube;

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        PlatformConfig config = configOptions.load();
        PrintWriter out = spec.commandLine().getOut();
        try (Cluster cluster = Cluster.connect(kube.target(), kube.trace())) {
            List<PlatformStatus.Row> rows =
                    new PlatformStatus(ManifestBundle.bundled(), Clock.systemUTC()).read(cluster, config);
            out.print(
                    output.format() == OutputFormat.TEXT
                            ? PlatformStatus.table(rows)
                            : PlatformStatus.structured(rows, output.format() == OutputFormat.YAML));
            out.flush();
            warnAboutChaos(cluster, config);
            return rows.stream().allMatch(PlatformStatus.Row::healthy) ? ExitCode.OK.code() : ExitCode.FAILED.code();
        }
    }

    /** While an experiment runs, or a crashed one left something, the platform is not as deployed: say so, on stderr. */
    private void warnAboutChaos(Cluster cluster, PlatformConfig config) {
        List<String> inPlace = new ChaosRevert(
                        cluster, ChaosRevert.namespaces(ChaosTarget.all(ManifestBundle.bundled(), config)))
                .inPlace();
        PrintWriter err = spec.commandLine().getErr();
        inPlace.forEach(line -> err.println("mkplat: warning: chaos in place: " + line));
        if (!inPlace.isEmpty()) {
            err.println("  hint: it ends by itself when its time is up; mkplat chaos revert undoes it now");
        }
        err.flush();
    }
}
