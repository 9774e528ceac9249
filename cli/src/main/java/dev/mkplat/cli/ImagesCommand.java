package dev.mkplat.cli;

import picocli.CommandLine.Command;

/** {@code mkplat images}: build the service images, load them into a local cluster, push them, list what the platform needs. */
@Command(
        name = "images",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header =
                "Builds the service images, loads them into a local cluster, pushes them, lists what the platform needs.",
        description = {
            "",
            "The platform runs six images: api, auth and images, which this project builds (docker.io/mkplat/<service>:<version>,",
            "the version of this CLI), and postgres, redis and fake-gcs-server from their public registries.",
            "No Docker daemon is needed: Jib builds the service images as OCI archives from a source checkout.",
            "",
        },
        footer = {
            "",
            "A local cluster, from a checkout:",
            "  mkplat images build     # services/<svc>/target/image/<svc>.tar, .digest",
            "  mkplat images load      # into minikube, kind or scripts/test-cluster",
            "  mkplat images list      # what the platform needs; do the nodes have it",
            "  mkplat up               # deploys with the images pinned by digest",
            "",
            "A cluster that pulls from a registry:",
            "  mkplat images push registry.example.com/mkplat",
            "  then in mkplat.yaml: images.registry: registry.example.com/mkplat",
        },
        subcommands = {
            ImagesBuildCommand.class,
            ImagesLoadCommand.class,
            ImagesPushCommand.class,
            ImagesListCommand.class
        })
public final class ImagesCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
