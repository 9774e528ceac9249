package dev.mkplat.cli;

import dev.mkplat.images.ImageBuild;
import dev.mkplat.images.SourceCheckout;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mkplat images build}: the checkout's Maven image build, with its progress. */
@Command(
        name = "build",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Builds the api, auth and images service images with Jib (no Docker) from the source checkout.",
        description = {
            "",
            "Runs, in the checkout mkplat runs from (its jar's, else the working directory's):",
            "  ./mvnw -B -ntp -Pimages package -DskipTests -pl services/api,services/auth,services/images -am",
            "and prints each archive and its digest. The base image is eclipse-temurin:25-jre, or the project's own",
            "offline base once scripts/base-image built it. The same commit gives the same digests.",
            "Maven's progress is shown; --verbose shows all of its output. Takes a minute or two with warm caches.",
            "",
        },
        footer = {
            "",
            "Next: mkplat images load (a local cluster), or mkplat images push REGISTRY/PATH.",
            "",
            "Exit codes: 0 built, 1 the build failed, 2 not in a source checkout."
        })
public final class ImagesBuildCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    ImagesCommand parent;

    @Override
    public Integer call() {
        MkplatCommand root = MkplatCommand.of(spec);
        SourceCheckout checkout = SourceCheckout.of(root.environment())
                .orElseThrow(() -> SourceCheckout.outside(
                        "mkplat images build", root.environment().workingDirectory()));
        var out = spec.commandLine().getOut();
        new ImageBuild(
                        line -> {
                            out.println(line);
                            out.flush();
                        },
                        root.verbose())
                .run(checkout, root.environment().variable("JAVA_HOME"), Path.of(System.getProperty("java.home")));
        return 0;
    }
}
