package dev.mkplat.cli;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.deploy.DeployReport;
import dev.mkplat.deploy.PlatformDestroy;
import dev.mkplat.kube.Cluster;
import dev.mkplat.render.ManifestBundle;
import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mkplat destroy}: confirm, then delete the platform in reverse order, keeping the data unless told. */
@Command(
        name = "destroy",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Removes the platform from the cluster (its data stays unless --purge-data).",
        description = {
            "",
            "Deletes what mkplat deployed, in reverse order, and waits until the namespaces are gone. Namespaces that",
            "hold PersistentVolumeClaims (db, infra) stay with their claims and the Secrets that protect the data, so",
            "a later deploy finds the data again. Asks for confirmation; without a terminal it needs --yes.",
            "",
        },
        footer = {"", "Exit codes: 0 ok, 1 the cluster refused, 2 bad usage (no --yes without a terminal), 4 timed out."
        })
public final class DestroyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    MkplatCommand root;

    @Mixin
    KubeOptions kube;

    @Mixin
    ConfigOptions configOptions;

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask for confirmation.")
    boolean yes;

    @Option(names = "--purge-data", description = "Also delete the PersistentVolumeClaims and the Secrets of the data.")
    boolean purgeData;

    @Option(
            names = "--timeout",
            paramLabel = "TIME",
            converter = DurationConverter.class,
            defaultValue = "3m",
            description = "How long to wait for the namespaces to go (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        PlatformConfig config = configOptions.load();
        PrintWriter out = spec.commandLine().getOut();
        Console console = root.environment().terminal() ? System.console() : null;
        if (!yes && console == null) {
            throw MkplatException.usage(
                    "destroy needs confirmation and there is no terminal to ask on", "pass --yes to confirm");
        }
        try (Cluster cluster = Cluster.connect(kube.target(), kube.trace())) {
            if (!yes) {
                String answer = console.readLine(
                        "Delete the mkplat platform%s from context '%s' (%s)? Type yes to confirm: ",
                        purgeData ? " AND ITS DATA" : "", cluster.context(), cluster.server());
                if (answer == null || !answer.strip().equalsIgnoreCase("yes")) {
                    out.println("destroy: cancelled, nothing was deleted");
                    return ExitCode.FAILED.code();
                }
            }
            DeployReport report =
                    new PlatformDestroy(ManifestBundle.bundled(), out).run(cluster, config, purgeData, timeout);
            out.println("destroy: " + report.summary());
        }
        return 0;
    }
}
