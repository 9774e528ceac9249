package dev.mkplat.cli;

import dev.mkplat.check.CheckReport;
import dev.mkplat.core.OutputFormat;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.ServiceProxy;
import dev.mkplat.monitor.PrometheusService;
import dev.mkplat.monitor.TargetChecks;
import dev.mkplat.render.ManifestBundle;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mkplat monitor targets}: whether Prometheus scrapes every platform ServiceMonitor, and each target's health. */
@Command(
        name = "targets",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header =
                "Shows whether Prometheus scrapes every platform service: ✓ or × per ServiceMonitor, with each target.",
        description = {
            "",
            "Asks Prometheus for /api/v1/targets through the API server's service proxy (no port-forward), then, for",
            "each ServiceMonitor of the platform (api, auth, images), shows its targets: up or down, when last scraped,",
            "and the last scrape error.",
            "",
        },
        footer = {
            "",
            "Exit codes: 0 every platform target is up, 1 Prometheus did not answer, 2 bad usage,",
            "3 a platform ServiceMonitor has no target or a target is down."
        })
public final class MonitorTargetsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Mixin
    OutputOptions output;

    @Option(
            names = "--prometheus",
            paramLabel = "NS/SERVICE:PORT",
            description = "Prometheus' Service (default: monitoring/kube-prometheus-stack-prometheus:http-web).")
    String prometheus;

    @Override
    public Integer call() {
        PrometheusService service = prometheus == null ? PrometheusService.STACK : PrometheusService.parse(prometheus);
        MkplatCommand root = MkplatCommand.of(spec);
        PrintWriter out = spec.commandLine().getOut();
        boolean text = output.format() == OutputFormat.TEXT;
        try (Cluster cluster = Cluster.connect(kube.target(), kube.trace())) {
            ServiceProxy proxy = new ServiceProxy(cluster, Duration.ofSeconds(20));
            TargetChecks checks = new TargetChecks(
                    TargetChecks.platformMonitors(ManifestBundle.bundled()),
                    () -> proxy.get(
                            service.namespace(), service.name(), service.port(), "/api/v1/targets?state=active"),
                    Clock.systemUTC());
            CheckReport report = checks.run(result -> {
                if (text) {
                    out.print(CheckReport.line(result, root.color()));
                    out.flush();
                }
            });
            out.print(text ? TargetChecks.summary(report) : report.render(output.format(), false));
            out.flush();
            return report.exitCode().code();
        }
    }
}
