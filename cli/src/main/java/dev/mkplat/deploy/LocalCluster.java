package dev.mkplat.deploy;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.io.File;

/** Starting a local cluster for {@code up --start-minikube}: minikube with the addons the platform needs. */
public final class LocalCluster {
    /** What {@code up --start-minikube} runs: ingress for the hosts, metrics-server for the autoscalers. */
    public static final List<String> MINIKUBE_START = List.of("minikube", "start", "--driver=docker", "--addons=ingress",
            "--addons=metrics-server");

    private LocalCluster() {
    }

    /** The minikube executable on {@code PATH}, if there is one. */
    public static Optional<Path> minikube(Optional<String> path) {
        for (String directory : path.orElse("").split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "minikube"))) {
                return Optional.of(Path.of(directory, "minikube"));
            }
        }
        return Optional.empty();
    }

    /** Runs {@link #MINIKUBE_START} with its output shown as it comes. */
    public static void startMinikube(PrintWriter out) {
        out.println("starting minikube: " + String.join(" ", MINIKUBE_START));
        out.flush();
        try {
            int exit = new ProcessBuilder(MINIKUBE_START).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new MkplatException(ExitCode.FAILED, "minikube start failed (exit " + exit + ")",
                        "see minikube's messages above; minikube delete and a retry often help");
            }
        } catch (IOException e) {
            throw new MkplatException(ExitCode.FAILED, "cannot run minikube: " + e.getMessage(), "check that minikube is installed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MkplatException(ExitCode.FAILED, "interrupted while minikube was starting", null, e);
        }
    }

    /** How to get a cluster, exactly, for the message of {@code up} without one. */
    public static String howToGetOne(boolean minikubeOnPath) {
        return minikubeOnPath
                ? "minikube is installed: run mkplat up --start-minikube (it runs " + String.join(" ", MINIKUBE_START) + ")"
                : "install minikube (https://minikube.sigs.k8s.io/docs/start/) and run mkplat up --start-minikube; "
                        + "or create any local cluster (kind create cluster; in this repository: scripts/test-cluster up) "
                        + "and pass its kubeconfig with --kubeconfig";
    }
}
