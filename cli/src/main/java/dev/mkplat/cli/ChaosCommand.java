package dev.mkplat.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mkplat chaos}: faults injected on purpose, with the recovery measured. Without a subcommand it prints the help. */
@Command(
        name = "chaos",
        usageHelpAutoWidth = true,
        header = "Breaks the platform on purpose, safely, and measures how it recovers.",
        description = {
            "",
            "Every experiment works only on a local cluster (unless --allow-remote) and only on objects labelled",
            "app.kubernetes.io/part-of=mkplat; refuses what would break a PodDisruptionBudget or take the last",
            "ready pod (unless --force); runs one at a time per component (a Lease mkplat-chaos-<component>);",
            "shows its plan and changes nothing with --dry-run; undoes itself when its time is up or on Ctrl-C",
            "(chaos revert undoes what a crashed run left); and writes a JSON journal (--journal FILE, by",
            "default .mkplat/chaos/<time>-<experiment>-<target>.json).",
            "",
        },
        subcommands = {
            ChaosKillPodCommand.class,
            ChaosPartitionCommand.class,
            ChaosStopCommand.class,
            ChaosRevertCommand.class
        },
        footer = {
            "",
            "Examples:",
            "  mkplat chaos kill-pod api                     # one random ready api pod; report the recovery",
            "  mkplat chaos kill-pod auth --count 2 --interval 5s --dry-run",
            "  mkplat chaos partition api auth --duration 30s   # NetworkPolicies; needs a plugin that enforces them",
            "  mkplat chaos stop redis --duration 20s           # scaled to 0 and back",
            "  mkplat chaos revert                              # undo what a crashed run left",
        })
public final class ChaosCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
