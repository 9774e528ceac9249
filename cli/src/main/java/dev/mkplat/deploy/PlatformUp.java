package dev.mkplat.deploy;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.images.ImagePinning;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.ClusterView;
import dev.mkplat.preflight.HostsFile;
import dev.mkplat.preflight.IngressAddress;
import dev.mkplat.render.ManifestBundle;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code mkplat up}: get a cluster (starting minikube or the local cluster when asked), make the certificates, deploy,
 * and tell the user where the platform is and what to try next.
 */
public final class PlatformUp {
    private final ManifestBundle bundle;
    private final PrintWriter out;
    private final Optional<String> cache;

    /** @param cache MKPLAT_CACHE, passed on to the local cluster's script */
    public PlatformUp(ManifestBundle bundle, PrintWriter out, Optional<String> cache) {
        this.bundle = bundle;
        this.out = out;
        this.cache = cache;
    }

    /**
     * @param connect     connects to the cluster the flags name, or to the kubeconfig given (the local cluster just started)
     * @param pinning     the image digests to pin on that cluster (rendering takes them as an input)
     * @param start       what to do when no cluster answers
     * @param afterDeploy the monitoring install (its exit code) for a kubeconfig, or empty when the user turned it off
     */
    public DeployReport run(
            Function<Optional<Path>, Cluster> connect,
            DeployRequest request,
            Function<Cluster, ImagePinning.Decision> pinning,
            LocalCluster.Options start,
            Optional<Function<Optional<Path>, Integer>> afterDeploy) {
        Connection connection = connectOrStart(connect, start);
        try (Cluster connected = connection.cluster()) {
            say("cluster: context '" + connected.context() + "' at " + connected.server() + " (Kubernetes "
                    + connected.serverVersion() + ")");
            certificates(request);
            DeployReport report = deploy(connected, request, pinning);
            monitoring(request, afterDeploy, connection.started());
            whereItIs(connected, request, connection.started());
            nextSteps();
            return report;
        }
    }

    /** The cluster, and the kubeconfig of the local cluster when this run started one. */
    private record Connection(Cluster cluster, Optional<Path> started) {}

    /** The cluster the flags name; when none answers, the one {@code start} says to start, or a failure that says how to get one. */
    private Connection connectOrStart(Function<Optional<Path>, Cluster> connect, LocalCluster.Options start) {
        try {
            return new Connection(connect.apply(Optional.empty()), Optional.empty());
        } catch (MkplatException unreachable) {
            if (unreachable.exitCode() != ExitCode.FAILED) {
                throw unreachable;
            }
            Optional<Path> started = startCluster(start, unreachable);
            return new Connection(connect.apply(started), started);
        }
    }

    /** Starts minikube or the local cluster as asked; the local cluster's kubeconfig when it was that one. */
    private Optional<Path> startCluster(LocalCluster.Options start, MkplatException unreachable) {
        return switch (start.start()) {
            case NONE ->
                throw new MkplatException(
                        ExitCode.FAILED, "no cluster: " + unreachable.getMessage(), start.howToGetOne());
            case MINIKUBE -> {
                if (!start.minikubeOnPath()) {
                    throw MkplatException.usage(
                            "--start-minikube needs minikube on PATH, and it is not there",
                            LocalCluster.howToGetOne(false));
                }
                LocalCluster.startMinikube(out);
                yield Optional.empty();
            }
            case LOCAL -> {
                start.localRefusal().ifPresent(why -> {
                    throw MkplatException.usage("--start-local: " + why, start.howToGetOne());
                });
                Path script = start.localScript()
                        .orElseThrow(() -> MkplatException.usage(
                                "--start-local needs a checkout of mkplat (its " + LocalCluster.LOCAL_SCRIPT
                                        + "), and mkplat does not run from one",
                                "git clone the repository and run scripts/mkplat up --start-local from it"));
                yield Optional.of(LocalCluster.startLocal(out, script, cache));
            }
        };
    }

    private void certificates(DeployRequest request) {
        PlatformPlan.Certificate certificate =
                PlatformPlan.certificate(request.certsRoot(), request.config(), Clock.systemUTC());
        say("certificates: CA " + certificate.outcome().ca().action().word() + ", server certificate "
                + certificate.outcome().server().action().word() + " in "
                + certificate.outcome().directory());
    }

    private DeployReport deploy(
            Cluster connected, DeployRequest request, Function<Cluster, ImagePinning.Decision> pinning) {
        ImagePinning.Decision pinned = pinning.apply(connected);
        pinned.notes().forEach(this::say);
        DeployReport report = new PlatformDeploy(bundle, out)
                .run(
                        connected,
                        request.withScope(PlatformScope.choose(
                                bundle, request.config(), request.scope().requested(), pinned.pins())));
        say("deploy: " + report.summary());
        return report;
    }

    private void monitoring(
            DeployRequest request, Optional<Function<Optional<Path>, Integer>> afterDeploy, Optional<Path> started) {
        if (!request.config().monitoring().enabled()) {
            return;
        }
        if (afterDeploy.isPresent()) {
            int exit = afterDeploy.get().apply(started);
            if (exit != 0) {
                say("warning: mkplat monitor install exited " + exit + "; the platform runs, monitoring may not");
            }
        } else {
            say("monitoring: skipped (--no-monitoring); mkplat monitor install adds it later");
        }
    }

    /** The URLs, the hosts line for the ingress, and the local cluster's kubeconfig. */
    private void whereItIs(Cluster connected, DeployRequest request, Optional<Path> started) {
        List<String> hosts = request.config().hosts().all();
        ClusterView view = new ClusterView(connected);
        IngressAddress address = IngressAddress.find(
                connected.context(), view.ingressAddress(List.of("api", "auth", "images")), IngressAddress::run);
        say("");
        say("The platform is up:");
        for (String name : List.of("api", "auth", "images")) {
            view.ingressUrls(name).forEach(url -> say("  " + name + ": " + url));
        }
        if (request.config().monitoring().enabled()) {
            // Grafana's Ingress comes with kube-prometheus-stack: only a URL that answers is printed.
            List<String> grafana = view.ingressUrls("monitoring");
            if (grafana.isEmpty()) {
                say("  grafana: not installed (kube-prometheus-stack "
                        + request.config().monitoring().chartVersion() + " brings it; see README, Monitoring)");
            }
            grafana.forEach(url -> say("  grafana: " + url));
        }
        say("Point the hosts at the ingress (" + address.source() + "), in /etc/hosts:");
        say("  " + HostsFile.line(address.address(), hosts));
        say("  (mkplat init --write-hosts adds it for you; mkplat certs trust makes browsers trust the certificate)");
        started.ifPresent(kubeconfig -> {
            say("The local cluster's kubeconfig is " + kubeconfig + "; for mkplat and kubectl in this shell:");
            say("  export KUBECONFIG=" + kubeconfig);
        });
    }

    private void nextSteps() {
        say("Next:");
        say("  mkplat status                              # every component, ready/desired, URLs");
        say("  mkplat traffic --rps 20 --duration 30s     # put some load on it");
        say("  mkplat diff                                # what a deploy would change");
        say("  mkplat destroy                             # remove it (the data stays unless --purge-data)");
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
