package dev.mkplat.cli;

import dev.mkplat.kube.Cluster;
import dev.mkplat.monitor.MonitoringStack;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.render.StackChart;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mkplat monitor uninstall}: the kube-prometheus-stack release removed through the embedded Helm. */
@Command(
        name = "uninstall",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Uninstalls the kube-prometheus-stack release.",
        description = {
            "",
            "Keeps the monitoring namespace, mkplat's objects in it (Grafana's Secret, the ServiceMonitors, the",
            "dashboards; mkplat destroy removes them) and the chart's CRDs (Helm never deletes CRDs: that would",
            "delete every ServiceMonitor and Prometheus of the cluster with them).",
            "",
        },
        footer = {
            "",
            "Exit codes: 0 ok (also when there was nothing to uninstall), 1 Helm or the cluster failed, 2 bad usage."
        })
public final class MonitorUninstallCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Override
    public Integer call() {
        try (Cluster cluster = Cluster.connect(kube.target(), kube.trace())) {
            new MonitoringStack(
                            ManifestBundle.bundled(),
                            StackChart.bundled(),
                            spec.commandLine().getOut())
                    .uninstall(cluster, kube.target());
        }
        return 0;
    }
}
