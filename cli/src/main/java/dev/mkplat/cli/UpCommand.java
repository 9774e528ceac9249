package dev.mkplat.cli;

import dev.mkplat.certs.CertificateFiles;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.Environment;
import dev.mkplat.core.MkplatException;
import dev.mkplat.deploy.DeployRequest;
import dev.mkplat.deploy.LocalCluster;
import dev.mkplat.deploy.PlatformScope;
import dev.mkplat.deploy.PlatformUp;
import dev.mkplat.images.Crane;
import dev.mkplat.images.ImageBuild;
import dev.mkplat.images.ImageLoad;
import dev.mkplat.images.ImagePinning;
import dev.mkplat.images.ImageRef;
import dev.mkplat.images.LocalImageSupply;
import dev.mkplat.images.RegistryLookup;
import dev.mkplat.images.SourceCheckout;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.KubeTarget;
import dev.mkplat.render.ManifestBundle;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mkplat up}: a cluster (minikube on request), certificates, deploy, monitoring, and where to go next. */
@Command(
        name = "up",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Brings the whole platform up: certificates, deploy, monitoring; prints the URLs and next steps.",
        description = {
            "",
            "Uses the cluster of --kubeconfig/--context. When none answers and --start-minikube is given (and minikube",
            "is on PATH), runs: minikube start --driver=docker --addons=ingress --addons=metrics-server. With",
            "--start-local (Linux, root, from a checkout) it starts the checkout's single-node cluster instead:",
            "scripts/test-cluster up --real-node (a real kubelet and containerd, an NGINX-class ingress, NetworkPolicies).",
            "On a local cluster (minikube, kind, the project's test cluster), the service images it lacks are built",
            "from this checkout and loaded first (--no-image-load to skip).",
            "Then: certs generate, deploy, and monitor install when monitoring is enabled (monitoring.enabled of",
            "mkplat.yaml). A failed monitoring install is a warning: the platform itself is up by then.",
            "",
        },
        footer = {"", "Exit codes: 0 ok, 1 no cluster or the cluster refused, 2 bad usage or input, 4 timed out."})
public final class UpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    MkplatCommand root;

    @Mixin
    KubeOptions kube;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--start-minikube", description = "Start minikube when no cluster answers.")
    boolean startMinikube;

    @Option(
            names = "--start-local",
            description = {
                "Start this checkout's single-node cluster when no cluster answers",
                "(scripts/test-cluster up --real-node: Linux and root; the first time builds it, tens of minutes)."
            })
    boolean startLocal;

    @Option(
            names = "--timeout",
            paramLabel = "TIME",
            converter = DurationConverter.class,
            description = "Deadline of the deploy (default: timeouts.deploy of mkplat.yaml, 5m).")
    Duration timeout;

    @Option(
            names = "--no-image-load",
            description = {
                "On a local cluster (minikube, kind, the project's test cluster), do not build and load",
                "the service images it lacks (the default does, from this checkout; mkplat images load does it by hand)."
            })
    boolean noImageLoad;

    @Option(
            names = "--no-monitoring",
            description = "Do not install kube-prometheus-stack now (mkplat monitor install does it later).")
    boolean noMonitoring;

    @Option(
            names = "--monitor-repo",
            paramLabel = "URL",
            description = "Chart repository for the monitoring install (as monitor install --repo).")
    String monitorRepo;

    @Option(
            names = "--monitor-chart",
            paramLabel = "FILE.tgz",
            description = "Chart archive for the monitoring install, air-gapped (as monitor install --chart).")
    Path monitorChart;

    @Override
    public Integer call() {
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw MkplatException.usage("--timeout must be positive", "for example --timeout 5m");
        }
        PlatformConfig config = configOptions.load();
        DeployRequest request = new DeployRequest(
                config,
                PlatformScope.choose(ManifestBundle.bundled(), config, List.of()),
                root.environment().resolve(Path.of(CertificateFiles.DEFAULT_ROOT)),
                false,
                true,
                Optional.ofNullable(timeout).orElse(config.timeouts().deploy()));
        if (startMinikube && startLocal) {
            throw MkplatException.usage(
                    "--start-minikube and --start-local exclude each other", "choose the cluster to start");
        }
        Function<Optional<Path>, Cluster> connect = kubeconfig -> Cluster.connect(
                kubeconfig
                        .map(file -> new KubeTarget(Optional.of(file), Optional.empty()))
                        .orElse(kube.target()),
                kube.trace());
        Environment environment = root.environment();
        LocalCluster.Options start = new LocalCluster.Options(
                startMinikube
                        ? LocalCluster.Start.MINIKUBE
                        : startLocal ? LocalCluster.Start.LOCAL : LocalCluster.Start.NONE,
                LocalCluster.minikube(environment.variable("PATH")).isPresent(),
                SourceCheckout.of(environment).map(checkout -> checkout.root().resolve(LocalCluster.LOCAL_SCRIPT)),
                LocalCluster.localRefusal(System.getProperty("os.name"), LocalCluster.uid()));
        new PlatformUp(ManifestBundle.bundled(), spec.commandLine().getOut(), environment.variable("MKPLAT_CACHE"))
                .run(
                        connect,
                        request,
                        cluster -> {
                            // The supply's answers (and pushes) are what the registry holds: pinning does not ask
                            // again.
                            Map<ImageRef, String> known = noImageLoad
                                    ? Map.of()
                                    : imageSupply()
                                            .ensure(cluster, environment, config.images())
                                            .digests();
                            return ImagePinning.standard().forCluster(cluster, environment, config.images(), known);
                        },
                        start,
                        monitorInstall());
        return 0;
    }

    private LocalImageSupply imageSupply() {
        PrintWriter out = spec.commandLine().getOut();
        Consumer<String> print = line -> {
            out.println(line);
            out.flush();
        };
        RegistryLookup registry = new RegistryLookup(Duration.ofSeconds(5));
        return new LocalImageSupply(
                print,
                registry,
                () -> new ImageBuild(print, root.verbose()),
                () -> new ImageLoad(print, () -> Crane.locate(root.environment()), registry));
    }

    /** {@code mkplat monitor install} with the same cluster (or the local one just started) and config flags, unless --no-monitoring. */
    private Optional<Function<Optional<Path>, Integer>> monitorInstall() {
        if (noMonitoring) {
            return Optional.empty();
        }
        if (monitorRepo != null && monitorChart != null) {
            throw MkplatException.usage(
                    "--monitor-repo and --monitor-chart exclude each other", "give the repository or the archive");
        }
        return Optional.of(started -> {
            List<String> args = new ArrayList<>(List.of("monitor", "install"));
            Optional.ofNullable(monitorRepo).ifPresent(repo -> args.addAll(List.of("--repo", repo)));
            Optional.ofNullable(monitorChart).ifPresent(chart -> args.addAll(List.of("--chart", chart.toString())));
            started.or(kube::kubeconfig).ifPresent(file -> args.addAll(List.of("--kubeconfig", file.toString())));
            if (started.isEmpty()) {
                kube.context().ifPresent(context -> args.addAll(List.of("--context", context)));
            }
            configOptions.file().ifPresent(file -> args.addAll(List.of("--config", file.toString())));
            return Cli.create(spec.commandLine().getOut(), spec.commandLine().getErr(), root.environment())
                    .execute(args.toArray(String[]::new));
        });
    }
}
