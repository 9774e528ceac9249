package dev.mkplat.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mkplat monitor}: kube-prometheus-stack and the proof that it scrapes the platform. Without a subcommand it prints the help. */
@Command(
        name = "monitor",
        usageHelpAutoWidth = true,
        header = "Installs kube-prometheus-stack through the embedded Helm and shows what it scrapes.",
        description = {
            "",
            "Helm runs inside mkplat (helm-java: Helm's own code as a library), so no helm binary is needed.",
            "The chart is kube-prometheus-stack at monitoring.chartVersion of mkplat.yaml, with the bundled values",
            "(manifests/monitoring/kube-prometheus-stack/values.yaml) and Grafana's generated admin Secret.",
            "",
        },
        subcommands = {
            MonitorInstallCommand.class,
            MonitorUninstallCommand.class,
            MonitorTargetsCommand.class,
            MonitorOpenCommand.class,
            MonitorStatusCommand.class
        },
        footer = {
            "",
            "Examples:",
            "  mkplat monitor install                          # install, or upgrade when the version or values changed",
            "  mkplat monitor install --values my-values.yaml  # your values over the bundled ones",
            "  mkplat monitor install --chart kube-prometheus-stack-75.13.0.tgz   # air-gapped: a downloaded chart",
            "  mkplat monitor uninstall",
        })
public final class MonitorCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
