package dev.mkplat.images;

import dev.mkplat.core.Environment;
import dev.mkplat.core.MkplatException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A source checkout of mkplat, where the service images can be built: the directory with {@code
 * mvnw} and the services' poms. mkplat finds it from where its own jar is ({@code cli/target/mkplat.jar}
 * inside it, as {@code scripts/mkplat} runs it) or else from the working directory and its parents.
 *
 * @param root the checkout's top directory
 */
public record SourceCheckout(Path root) {
    /** The services that have an image, in the order the platform lists them. */
    public static final List<String> SERVICES = List.of("api", "auth", "images");

    /**
     * The first checkout at or above the jar's location, else at or above the working directory.
     *
     * @param codeLocation     the jar (or classes directory) mkplat runs from, if known
     * @param workingDirectory the user's working directory
     */
    public static Optional<SourceCheckout> find(Optional<Path> codeLocation, Path workingDirectory) {
        List<Path> starts = new ArrayList<>();
        codeLocation.map(Path::toAbsolutePath).ifPresent(starts::add);
        starts.add(workingDirectory.toAbsolutePath());
        for (Path start : starts) {
            for (Path candidate = start.normalize(); candidate != null; candidate = candidate.getParent()) {
                if (isCheckout(candidate)) {
                    return Optional.of(new SourceCheckout(candidate));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The jar mkplat runs from, when it is a jar: {@code scripts/mkplat} runs {@code cli/target/mkplat.jar}
     * of a checkout. Classes in a directory (tests, an IDE) say nothing about where the user works.
     */
    public static Optional<Path> runningJar() {
        try {
            var source = SourceCheckout.class.getProtectionDomain().getCodeSource();
            Path location = source == null ? null : Path.of(source.getLocation().toURI());
            return location != null
                            && Files.isRegularFile(location)
                            && location.toString().endsWith(".jar")
                    ? Optional.of(location)
                    : Optional.empty();
        } catch (URISyntaxException | SecurityException | IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    /** The checkout mkplat works with: the one its jar is in, else the working directory's. */
    public static Optional<SourceCheckout> of(Environment environment) {
        return find(runningJar(), environment.workingDirectory());
    }

    /** Exit 2 outside a checkout: what to do instead. */
    public static MkplatException outside(String what, Path workingDirectory) {
        return MkplatException.usage(
                what + " needs a source checkout of mkplat, and neither mkplat's jar nor " + workingDirectory
                        + " is in one",
                "run it from a checkout (git clone https://github.com/mkplat/mkplat && cd mkplat && scripts/mkplat images build), "
                        + "or use published images: set images.registry in mkplat.yaml");
    }

    static boolean isCheckout(Path directory) {
        return Files.isRegularFile(directory.resolve("mvnw"))
                && Files.isRegularFile(directory.resolve("cli/pom.xml"))
                && SERVICES.stream()
                        .allMatch(service -> Files.isRegularFile(
                                directory.resolve("services").resolve(service).resolve("pom.xml")));
    }

    /** Where the Maven build writes each service's archive and digest. */
    public List<ServiceArchive> archives() {
        return SERVICES.stream()
                .map(service -> {
                    Path image = root.resolve("services").resolve(service).resolve("target/image");
                    return new ServiceArchive(
                            service, image.resolve(service + ".tar"), image.resolve(service + ".digest"));
                })
                .toList();
    }

    /**
     * The build {@code mkplat images build} runs: the images profile for the three services (and
     * the modules they need), tests skipped, the commit as the images' revision label.
     *
     * @param revision the commit ({@code git rev-parse HEAD}), or {@code unknown}
     */
    public List<String> buildCommand(String revision) {
        return List.of(
                root.resolve("mvnw").toString(),
                "-B",
                "-ntp",
                "-Pimages",
                "package",
                "-DskipTests",
                "-pl",
                String.join(
                        ",",
                        SERVICES.stream().map(service -> "services/" + service).toList()),
                "-am",
                "-Dimages.revision=" + revision);
    }
}
