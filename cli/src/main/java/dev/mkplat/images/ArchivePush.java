package dev.mkplat.images;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Pushes the service archives to a registry with {@link Crane}, as OCI layouts, so that the pushed
 * digest is the archive's; then asks the registry and fails when it shows another digest.
 */
public final class ArchivePush {
    private final Crane crane;
    private final RegistryLookup registry;
    private final Consumer<String> out;

    public ArchivePush(Crane crane, RegistryLookup registry, Consumer<String> out) {
        this.crane = crane;
        this.registry = registry;
        this.out = out;
    }

    /** One pushed image: where, and its digest. */
    public record Pushed(String service, ImageRef reference, String digest) {
        @Override
        public String toString() {
            return reference.tagged() + "@" + digest;
        }
    }

    /**
     * Pushes each archive to {@code <prefix>/<service>:<tag>}.
     *
     * @param prefix registry and path, as {@code images.registry} in mkplat.yaml, for example {@code 127.0.0.1:5001/mkplat}
     */
    public List<Pushed> push(List<ServiceArchive> archives, String prefix, String tag) {
        requireBuilt(archives);
        List<Pushed> pushed = new ArrayList<>();
        for (ServiceArchive archive : archives) {
            ImageRef target = ImageRef.parse(prefix + "/" + archive.service() + ":" + tag);
            pushed.add(push(archive, target));
        }
        return pushed;
    }

    /** Pushes one archive to {@code target} and checks the digest the registry then shows. */
    public Pushed push(ServiceArchive archive, ImageRef target) {
        Path work = temporaryDirectory();
        try {
            OciLayout layout = OciLayout.unpack(archive.archive(), work);
            String digest = layout.manifestDigest();
            crane.push(work, target, out);
            RegistryLookup.Answer answer = registry.digest(target);
            if (answer instanceof RegistryLookup.Answer.Found found
                    && !found.digest().equals(digest)) {
                throw new MkplatException(
                        ExitCode.FAILED,
                        "the registry shows " + target.tagged() + " as " + found.digest() + ", not the archive's "
                                + digest,
                        "another push to the same tag may have raced this one; push again");
            }
            Pushed result = new Pushed(archive.service(), target, digest);
            out.accept("pushed " + result);
            return result;
        } finally {
            delete(work);
        }
    }

    /** Exit 1 naming the missing archives and how to build them. */
    static void requireBuilt(List<ServiceArchive> archives) {
        List<String> missing = archives.stream()
                .filter(archive -> !archive.built())
                .map(archive -> archive.archive().toString())
                .toList();
        if (!missing.isEmpty()) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    "no image archive at " + String.join(", ", missing),
                    "build the images first: mkplat images build");
        }
    }

    static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("mkplat-image-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory left behind is not worth failing a push for.
        }
    }
}
