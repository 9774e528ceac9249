package dev.mkplat.cli;

import dev.mkplat.images.ImageInventory;
import dev.mkplat.images.RegistryLookup;
import dev.mkplat.kube.KubeTarget;
import dev.mkplat.render.ManifestBundle;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mkplat images list}: the images the platform needs, and whether the cluster and a registry have them. */
@Command(
        name = "list",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header =
                "Lists the images the platform runs with mkplat.yaml, and whether the nodes (and a registry) have them.",
        description = {
            "",
            "The images come from the manifests as deploy renders them. ON NODES counts the nodes whose container",
            "runtime reports the image (status.images); kwok's fake nodes report none. With --registry, asks that",
            "registry for each image's repository and tag (a mirror's view: 127.0.0.1:5001 holds docker.io/mkplat/api",
            "as mkplat/api). With --no-cluster, only the list.",
            "",
        },
        footer = {
            "",
            "Examples:",
            "  mkplat images list",
            "  mkplat images list --registry 127.0.0.1:5001",
            "",
            "Exit codes: 0 listed, 1 the cluster does not answer, 2 bad usage or input."
        })
public final class ImagesListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Mixin
    ConfigOptions configOptions;

    @Option(
            names = "--registry",
            paramLabel = "HOST",
            description = "Also ask this registry (host[:port]) whether it has each image.")
    String registry;

    @Option(names = "--no-cluster", description = "Do not ask the cluster.")
    boolean noCluster;

    @Override
    public Integer call() {
        Optional<KubeTarget> target = noCluster ? Optional.empty() : Optional.of(kube.target());
        String table = new ImageInventory(new RegistryLookup(Duration.ofSeconds(5)))
                .table(
                        ManifestBundle.bundled(),
                        configOptions.load(),
                        target,
                        kube.trace(),
                        Optional.ofNullable(registry));
        spec.commandLine().getOut().print(table);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
