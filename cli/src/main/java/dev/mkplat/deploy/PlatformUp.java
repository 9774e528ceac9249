package dev.mkplat.deploy;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.images.ImagePinning;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.ClusterView;
import dev.mkplat.preflight.HostsFile;
import dev.mkplat.preflight.IngressAddress;
import dev.mkplat.render.ManifestBundle;

/**
 * {@code mkplat up}: get a cluster (starting minikube when asked), make the certificates, deploy,
 * and tell the user where the platform is and what to try next.
 */
public final class PlatformUp {
    private final ManifestBundle bundle;
    private final PrintWriter out;

    public PlatformUp(ManifestBundle bundle, PrintWriter out) {
        this.bundle = bundle;
        this.out = out;
    }

    /**
     * @param connect        connects to the cluster the flags name
     * @param pinning        the image digests to pin on that cluster (rendering takes them as an input)
     * @param startMinikube  whether to start minikube when no cluster answers
     * @param minikubeOnPath whether minikube is installed
     * @param afterDeploy    the monitoring install (its exit code), or empty when the user turned it off
     */
    public DeployReport run(Supplier<Cluster> connect, DeployRequest request, Function<Cluster, ImagePinning.Decision> pinning,
                            boolean startMinikube, boolean minikubeOnPath,
                            Optional<Supplier<Integer>> afterDeploy) {
        Cluster cluster;
        try {
            cluster = connect.get();
        } catch (MkplatException unreachable) {
            if (unreachable.exitCode() != ExitCode.FAILED) {
                throw unreachable;
            }
            if (!startMinikube) {
                throw new MkplatException(ExitCode.FAILED, "no cluster: " + unreachable.getMessage(), LocalCluster.howToGetOne(minikubeOnPath));
            }
            if (!minikubeOnPath) {
                throw MkplatException.usage("--start-minikube needs minikube on PATH, and it is not there", LocalCluster.howToGetOne(false));
            }
            LocalCluster.startMinikube(out);
            cluster = connect.get();
        }
        try (Cluster connected = cluster) {
            say("cluster: context '" + connected.context() + "' at " + connected.server() + " (Kubernetes " + connected.serverVersion() + ")");
            PlatformPlan.Certificate certificate = PlatformPlan.certificate(request.certsRoot(), request.config(), Clock.systemUTC());
            say("certificates: CA " + certificate.outcome().ca().action().word() + ", server certificate "
                    + certificate.outcome().server().action().word() + " in " + certificate.outcome().directory());
            ImagePinning.Decision pinned = pinning.apply(connected);
            pinned.notes().forEach(this::say);
            DeployReport report = new PlatformDeploy(bundle, out).run(connected, request.withScope(
                    PlatformScope.choose(bundle, request.config(), request.scope().requested(), pinned.pins())));
            say("deploy: " + report.summary());
            if (request.config().monitoring().enabled()) {
                if (afterDeploy.isPresent()) {
                    int exit = afterDeploy.get().get();
                    if (exit != 0) {
                        say("warning: mkplat monitor install exited " + exit + "; the platform runs, monitoring may not");
                    }
                } else {
                    say("monitoring: skipped (--no-monitoring); mkplat monitor install adds it later");
                }
            }
            List<String> hosts = request.config().hosts().all();
            ClusterView view = new ClusterView(connected);
            IngressAddress address = IngressAddress.find(connected.context(), view.ingressAddress(List.of("api", "auth", "images")),
                    IngressAddress::run);
            say("");
            say("The platform is up:");
            for (String name : List.of("api", "auth", "images")) {
                view.ingressUrls(name).forEach(url -> say("  " + name + ": " + url));
            }
            if (request.config().monitoring().enabled()) {
                // Grafana's Ingress comes with kube-prometheus-stack: only a URL that answers is printed.
                List<String> grafana = view.ingressUrls("monitoring");
                if (grafana.isEmpty()) {
                    say("  grafana: not installed (kube-prometheus-stack " + request.config().monitoring().chartVersion()
                            + " brings it; see README, Monitoring)");
                }
                grafana.forEach(url -> say("  grafana: " + url));
            }
            say("Point the hosts at the ingress (" + address.source() + "), in /etc/hosts:");
            say("  " + HostsFile.line(address.address(), hosts));
            say("  (mkplat init --write-hosts adds it for you; mkplat certs trust makes browsers trust the certificate)");
            say("Next:");
            say("  mkplat status                              # every component, ready/desired, URLs");
            say("  mkplat traffic --rps 20 --duration 30s     # put some load on it");
            say("  mkplat diff                                # what a deploy would change");
            say("  mkplat destroy                             # remove it (the data stays unless --purge-data)");
            return report;
        }
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
