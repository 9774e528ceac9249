package dev.mkplat.cli;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.MkplatException;
import dev.mkplat.core.OutputFormat;
import dev.mkplat.kube.Cluster;
import dev.mkplat.monitor.MonitoringStatus;
import dev.mkplat.monitor.PrometheusService;
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

/** {@code mkplat monitor status}: a live view of the services, from the cluster and from Prometheus. */
@Command(
        name = "status",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Live view of each service: pods, restarts, autoscaler and CPU, request rate, 5xx ratio and p95.",
        description = {
            "",
            "Refreshes every 2 seconds on a terminal until Ctrl-C; --once (or output that is not a terminal, or -o json)",
            "prints one snapshot. The request columns come from Prometheus through the API server's service proxy; when",
            "it does not answer they show '-' and the reason.",
            "",
        },
        footer = {"", "Exit codes: 0 ok, 1 the cluster failed, 2 bad usage."})
public final class MonitorStatusCommand implements Callable<Integer> {
    private static final Duration REFRESH = Duration.ofSeconds(2);

    @Spec
    CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    OutputOptions output;

    @Option(names = "--once", description = "Print one snapshot and exit.")
    boolean once;

    @Option(
            names = "--prometheus",
            paramLabel = "NS/SERVICE:PORT",
            description = "Prometheus' Service (default: monitoring/kube-prometheus-stack-prometheus:http-web).")
    String prometheus;

    @Override
    public Integer call() throws InterruptedException {
        if (output.format() == OutputFormat.YAML) {
            throw MkplatException.usage("monitor status prints text or json", "use -o json");
        }
        PrometheusService service = prometheus == null ? PrometheusService.STACK : PrometheusService.parse(prometheus);
        PlatformConfig config = configOptions.load();
        PrintWriter out = spec.commandLine().getOut();
        boolean live = !once
                && output.format() == OutputFormat.TEXT
                && MkplatCommand.of(spec).environment().terminal();
        try (Cluster cluster = Cluster.connect(kube.target(), kube.trace())) {
            // Live: redrawn until Ctrl-C ends the JVM, or until the thread is interrupted by a caller
            // that runs the command in-process.
            do {
                MonitoringStatus.Snapshot snapshot =
                        MonitoringStatus.read(cluster, config, service, ManifestBundle.bundled(), Clock.systemUTC());
                if (output.format() == OutputFormat.JSON) {
                    out.print(MonitoringStatus.json(snapshot));
                } else {
                    // Home and clear, then the table: a redraw in place, as watch does.
                    out.print((live ? "\u001b[H\u001b[2J" : "")
                            + MonitoringStatus.table(snapshot)
                            + (live ? "\n" + snapshot.at() + "  (every 2s; Ctrl-C stops)\n" : ""));
                }
                out.flush();
                if (live) {
                    Thread.sleep(REFRESH);
                }
            } while (live && !Thread.currentThread().isInterrupted());
        }
        return 0;
    }
}
