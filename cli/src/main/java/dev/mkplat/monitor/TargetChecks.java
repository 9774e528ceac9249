package dev.mkplat.monitor;

import dev.mkplat.check.Check;
import dev.mkplat.check.CheckReport;
import dev.mkplat.check.CheckResult;
import dev.mkplat.check.CheckRunner;
import dev.mkplat.check.Outcome;
import dev.mkplat.kube.ObjectRef;
import dev.mkplat.monitor.ScrapeTarget.Health;
import dev.mkplat.render.ManifestBundle;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code mkplat monitor targets} as checks: Prometheus answers, then one check per platform
 * ServiceMonitor, which passes when Prometheus has at least one target for it and every one is up.
 * The per-monitor checks do not depend on each other, so each is reported even when another fails.
 */
public final class TargetChecks {
    private final List<ObjectRef> monitors;
    private final Supplier<String> targetsAnswer;
    private final Clock clock;
    private List<ScrapeTarget> targets;

    /**
     * @param monitors      the platform's ServiceMonitors
     * @param targetsAnswer fetches Prometheus' {@code /api/v1/targets} answer (once)
     */
    public TargetChecks(List<ObjectRef> monitors, Supplier<String> targetsAnswer, Clock clock) {
        this.monitors = List.copyOf(monitors);
        this.targetsAnswer = targetsAnswer;
        this.clock = clock;
    }

    /** The ServiceMonitors of the bundle (those of the monitoring component). */
    public static List<ObjectRef> platformMonitors(ManifestBundle bundle) {
        return bundle.objects().stream()
                .map(ObjectRef::of)
                .filter(ref -> "ServiceMonitor".equals(ref.kind()))
                .toList();
    }

    /** The scrape pool names the Prometheus Operator gives a ServiceMonitor's endpoints start with this. */
    public static String scrapePoolPrefix(ObjectRef monitor) {
        return "serviceMonitor/" + monitor.namespace() + "/" + monitor.name() + "/";
    }

    /** Runs the checks: the answer first (nothing else can run without it), then each monitor. */
    public CheckReport run(Consumer<CheckResult> progress) {
        CheckReport reached = CheckRunner.run(
                List.of(Check.fatal(
                        "Prometheus answers /api/v1/targets through the API server",
                        "is kube-prometheus-stack installed and ready? mkplat monitor install; mkplat monitor status",
                        this::fetch)),
                progress);
        List<CheckResult> results = new ArrayList<>(reached.results());
        if (reached.count(CheckResult.Status.FAILED) == 0) {
            results.addAll(CheckRunner.runEach(monitorChecks(), progress).results());
        }
        return new CheckReport(results);
    }

    /** The last line of the text output: whether every platform target is up. */
    public static String summary(CheckReport report) {
        long failed = report.count(CheckResult.Status.FAILED);
        long skipped = report.count(CheckResult.Status.SKIPPED);
        return failed == 0 && skipped == 0
                ? "\nevery platform target is up: " + report.count(CheckResult.Status.PASSED) + " checks passed\n"
                : "\nnot every platform target is up: " + failed + " failed"
                        + (skipped > 0 ? ", " + skipped + " skipped" : "") + "\n";
    }

    private Outcome fetch() {
        targets = ScrapeTarget.parse(targetsAnswer.get());
        long up =
                targets.stream().filter(target -> target.health() == Health.UP).count();
        return Outcome.passed(targets.size() + " active targets, " + up + " up");
    }

    List<Check> monitorChecks() {
        return monitors.stream()
                .map(monitor -> Check.fatal(
                        "Prometheus scrapes " + monitor.name() + " (ServiceMonitor " + monitor.namespace() + "/"
                                + monitor.name() + ")",
                        "kubectl -n " + monitor.namespace() + " describe servicemonitor " + monitor.name()
                                + "; the Service must carry its selector's labels and a port named as its endpoint, in a namespace it selects",
                        () -> check(monitor)))
                .toList();
    }

    private Outcome check(ObjectRef monitor) {
        String prefix = scrapePoolPrefix(monitor);
        List<ScrapeTarget> mine = targets.stream()
                .filter(target -> target.scrapePool().startsWith(prefix))
                .toList();
        if (mine.isEmpty()) {
            return Outcome.failed(
                    "no target (Prometheus has no scrape pool " + prefix + "*)",
                    "Prometheus found no endpoint for it: is the service deployed with ready pods (mkplat status)? Does Prometheus "
                            + "select this ServiceMonitor (values: serviceMonitorSelectorNilUsesHelmValues: false)?");
        }
        Instant now = clock.instant();
        long up = mine.stream().filter(target -> target.health() == Health.UP).count();
        String detail = up + "/" + mine.size() + " up: "
                + String.join(
                        "; ", mine.stream().map(target -> target.describe(now)).toList());
        return up == mine.size()
                ? Outcome.passed(detail)
                : Outcome.failed(
                        detail,
                        "the error above is Prometheus' own; a timeout usually means a NetworkPolicy blocks monitoring → "
                                + monitor.name()
                                + " on the metrics port, a refused connection a pod that is not serving");
    }
}
