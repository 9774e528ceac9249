package dev.mkplat.preflight;

import dev.mkplat.check.Check;
import dev.mkplat.check.Outcome;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.ClusterPreflight;
import dev.mkplat.kube.ClusterPreflight.AccessReport;
import dev.mkplat.kube.ClusterPreflight.IngressController;
import dev.mkplat.kube.KubeTarget;
import dev.mkplat.kube.PodRequests;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.render.PlatformRenderer;
import dev.mkplat.render.StackChart;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The checks of {@code mkplat init}, in the order they run. The first ones are fatal and later
 * ones depend on them (no cluster is touched before its context is known to be local; nothing is
 * asked before the apiserver answered), so the runner skips the rest after a fatal failure.
 * Holds the one connection the checks share; close it after the run.
 */
public final class PreflightChecks implements AutoCloseable {
    /** The oldest Kubernetes the manifests are written for (PodSecurity admission GA, autoscaling/v2, policy/v1). */
    public static final int MIN_MINOR = 27;

    /**
     * What {@code init} was asked to check.
     *
     * @param config      the platform configuration
     * @param target      the kubeconfig and context
     * @param allowRemote whether a context that is not local may be used
     * @param hostsFile   the hosts file to inspect (and write with {@code writeHosts})
     * @param writeHosts  whether to add the platform's line to the hosts file
     * @param trace       where to print API calls ({@code --verbose})
     * @param runCommand  runs {@code minikube ip}; stubbed in tests
     */
    public record Request(
            PlatformConfig config,
            KubeTarget target,
            boolean allowRemote,
            Path hostsFile,
            boolean writeHosts,
            Optional<PrintWriter> trace,
            Function<List<String>, Optional<String>> runCommand) {}

    private final Request request;
    private ClusterPreflight.Target target;
    private Cluster cluster;

    public PreflightChecks(Request request) {
        this.request = request;
    }

    /** The checks, to hand to {@link dev.mkplat.check.CheckRunner}. */
    public List<Check> checks() {
        String remoteHint =
                "point --context at a local cluster (minikube, kind-*, k3d-*, docker-desktop, kwok-*), or pass --allow-remote if you mean it";
        return List.of(
                Check.fatal("the kubeconfig context is a local cluster", remoteHint, this::contextIsLocal),
                Check.fatal(
                        "the Kubernetes API is reachable",
                        "check that the cluster runs (minikube status), or choose another with --kubeconfig/--context",
                        this::apiReachable),
                Check.fatal(
                        "Kubernetes is 1." + MIN_MINOR + " or newer",
                        "upgrade the cluster (minikube start --kubernetes-version=stable)",
                        this::versionRecentEnough),
                Check.fatal(
                        "RBAC allows applying every object mkplat deploys",
                        "ask a cluster admin for those permissions, or use a cluster where you are admin (minikube, kind)",
                        this::rbacAllowsApply),
                Check.fatal(
                        "a default StorageClass exists for the database volumes",
                        "minikube addons enable default-storageclass storage-provisioner; on kind it is there by default",
                        this::defaultStorageClass),
                Check.warning(
                        "the ingress-nginx controller is running",
                        "minikube addons enable ingress",
                        this::ingressNginx),
                Check.warning(
                        "the nodes have room for the platform's requests",
                        "lower replicas.max in mkplat.yaml, or give the cluster more",
                        this::capacity),
                Check.warning(
                        "metrics-server serves the metrics API for the autoscalers",
                        "minikube addons enable metrics-server",
                        this::metricsServer),
                Check.warning(
                        "the ServiceMonitor CRD is installed",
                        "it comes with kube-prometheus-stack: helm install kube-prometheus-stack prometheus-community/kube-prometheus-stack --version 75.13.0 -n monitoring -f manifests/monitoring/kube-prometheus-stack/values.yaml",
                        this::serviceMonitorCrd),
                Check.warning(
                        "the platform hosts resolve to the ingress",
                        "mkplat init --write-hosts adds the line",
                        this::hostsLine));
    }

    private Outcome contextIsLocal() {
        target = ClusterPreflight.describe(request.target());
        String where = "context " + target.context() + " at " + target.server();
        if (target.local()) {
            return Outcome.passed(where);
        }
        if (request.allowRemote()) {
            return Outcome.passed(where + ", remote allowed by --allow-remote");
        }
        return Outcome.failed(where + " is not a local cluster; mkplat refuses it without --allow-remote");
    }

    private Outcome apiReachable() {
        cluster = Cluster.connect(request.target(), request.trace());
        return Outcome.passed(cluster.serverVersion() + " at " + cluster.server());
    }

    private Outcome versionRecentEnough() {
        int[] version = cluster.serverMajorMinor();
        String found = cluster.serverVersion();
        return version[0] > 1 || version[0] == 1 && version[1] >= MIN_MINOR
                ? Outcome.passed(found)
                : Outcome.failed(found + " is too old");
    }

    private Outcome rbacAllowsApply() {
        AccessReport report = new ClusterPreflight(cluster).reviewApplyAccess(objectsDeployApplies(request.config()));
        String unserved = report.unserved().isEmpty()
                ? ""
                : "; not served yet, skipped by deploy: " + String.join(", ", report.unserved());
        if (report.denied().isEmpty()) {
            return Outcome.passed(report.checked() + " permissions" + unserved);
        }
        List<String> denied = report.denied().stream().map(Object::toString).toList();
        String shown = denied.size() <= 5
                ? String.join("; ", denied)
                : String.join("; ", denied.subList(0, 5)) + " and " + (denied.size() - 5) + " more";
        return Outcome.failed(denied.size() + " of " + report.checked() + " permissions denied: " + shown);
    }

    private Outcome defaultStorageClass() {
        List<String> defaults = new ClusterPreflight(cluster).defaultStorageClasses();
        return switch (defaults.size()) {
            case 0 -> Outcome.failed("no StorageClass is marked default");
            case 1 -> Outcome.passed(defaults.getFirst());
            default -> Outcome.passed(String.join(", ", defaults) + " (several defaults: Kubernetes picks the newest)");
        };
    }

    private Outcome ingressNginx() {
        IngressController controller = new ClusterPreflight(cluster).ingressNginx();
        if (controller.usable()) {
            return Outcome.passed(controller.workload().orElseThrow() + ", IngressClass "
                    + controller.ingressClass().orElseThrow());
        }
        if (controller.workload().isEmpty()) {
            return Outcome.failed("no ingress-nginx controller found");
        }
        if (controller.readyReplicas() == 0) {
            return Outcome.failed(
                    controller.workload().get() + " has no ready pod yet",
                    "wait for it: kubectl -n " + controller.workload().get().split("/")[0] + " get pods");
        }
        return Outcome.failed("no IngressClass with controller k8s.io/ingress-nginx");
    }

    private Outcome metricsServer() {
        return new ClusterPreflight(cluster).metricsApiAvailable()
                ? Outcome.passed("metrics.k8s.io/v1beta1")
                : Outcome.failed("metrics.k8s.io is not served: the HorizontalPodAutoscalers will not scale");
    }

    /**
     * The platform's requests at replicas.min and at replicas.max, with the monitoring stack's when it
     * is enabled, against what the nodes have free (what other pods request is taken off; the
     * platform's own pods are not, a deploy replaces them).
     */
    private Outcome capacity() {
        List<HasMetadata> objects = PlatformRenderer.render(ManifestBundle.bundled(), request.config())
                .objects();
        PodRequests.Workloads needs = PodRequests.Workloads.of(objects);
        if (request.config().monitoring().enabled()) {
            PodRequests monitoring = MonitoringRequests.of(StackChart.bundled().values());
            needs = new PodRequests.Workloads(
                    needs.atMin().plus(monitoring), needs.atMax().plus(monitoring));
        }
        Set<String> platformNamespaces = objects.stream()
                .map(object -> object.getMetadata().getNamespace())
                .filter(Objects::nonNull)
                .collect(Collectors.toSet());
        ClusterPreflight.Room room = new ClusterPreflight(cluster).room(platformNamespaces);
        PodRequests free = room.free();
        String what = request.config().monitoring().enabled() ? "the platform with monitoring" : "the platform";
        String numbers =
                what + " requests " + needs.atMin() + " at replicas.min and " + needs.atMax() + " at replicas.max; "
                        + room.nodes() + (room.nodes() == 1 ? " node has " : " nodes have ") + free + " free";
        if (free.fits(needs.atMax())) {
            return Outcome.passed(numbers);
        }
        String verdict = free.fits(needs.atMin())
                ? numbers + ": the autoscalers cannot reach replicas.max"
                : numbers + ": not even replicas.min fits, some pods will stay Pending";
        return Outcome.failed(
                verdict,
                "a minikube that fits replicas.max: "
                        + MinikubeSize.fitting(needs.atMax()).command() + "\nor lower replicas.max in mkplat.yaml");
    }

    private Outcome serviceMonitorCrd() {
        if (new ClusterPreflight(cluster).servesServiceMonitors()) {
            return Outcome.passed("monitoring.coreos.com/v1");
        }
        if (!request.config().monitoring().enabled()) {
            return Outcome.passed("not installed; monitoring is disabled in the config");
        }
        return Outcome.failed(
                "not installed: deploy skips the ServiceMonitors until the monitoring stack is installed");
    }

    private Outcome hostsLine() {
        IngressAddress address = IngressAddress.find(
                target.context(), new ClusterPreflight(cluster).ingressLoadBalancerAddress(), request.runCommand());
        List<String> hosts = request.config().hosts().all();
        String line = HostsFile.line(address.address(), hosts);
        Path file = request.hostsFile();
        if (request.writeHosts()) {
            HostsFile.Edit written = HostsFile.write(file, address.address(), hosts);
            return Outcome.passed(
                    written == HostsFile.Edit.ALREADY
                            ? "already in " + file
                            : "added to " + file + ", the old one is " + HostsFile.backupOf(file),
                    line);
        }
        HostsFile.Inspection inspection = HostsFile.inspect(HostsFile.read(file), address.address(), hosts);
        if (inspection.mapped()) {
            return Outcome.passed(file + " maps them to " + address.address() + " (" + address.source() + ")", line);
        }
        String what = !inspection.conflicts().isEmpty()
                ? file + " sends them elsewhere (line " + String.join("; line ", inspection.conflicts()) + ")"
                : inspection.unmapped().isEmpty()
                        ? "mkplat's line in " + file + " is out of date"
                        : "not in " + file + ": " + String.join(", ", inspection.unmapped());
        return Outcome.failed(
                what + "; the ingress is at " + address.address() + " (" + address.source() + ")",
                "add this line (mkplat init --write-hosts does it):\n" + line);
    }

    /** Every object deploy applies for {@code config}, with the Secrets it generates in each namespace. */
    static List<HasMetadata> objectsDeployApplies(PlatformConfig config) {
        List<HasMetadata> objects = new ArrayList<>(
                PlatformRenderer.render(ManifestBundle.bundled(), config).objects());
        Map<String, HasMetadata> secrets = new LinkedHashMap<>();
        objects.stream()
                .map(object -> object.getMetadata().getNamespace())
                .filter(namespace -> namespace != null)
                .distinct()
                .forEach(namespace -> secrets.put(
                        namespace,
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName("mkplat-preflight")
                                .withNamespace(namespace)
                                .endMetadata()
                                .build()));
        objects.addAll(secrets.values());
        return objects;
    }

    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
