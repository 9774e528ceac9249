package dev.mkplat.cli;

import dev.mkplat.chaos.ChaosCluster;
import dev.mkplat.chaos.ChaosRevert;
import dev.mkplat.chaos.ChaosTarget;
import dev.mkplat.kube.Cluster;
import dev.mkplat.render.ManifestBundle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mkplat chaos revert}: undoes whatever chaos left in the cluster. */
@Command(
        name = "revert",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Undoes what chaos experiments left behind: partitions, stopped components, locks.",
        description = {
            "",
            "An experiment undoes itself when its time is up or on Ctrl-C. A run that crashed (or was killed with",
            "SIGKILL) leaves its marks: chaos NetworkPolicies with the copies of the policies they set aside,",
            "workloads annotated with the replicas they had, and Leases mkplat-chaos-<component>. This finds them",
            "all and puts the platform back. It also removes the lock of an experiment still running elsewhere.",
            "",
        },
        footer = {"", "Exit codes: 0 reverted (or nothing to revert), 1 failed, 3 the context is not local."})
public final class ChaosRevertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--allow-remote", description = "Accept a context that is not a local cluster.")
    boolean allowRemote;

    @Option(names = "--dry-run", description = "List what would be reverted; change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        var namespaces = ChaosRevert.namespaces(ChaosTarget.all(ManifestBundle.bundled(), configOptions.load()));
        try (Cluster cluster = ChaosCluster.connect(kube.target(), allowRemote, kube.trace())) {
            new ChaosRevert(cluster, namespaces).revert(spec.commandLine().getOut(), dryRun);
        }
        return 0;
    }
}
