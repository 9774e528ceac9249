package dev.mkplat.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The top-level {@code mkplat} command; without a subcommand it prints the help. */
@Command(name = "mkplat",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Installs a small, secure, observable microservices platform on Kubernetes.",
        description = {
            "",
            "mkplat stands up three services (api, auth, images) with Postgres, Redis, TLS ingress,",
            "network policies, autoscaling and monitoring, then drives traffic at them and breaks",
            "them on purpose.",
        },
        footer = {
            "",
            "Exit codes: 0 ok, 1 operation failed, 2 bad usage or input, 3 preflight failed, 4 timed out.",
        })
public final class MkplatCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Show stack traces and the calls made to the cluster.")
    boolean verbose;

    @Option(names = "--no-color", scope = ScopeType.INHERIT,
            description = "Plain output without colors (also when NO_COLOR is set).")
    boolean noColor;

    public boolean verbose() {
        return verbose;
    }

    public boolean color() {
        return !noColor && System.getenv("NO_COLOR") == null;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}
