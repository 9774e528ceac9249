package dev.mkplat.cli;

import dev.mkplat.core.Environment;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top-level {@code mkplat} command; without a subcommand it prints the help. */
@Command(
        name = "mkplat",
        mixinStandardHelpOptions = true,
        // -h/--help and -V/--version reach every subcommand by inheritance: cheaper at start-up than
        // a reflected mixin per command (docs/BENCHMARKS.md "## cli startup").
        scope = ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        // The subcommands are added by Cli, which builds only the one that runs (Cli.SUBCOMMANDS).
        header = "Installs a small, secure, observable microservices platform on Kubernetes.",
        description = {
            "",
            "mkplat stands up three services (api, auth, images) with Postgres, Redis, TLS ingress, "
                    + "network policies, autoscaling and monitoring, then drives traffic at them and breaks "
                    + "them on purpose.",
        },
        footer = {
            "",
            "Getting started:",
            "  mkplat init                      check the cluster and write a commented mkplat.yaml",
            "  mkplat up                        certificates, deploy, wait; prints the URLs",
            "  mkplat status                    what runs, and whether it is ready",
            "  mkplat traffic --rps 50          put load on it and read the latencies",
            "  mkplat destroy                   remove it (the data stays unless --purge-data)",
            "",
            "Each command has --help with examples. Global options: --kubeconfig, --context, --config.",
            "Exit codes: 0 ok, 1 operation failed, 2 bad usage or input, 3 preflight failed, 4 timed out.",
        })
public final class MkplatCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = {"-v", "--verbose"},
            scope = ScopeType.INHERIT,
            description = "Show stack traces and the calls made to the cluster.")
    boolean verbose;

    @Option(
            names = "--no-color",
            scope = ScopeType.INHERIT,
            description = "Plain output without colors (also when NO_COLOR is set).")
    boolean noColor;

    private final Environment environment;

    MkplatCommand(Environment environment) {
        this.environment = environment;
    }

    public boolean verbose() {
        return verbose;
    }

    /** Whether output may use ANSI colors: only on a terminal, not with --no-color, not when NO_COLOR is set (no-color.org). */
    public boolean color() {
        return environment.terminal()
                && !noColor
                && environment.variable("NO_COLOR").isEmpty();
    }

    /** The working directory, home and environment variables the commands work in. */
    public Environment environment() {
        return environment;
    }

    /** The root command of the command line that {@code spec} belongs to: commands and mixins reach the shared state through it. */
    static MkplatCommand of(CommandSpec spec) {
        return (MkplatCommand) spec.root().userObject();
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}
