package dev.mkplat.cli;

import dev.mkplat.core.Environment;
import dev.mkplat.core.MkplatException;
import dev.mkplat.images.ArchivePush;
import dev.mkplat.images.Crane;
import dev.mkplat.images.RegistryLookup;
import dev.mkplat.images.SourceCheckout;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mkplat images push REGISTRY}: the built archives to a registry, digests unchanged. */
@Command(
        name = "push",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header =
                "Pushes the built service images to a registry, as REGISTRY/<service>:<tag>, with the archives' digests.",
        description = {
            "",
            "REGISTRY is what images.registry in mkplat.yaml then says: a host and a path, e.g. registry.example.com/mkplat",
            "(pushes registry.example.com/mkplat/api:<tag>, .../auth, .../images). The tag is images.tag of mkplat.yaml,",
            "by default this CLI's version. A registry on this machine (127.0.0.1, localhost) is spoken to over plain http.",
            "Pushed with crane ($MKPLAT_CRANE, crane on PATH, or the one scripts/images builds), which reads",
            "docker login's credentials. Each digest is checked against the registry's answer afterwards.",
            "",
        },
        footer = {
            "",
            "Examples:",
            "  mkplat images push 127.0.0.1:5001/mkplat      # scripts/registry start runs a registry there",
            "  mkplat images push ghcr.io/me/mkplat",
            "",
            "Exit codes: 0 pushed, 1 a push failed, 2 bad usage or not in a source checkout."
        })
public final class ImagesPushCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions;

    @Parameters(paramLabel = "REGISTRY", description = "Registry host and path, e.g. 127.0.0.1:5001/mkplat.")
    String registry;

    @Override
    public Integer call() {
        String prefix = registry.replaceAll("/+$", "");
        if (!prefix.contains("/")
                || prefix.contains("://")
                || prefix.contains(":") && prefix.indexOf(':') > prefix.indexOf('/')) {
            throw MkplatException.usage(
                    "REGISTRY must be a host and a path without a tag or scheme, like 127.0.0.1:5001/mkplat; got '"
                            + registry + "'",
                    "the images become REGISTRY/api:<tag>, REGISTRY/auth:<tag>, REGISTRY/images:<tag>");
        }
        Environment environment = MkplatCommand.of(spec).environment();
        var config = configOptions.load();
        SourceCheckout checkout = SourceCheckout.of(environment)
                .orElseThrow(() -> SourceCheckout.outside("mkplat images push", environment.workingDirectory()));
        var out = spec.commandLine().getOut();
        new ArchivePush(Crane.locate(environment), new RegistryLookup(Duration.ofSeconds(10)), line -> {
                    out.println(line);
                    out.flush();
                })
                .push(checkout.archives(), prefix, config.images().tag());
        out.println("set images.registry: " + prefix + " in mkplat.yaml for deploy to use them");
        out.flush();
        return 0;
    }
}
