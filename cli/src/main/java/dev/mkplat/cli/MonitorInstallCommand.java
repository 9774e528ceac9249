package dev.mkplat.cli;

import dev.mkplat.certs.CertificateFiles;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.MkplatException;
import dev.mkplat.kube.Cluster;
import dev.mkplat.monitor.ChartSource;
import dev.mkplat.monitor.MonitoringStack;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.render.StackChart;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mkplat monitor install}: kube-prometheus-stack installed or upgraded through the embedded Helm, then waited for. */
@Command(
        name = "install",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Installs or upgrades kube-prometheus-stack in the monitoring namespace and waits for it.",
        description = {
            "",
            "First the monitoring namespace with Grafana's generated admin Secret (monitoring/grafana-admin) and the",
            "dashboards, as 'mkplat deploy monitoring' applies them; then helm upgrade --install of the chart with the",
            "bundled values (your --values over them); then a wait for its workloads; then the platform's",
            "ServiceMonitors, once the chart brought their CRD. Idempotent: with the same chart and values it changes",
            "nothing (Helm's record of the release carries their fingerprint); otherwise it upgrades.",
            "",
        },
        footer = {
            "",
            "Exit codes: 0 ok, 1 Helm, the repository or the cluster failed, 2 bad usage or input, 4 timed out."
        })
public final class MonitorInstallCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Mixin
    ConfigOptions configOptions;

    @Option(
            names = "--chart-version",
            paramLabel = "VERSION",
            description = "Chart version (default: monitoring.chartVersion of mkplat.yaml, 75.13.0).")
    String chartVersion;

    @Option(
            names = "--repo",
            paramLabel = "URL",
            description = "Chart repository (default: the prometheus-community repository).")
    URI repository;

    @Option(
            names = "--chart",
            paramLabel = "FILE.tgz",
            description = "Install this chart archive instead of downloading the chart (air-gapped).")
    Path chartArchive;

    @Option(
            names = "--values",
            paramLabel = "FILE",
            description = "Values merged over the bundled ones, as helm --values.")
    Path values;

    @Option(
            names = "--timeout",
            paramLabel = "TIME",
            converter = DurationConverter.class,
            description = "Deadline of the whole install, e.g. 10m (default: timeouts.deploy of mkplat.yaml, 5m).")
    Duration timeout;

    @Option(names = "--no-wait", description = "Do not wait for the stack's workloads to become ready.")
    boolean noWait;

    @Override
    public Integer call() {
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw MkplatException.usage("--timeout must be positive", "for example --timeout 10m");
        }
        if (chartArchive != null && (chartVersion != null || repository != null)) {
            throw MkplatException.usage(
                    "--chart installs an archive, so --chart-version and --repo do not apply",
                    "drop them, or drop --chart");
        }
        if (repository != null && !("https".equals(repository.getScheme()) || "http".equals(repository.getScheme()))) {
            throw MkplatException.usage(
                    "--repo must be an http(s) URL, got '" + repository + "'",
                    "for example --repo https://charts.example.com");
        }
        var env = MkplatCommand.of(spec).environment();
        Optional<Path> chartFile = Optional.ofNullable(chartArchive).map(env::resolve);
        Optional<Path> valuesFile = Optional.ofNullable(values).map(env::resolve);
        chartFile.filter(file -> !Files.isRegularFile(file)).ifPresent(file -> {
            throw MkplatException.usage(
                    "the chart archive " + file + " does not exist", "pass a .tgz made by helm package or helm pull");
        });
        valuesFile.filter(file -> !Files.isRegularFile(file)).ifPresent(file -> {
            throw MkplatException.usage(
                    "the values file " + file + " does not exist", "pass an existing YAML file to --values");
        });
        PlatformConfig config = configOptions.load();
        MonitoringStack stack = new MonitoringStack(
                ManifestBundle.bundled(),
                StackChart.bundled(),
                spec.commandLine().getOut());
        ChartSource source = chartFile
                .<ChartSource>map(ChartSource.Archive::new)
                .orElseGet(() -> stack.repositoryChart(
                        Optional.ofNullable(repository).orElse(stack.chart().repository()),
                        Optional.ofNullable(chartVersion)
                                .orElse(config.monitoring().chartVersion())));
        MonitoringStack.InstallRequest request = new MonitoringStack.InstallRequest(
                config,
                source,
                valuesFile,
                env.resolve(Path.of(CertificateFiles.DEFAULT_ROOT)),
                Optional.ofNullable(timeout).orElse(config.timeouts().deploy()),
                !noWait);
        try (Cluster cluster = Cluster.connect(kube.target(), kube.trace())) {
            spec.commandLine()
                    .getOut()
                    .println("monitor: "
                            + stack.install(cluster, kube.target(), request).summary());
        }
        return 0;
    }
}
