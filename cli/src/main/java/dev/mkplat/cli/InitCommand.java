package dev.mkplat.cli;

import dev.mkplat.check.CheckReport;
import dev.mkplat.check.CheckRunner;
import dev.mkplat.config.DefaultConfigFile;
import dev.mkplat.core.OutputFormat;
import dev.mkplat.preflight.HostsFile;
import dev.mkplat.preflight.IngressAddress;
import dev.mkplat.preflight.PreflightChecks;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mkplat init}: write mkplat.yaml when there is none, then check that the cluster can take the platform. */
@Command(
        name = "init",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Writes a commented mkplat.yaml when there is none and checks that the cluster is ready.",
        description = {
            "",
            "Checks: the context is a local cluster (minikube, kind-*, k3d-*, docker-desktop, kwok-*), the API answers",
            "and is 1.27 or newer, RBAC allows applying every object, a default StorageClass exists; warns when",
            "ingress-nginx, metrics-server or the ServiceMonitor CRD is missing; prints the hosts-file line.",
            "",
        },
        footer = {"", "Exit codes: 0 ready (warnings allowed), 2 bad mkplat.yaml or flags, 3 a required check failed."})
public final class InitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    KubeOptions kube;

    @Mixin
    OutputOptions output;

    @Option(
            names = "--force",
            description =
                    "Replace an existing mkplat.yaml with the commented defaults (the old one goes to mkplat.yaml.bak).")
    boolean force;

    @Option(names = "--allow-remote", description = "Accept a context that is not a local cluster.")
    boolean allowRemote;

    @Option(
            names = "--write-hosts",
            description = "Add the platform's line to the hosts file (idempotent; backup first).")
    boolean writeHosts;

    @Option(
            names = "--hosts-file",
            paramLabel = "FILE",
            description = "Hosts file to check and write (default: /etc/hosts).")
    Path hostsFile;

    @Override
    public Integer call() {
        DefaultConfigFile.Initialized initialized =
                DefaultConfigFile.initialize(configOptions.path(), configOptions.shownPath(), force);
        MkplatCommand root = MkplatCommand.of(spec);
        PrintWriter out = spec.commandLine().getOut();
        boolean text = output.format() == OutputFormat.TEXT;
        (text ? out : spec.commandLine().getErr())
                .println(configNote(initialized.written(), configOptions.shownPath()));
        Path hosts = hostsFile == null ? HostsFile.system() : root.environment().resolve(hostsFile);
        PreflightChecks.Request request = new PreflightChecks.Request(
                initialized.config(), kube.target(), allowRemote, hosts, writeHosts, kube.trace(), IngressAddress::run);
        try (PreflightChecks preflight = new PreflightChecks(request)) {
            CheckReport report = CheckRunner.run(preflight.checks(), result -> {
                if (text) {
                    out.print(CheckReport.line(result, root.color()));
                    out.flush();
                }
            });
            out.print(text ? report.summary(root.color()) : report.render(output.format(), false));
            out.flush();
            return report.exitCode().code();
        }
    }

    private static String configNote(DefaultConfigFile.Written written, Path shown) {
        return switch (written) {
            case WRITTEN -> "wrote " + shown + " (commented defaults: edit it, then run mkplat init again)";
            case KEPT -> "using " + shown;
            case REPLACED -> "replaced " + shown + " with the commented defaults (the old one is " + shown + ".bak)";
        };
    }
}
