package dev.mkplat.cli;

import dev.mkplat.core.Environment;
import dev.mkplat.images.Crane;
import dev.mkplat.images.ImageLoad;
import dev.mkplat.images.LocalClusters;
import dev.mkplat.images.RegistryLookup;
import dev.mkplat.images.SourceCheckout;
import dev.mkplat.kube.Cluster;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mkplat images load}: the built archives into the current local cluster. */
@Command(
        name = "load",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header =
                "Puts the built service images into the current local cluster (minikube, kind, or scripts/test-cluster).",
        description = {
            "",
            "Detects the cluster from the context, its nodes and PATH, and loads each archive of mkplat images build",
            "under the name deploy renders (images.registry and images.tag of mkplat.yaml):",
            "  minikube             minikube -p PROFILE image load <archive>",
            "  kind                 kind load image-archive <archive> --name CLUSTER",
            "  scripts/test-cluster a push to its registry (127.0.0.1:5001, or $MKPLAT_REGISTRY) with crane,",
            "                       which its node reads as a mirror of docker.io",
            "Any other cluster pulls from a registry: use mkplat images push instead.",
            "",
        },
        footer = {
            "",
            "Examples:",
            "  mkplat images build && mkplat images load",
            "  mkplat images load --context kind-dev",
            "",
            "Exit codes: 0 loaded, 1 the cluster is none of these or a load failed, 2 not in a source checkout."
        })
public final class ImagesLoadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() {
        Environment environment = MkplatCommand.of(spec).environment();
        var config = configOptions.load();
        SourceCheckout checkout = SourceCheckout.of(environment)
                .orElseThrow(() -> SourceCheckout.outside("mkplat images load", environment.workingDirectory()));
        var out = spec.commandLine().getOut();
        try (Cluster cluster = Cluster.connect(kube.target(), kube.trace())) {
            var target = LocalClusters.detect(cluster, environment);
            new ImageLoad(
                            line -> {
                                out.println(line);
                                out.flush();
                            },
                            () -> Crane.locate(environment),
                            new RegistryLookup(Duration.ofSeconds(5)))
                    .run(target, checkout.archives(), config.images());
        }
        return 0;
    }
}
