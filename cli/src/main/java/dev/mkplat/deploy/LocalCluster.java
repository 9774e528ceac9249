package dev.mkplat.deploy;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Starting a local cluster when {@code up} finds none: minikube with the addons the platform needs
 * ({@code --start-minikube}), or this checkout's single-node cluster with a real node
 * ({@code --start-local}: {@code scripts/test-cluster up --real-node}, for Linux and root).
 */
public final class LocalCluster {
    /** What {@code up --start-minikube} runs: ingress for the hosts, metrics-server for the autoscalers. */
    public static final List<String> MINIKUBE_START =
            List.of("minikube", "start", "--driver=docker", "--addons=ingress", "--addons=metrics-server");

    /** The name of the cluster {@code --start-local} makes; {@code .ci/run} uses the same one. */
    public static final String LOCAL_CLUSTER_NAME = "mkplat-local";
    /** Its script, relative to the checkout. */
    public static final String LOCAL_SCRIPT = "scripts/test-cluster";

    private LocalCluster() {}

    /** How {@code up} may get a cluster when none answers. */
    public enum Start {
        /** It does not: it says how. */
        NONE,
        /** {@code --start-minikube}. */
        MINIKUBE,
        /** {@code --start-local}. */
        LOCAL
    }

    /**
     * What this machine offers.
     *
     * @param minikubeOnPath whether minikube is installed
     * @param localScript    the checkout's {@link #LOCAL_SCRIPT}, when mkplat runs from a checkout
     * @param localRefusal   why {@code --start-local} cannot run here (not Linux, not root), if it cannot
     */
    public record Options(
            Start start, boolean minikubeOnPath, Optional<Path> localScript, Optional<String> localRefusal) {
        /** How to get a cluster, exactly, for the message of {@code up} without one. */
        public String howToGetOne() {
            String local = localScript.isPresent() && localRefusal.isEmpty()
                    ? "; or mkplat up --start-local (a single-node cluster on this machine, from " + LOCAL_SCRIPT
                            + " up --real-node)"
                    : "";
            return LocalCluster.howToGetOne(minikubeOnPath) + local;
        }
    }

    /** Whether this process may start the local cluster: Linux, and root (it runs containers, changes iptables). */
    public static Optional<String> localRefusal(String osName, long uid) {
        if (!osName.toLowerCase(java.util.Locale.ROOT).startsWith("linux")) {
            return Optional.of("the local cluster runs on Linux only (this is " + osName + "); use --start-minikube");
        }
        if (uid != 0) {
            return Optional.of(
                    "the local cluster needs root: it runs containers and changes iptables, mounts and cgroups "
                            + "(sudo mkplat up --start-local, or --start-minikube)");
        }
        return Optional.empty();
    }

    /** This process's user id, from {@code /proc/self} (Linux); -1 where that cannot be read. */
    public static long uid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException unknown) {
            return -1;
        }
    }

    /**
     * Runs {@code scripts/test-cluster up --real-node} for the cluster {@link #LOCAL_CLUSTER_NAME},
     * its progress indented under a line that says how long a first start takes.
     *
     * @return the kubeconfig of the started cluster (the script's last line)
     */
    public static Path startLocal(PrintWriter out, Path script, Optional<String> cache) {
        List<String> command = List.of(script.toString(), "up", "--real-node");
        out.println("starting the local cluster '" + LOCAL_CLUSTER_NAME + "': " + LOCAL_SCRIPT + " up --real-node");
        out.println(
                "  (the first time builds Kubernetes, containerd's node parts, CoreDNS, Traefik and kube-router from their Go");
        out.println("  modules into ~/.cache/mkplat: tens of minutes on 2 cores; afterwards about a minute)");
        out.flush();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("MKPLAT_TEST_CLUSTER_NAME", LOCAL_CLUSTER_NAME);
        cache.ifPresent(root -> builder.environment().put("MKPLAT_CACHE", root));
        String last = "";
        try {
            Process process = builder.start();
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    out.println("  " + line);
                    out.flush();
                    if (!line.isBlank()) {
                        last = line.strip();
                    }
                }
            }
            int exit = process.waitFor();
            if (exit != 0) {
                throw new MkplatException(
                        ExitCode.FAILED,
                        "starting the local cluster failed (" + LOCAL_SCRIPT + " exited " + exit + ")",
                        "see its messages above; " + LOCAL_SCRIPT + " down, then a retry, starts it afresh");
            }
        } catch (IOException e) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    "cannot run " + script + ": " + e.getMessage(),
                    "run it from a checkout of mkplat",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MkplatException(ExitCode.FAILED, "interrupted while the local cluster was starting", null, e);
        }
        Path kubeconfig = Path.of(last);
        if (!Files.isRegularFile(kubeconfig)) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    LOCAL_SCRIPT + " ended without naming its kubeconfig (last line: " + last + ")",
                    "run " + LOCAL_SCRIPT + " env to see it");
        }
        return kubeconfig;
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
                throw new MkplatException(
                        ExitCode.FAILED,
                        "minikube start failed (exit " + exit + ")",
                        "see minikube's messages above; minikube delete and a retry often help");
            }
        } catch (IOException e) {
            throw new MkplatException(
                    ExitCode.FAILED, "cannot run minikube: " + e.getMessage(), "check that minikube is installed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MkplatException(ExitCode.FAILED, "interrupted while minikube was starting", null, e);
        }
    }

    /** How to get a cluster, exactly, for the message of {@code up} without one. */
    public static String howToGetOne(boolean minikubeOnPath) {
        return minikubeOnPath
                ? "minikube is installed: run mkplat up --start-minikube (it runs " + String.join(" ", MINIKUBE_START)
                        + ")"
                : "install minikube (https://minikube.sigs.k8s.io/docs/start/) and run mkplat up --start-minikube; "
                        + "or create any local cluster (kind create cluster; in this repository: scripts/test-cluster up) "
                        + "and pass its kubeconfig with --kubeconfig";
    }
}
