package dev.mkplat.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** What every chaos experiment takes: whether a remote cluster is allowed, and where the journal goes. */
public final class ChaosOptions {
    @Option(
            names = "--allow-remote",
            description =
                    "Accept a context that is not a local cluster (minikube, kind-*, k3d-*, docker-desktop, kwok-*).")
    boolean allowRemote;

    @Option(
            names = "--journal",
            paramLabel = "FILE",
            description = "Write the JSON journal here (default: .mkplat/chaos/<time>-<experiment>-<target>.json).")
    Path journal;

    public boolean allowRemote() {
        return allowRemote;
    }

    public Optional<Path> journal() {
        return Optional.ofNullable(journal);
    }
}
