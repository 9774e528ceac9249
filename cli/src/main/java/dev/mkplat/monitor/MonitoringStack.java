package dev.mkplat.monitor;

import com.marcnuri.helm.Release;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.deploy.DeployRequest;
import dev.mkplat.deploy.DeployStage;
import dev.mkplat.deploy.PlatformDeploy;
import dev.mkplat.deploy.PlatformScope;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.HelmReleases;
import dev.mkplat.kube.HelmReleases.StoredRelease;
import dev.mkplat.kube.KubeTarget;
import dev.mkplat.kube.ObjectRef;
import dev.mkplat.kube.RolloutWaiter;
import dev.mkplat.kube.Wait;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.render.PlatformRenderer;
import dev.mkplat.render.StackChart;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code mkplat monitor install} and {@code uninstall}: the monitoring namespace and its generated
 * Secrets (Grafana's admin login) from the bundle, then kube-prometheus-stack through the embedded
 * Helm, a wait for its workloads, and the ServiceMonitors once their CRD exists. A rerun with the
 * same chart and values changes nothing: Helm's stored record carries a fingerprint of both.
 */
public final class MonitoringStack {
    /** Marks a release description as mkplat's fingerprint. */
    static final String FINGERPRINT_PREFIX = "mkplat ";

    private final ManifestBundle bundle;
    private final StackChart chart;
    private final PrintWriter out;
    private final Clock clock;

    public MonitoringStack(ManifestBundle bundle, StackChart chart, PrintWriter out) {
        this(bundle, chart, out, Clock.systemUTC());
    }

    MonitoringStack(ManifestBundle bundle, StackChart chart, PrintWriter out, Clock clock) {
        this.bundle = bundle;
        this.chart = chart;
        this.out = out;
        this.clock = clock;
    }

    /**
     * What to install.
     *
     * @param chartSource  the chart (repository and version, or an archive)
     * @param values       the user's values file, merged over the bundled values
     * @param certsRoot    the certificates' root (Grafana's Ingress uses the platform certificate)
     * @param timeout      the deadline of the whole install
     * @param waitForReady whether to wait for the stack's workloads
     */
    public record InstallRequest(
            PlatformConfig config,
            ChartSource chartSource,
            Optional<Path> values,
            Path certsRoot,
            Duration timeout,
            boolean waitForReady) {
        public InstallRequest {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(chartSource, "chartSource");
            Objects.requireNonNull(values, "values");
            Objects.requireNonNull(certsRoot, "certsRoot");
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    /** What install did. */
    public enum Action {
        INSTALLED,
        UPGRADED,
        UNCHANGED;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param action   installed, upgraded or unchanged
     * @param revision the release's revision afterwards
     * @param chart    the chart and version Helm holds, for example {@code kube-prometheus-stack 75.13.0}
     */
    public record InstallReport(
            Action action, String release, String namespace, int revision, String chart, Duration took) {
        public String summary() {
            return release + " in " + namespace + ": " + action.word() + " (" + chart + ", revision " + revision
                    + ") in " + Math.round(took.toMillis() / 100.0) / 10.0 + "s";
        }
    }

    /** The ChartSource of the bundled chart at {@code version} from {@code repository}. */
    public ChartSource.Repository repositoryChart(URI repository, String version) {
        return new ChartSource.Repository(repository, chart.repositoryName(), chart.chart(), version);
    }

    public StackChart chart() {
        return chart;
    }

    /**
     * Installs or upgrades.
     *
     * @throws MkplatException exit 2 when monitoring is off or an input is bad, 1 when Helm or the
     *         cluster failed, 4 when the workloads were not ready in time
     */
    public InstallReport install(Cluster cluster, KubeTarget target, InstallRequest request) {
        Instant start = clock.instant();
        Instant deadline = start.plus(request.timeout());
        if (!request.config().monitoring().enabled()) {
            throw MkplatException.usage(
                    "monitoring is off in mkplat.yaml (monitoring.enabled: false)",
                    "set monitoring.enabled: true to install kube-prometheus-stack");
        }
        StackValues values = StackValues.merge(chart.values(), request.values(), request.config());
        String fingerprint = FINGERPRINT_PREFIX + values.fingerprint(request.chartSource());

        boolean monitorsServed = cluster.serves(DeployStage.MONITORS_API, "ServiceMonitor");
        deployBundle(cluster, request, deadline);

        HelmReleases releases = new HelmReleases(cluster);
        Optional<StoredRelease> before = releases.latest(chart.namespace(), chart.release());
        Action action;
        StoredRelease after;
        if (before.isPresent()
                && "deployed".equals(before.get().status())
                && fingerprint.equals(before.get().description())) {
            action = Action.UNCHANGED;
            after = before.get();
            say("helm: " + chart.release() + " is already " + describe(after) + " with these values; nothing to do");
        } else {
            action = before.isPresent() ? Action.UPGRADED : Action.INSTALLED;
            say("helm: "
                    + (before.isPresent()
                            ? "upgrading " + chart.release() + " (" + describe(before.get()) + ", "
                                    + before.get().status() + ")"
                            : "installing " + chart.release())
                    + " with " + request.chartSource().describe() + " ...");
            Path work = privateDirectory();
            try {
                EmbeddedHelm helm = new EmbeddedHelm(HelmReleases.kubeconfig(target, cluster.context()), work);
                Release release = helm.upgradeInstall(
                        request.chartSource(),
                        chart.release(),
                        chart.namespace(),
                        values.writeTo(work.resolve("values.yaml")),
                        fingerprint,
                        remaining(deadline),
                        before.isPresent());
                say("helm: " + release.getName() + " revision " + release.getRevision() + " " + release.getStatus()
                        + " (" + release.getChart() + ")");
            } finally {
                deleteTree(work);
            }
            after = releases.latest(chart.namespace(), chart.release())
                    .orElseThrow(() -> MkplatException.failed(
                            "Helm reported success but stored no release " + chart.release() + " in "
                                    + chart.namespace(),
                            "kubectl -n " + chart.namespace() + " get secrets -l owner=helm shows what Helm stored"));
        }
        if (request.waitForReady()) {
            List<ObjectRef> workloads = releases.workloads(chart.namespace(), chart.release());
            say("waiting for " + workloads.size() + " workloads of " + chart.release() + ":");
            new RolloutWaiter(cluster, this::say, new Wait(clock, Duration.ofSeconds(1)))
                    .await(chart.release(), workloads, deadline);
        }
        if (!monitorsServed && cluster.serves(DeployStage.MONITORS_API, "ServiceMonitor")) {
            say("the ServiceMonitor CRD exists now; applying the platform's ServiceMonitors:");
            deployBundle(cluster, request, deadline);
        }
        return new InstallReport(
                action,
                chart.release(),
                chart.namespace(),
                after.revision(),
                after.chart() + " " + after.chartVersion(),
                Duration.between(start, clock.instant()));
    }

    /**
     * Uninstalls the release. The monitoring namespace, mkplat's own objects in it (Secrets,
     * ServiceMonitors, dashboards) and the chart's CRDs stay: {@code mkplat destroy} removes the
     * former, and Helm never deletes CRDs, whose removal would delete every custom resource.
     *
     * @return whether there was a release to remove
     */
    public boolean uninstall(Cluster cluster, KubeTarget target) {
        Optional<StoredRelease> before = new HelmReleases(cluster).latest(chart.namespace(), chart.release());
        if (before.isEmpty()) {
            say("helm: no release " + chart.release() + " in " + chart.namespace() + "; nothing to uninstall");
            return false;
        }
        say("helm: uninstalling " + chart.release() + " (" + describe(before.get()) + ") ...");
        Path work = privateDirectory();
        try {
            String result = new EmbeddedHelm(HelmReleases.kubeconfig(target, cluster.context()), work)
                    .uninstall(chart.release(), chart.namespace());
            say("helm: " + (result.isBlank() ? "release \"" + chart.release() + "\" uninstalled" : result.strip()));
        } finally {
            deleteTree(work);
        }
        return true;
    }

    /** The monitoring component of the bundle: namespace, generated Secrets, dashboards, and the ServiceMonitors when served. */
    private void deployBundle(Cluster cluster, InstallRequest request, Instant deadline) {
        DeployRequest deploy = new DeployRequest(
                request.config(),
                PlatformScope.choose(bundle, request.config(), Set.of(PlatformRenderer.MONITORING)),
                request.certsRoot(),
                false,
                request.waitForReady(),
                remaining(deadline));
        new PlatformDeploy(bundle, out).run(cluster, deploy);
    }

    private Duration remaining(Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new MkplatException(
                    ExitCode.TIMEOUT, "monitor install ran out of time", "rerun with a longer --timeout");
        }
        return left;
    }

    private static String describe(StoredRelease release) {
        return release.chart() + " " + release.chartVersion() + ", revision " + release.revision();
    }

    private static Path privateDirectory() {
        try {
            return Files.createTempDirectory(
                    "mkplat-helm-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new MkplatException(
                    ExitCode.FAILED, "cannot create a temporary directory: " + e.getMessage(), null, e);
        }
    }

    private static void deleteTree(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless; its values file is readable by the owner only.
        }
    }

    private void say(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
