package dev.mkplat.cli;

import dev.mkplat.certs.CertificateFiles;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.MkplatException;
import dev.mkplat.deploy.DeployReport;
import dev.mkplat.deploy.DeployRequest;
import dev.mkplat.deploy.PlatformDeploy;
import dev.mkplat.deploy.PlatformDryRun;
import dev.mkplat.deploy.PlatformScope;
import dev.mkplat.images.ImagePinning;
import dev.mkplat.kube.Cluster;
import dev.mkplat.render.ManifestBundle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mkplat deploy}: validate, build a {@link DeployRequest}, run {@link PlatformDeploy}, report. */
@Command(
        name = "deploy",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Applies the platform (or some components) to the cluster and waits until it is ready.",
        description = {
            "",
            "Renders the bundled manifests with mkplat.yaml, generates the Secrets that are missing (existing ones",
            "are kept, never rotated), makes the TLS Secret from certs/ (generating the certificates when there are",
            "none) and applies everything with server-side apply (field manager mkplat) in stages: namespaces;",
            "secrets, configmaps and service accounts; db and infra (waited for); services; ingress, network",
            "policies, autoscalers and disruption budgets (then the services are waited for); service monitors",
            "and dashboards. Objects that left the bundle are pruned; only objects mkplat applied ever are.",
            "A rerun with nothing changed reports every object unchanged and writes nothing.",
            "",
        },
        footer = {
            "",
            "Examples:",
            "  mkplat deploy                    # the whole platform",
            "  mkplat deploy api auth           # two components",
            "  mkplat deploy --dry-run > out.yaml",
            "",
            "Exit codes: 0 ok, 1 the cluster refused something, 2 bad usage or input, 4 timed out.",
        })
public final class DeployCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    MkplatCommand root;

    @Mixin
    KubeOptions kube;

    @Mixin
    ConfigOptions configOptions;

    @Parameters(
            paramLabel = "COMPONENT",
            arity = "0..*",
            description = "Components to deploy: db, infra, auth, api, images, monitoring (default: all).")
    List<String> components = new ArrayList<>();

    @Option(
            names = "--dry-run",
            description = "Print the YAML that would be applied (Secret values redacted); write nothing.")
    boolean dryRun;

    @Option(
            names = "--timeout",
            paramLabel = "TIME",
            converter = DurationConverter.class,
            description = "Deadline of the whole deploy, e.g. 90s, 5m (default: timeouts.deploy of mkplat.yaml, 5m).")
    Duration timeout;

    @Option(names = "--no-wait", description = "Do not wait for the workloads to become ready.")
    boolean noWait;

    @Option(
            names = "--force-conflicts",
            description = "Take over fields that another field manager (kubectl, an operator) owns.")
    boolean forceConflicts;

    @Override
    public Integer call() {
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw MkplatException.usage("--timeout must be positive", "for example --timeout 5m");
        }
        if (dryRun && (noWait || forceConflicts || timeout != null)) {
            throw MkplatException.usage(
                    "--dry-run writes nothing, so --no-wait, --force-conflicts and --timeout do not apply",
                    "drop them, or drop --dry-run");
        }
        PlatformConfig config = configOptions.load();
        ManifestBundle bundle = ManifestBundle.bundled();
        PlatformScope scope = PlatformScope.choose(bundle, config, components);
        if (dryRun) {
            spec.commandLine().getOut().print(PlatformDryRun.yaml(bundle, config, scope));
            spec.commandLine().getOut().flush();
            return 0;
        }
        DeployRequest request = new DeployRequest(
                config,
                scope,
                root.environment().resolve(Path.of(CertificateFiles.DEFAULT_ROOT)),
                forceConflicts,
                !noWait,
                Optional.ofNullable(timeout).orElse(config.timeouts().deploy()));
        try (Cluster cluster = Cluster.connect(kube.target(), kube.trace())) {
            ImagePinning.Decision pinned =
                    ImagePinning.standard().forCluster(cluster, root.environment(), config.images());
            pinned.notes().forEach(spec.commandLine().getOut()::println);
            request = request.withScope(PlatformScope.choose(bundle, config, components, pinned.pins()));
            DeployReport report = new PlatformDeploy(bundle, spec.commandLine().getOut()).run(cluster, request);
            spec.commandLine().getOut().println("deploy: " + report.summary());
        }
        return 0;
    }
}
