package dev.mkplat.cli;

import dev.mkplat.kube.KubeTarget;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --kubeconfig} and {@code --context}: which cluster a command talks to. Mixed into every command that does. */
public final class KubeOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
            names = "--kubeconfig",
            paramLabel = "FILE",
            description = "Kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config).")
    Path kubeconfig;

    @Option(
            names = "--context",
            paramLabel = "NAME",
            description = "Kubeconfig context to use (default: the current context).")
    String context;

    public Optional<Path> kubeconfig() {
        return Optional.ofNullable(kubeconfig);
    }

    public Optional<String> context() {
        return Optional.ofNullable(context);
    }

    /** The cluster named by the flags, a relative --kubeconfig taken from the working directory. */
    public KubeTarget target() {
        MkplatCommand root = MkplatCommand.of(mixee);
        return new KubeTarget(kubeconfig().map(root.environment()::resolve), context());
    }

    /** Where to print API calls: stderr with --verbose, nowhere otherwise. */
    public Optional<PrintWriter> trace() {
        return MkplatCommand.of(mixee).verbose()
                ? Optional.of(mixee.commandLine().getErr())
                : Optional.empty();
    }
}
