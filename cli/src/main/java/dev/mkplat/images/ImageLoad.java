package dev.mkplat.images;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code mkplat images load}: puts the service archives into the local cluster that {@link
 * LoadTarget#detect} found, under the names deploy renders ({@code images.registry} and {@code
 * images.tag} of mkplat.yaml): minikube and kind load a tar that carries that name, the project's
 * test cluster gets them pushed to its registry.
 */
public final class ImageLoad {
    private final Consumer<String> out;
    private final Supplier<Crane> crane;
    private final RegistryLookup registry;

    public ImageLoad(Consumer<String> out, Supplier<Crane> crane, RegistryLookup registry) {
        this.out = out;
        this.crane = crane;
        this.registry = registry;
    }

    /**
     * Loads every archive.
     *
     * @return the digest of each reference now in the cluster (or its registry)
     * @throws MkplatException exit 1 when the cluster is none mkplat can load into, or a load fails
     */
    public Map<ImageRef, String> run(LoadTarget target, List<ServiceArchive> archives, PlatformConfig.Images images) {
        ArchivePush.requireBuilt(archives);
        Map<ImageRef, String> loaded = new LinkedHashMap<>();
        switch (target) {
            case LoadTarget.Unsupported unsupported ->
                throw new MkplatException(
                        ExitCode.FAILED,
                        "cannot load images into this cluster: " + unsupported.why(),
                        "push them to a registry the cluster pulls from: mkplat images push REGISTRY/PATH, then set images.registry: "
                                + "REGISTRY/PATH in mkplat.yaml");
            case LoadTarget.TestCluster testCluster -> {
                out.accept("cluster: the project's test cluster; pushing to its registry " + testCluster.registry());
                requireRegistry(testCluster.registry());
                ArchivePush push = new ArchivePush(crane.get(), registry, out);
                for (ServiceArchive archive : archives) {
                    ImageRef name = ImageRef.parse(images.reference(archive.service()));
                    ArchivePush.Pushed pushed = push.push(archive, name.in(testCluster.registry()));
                    loaded.put(pushed.reference(), pushed.digest());
                }
            }
            case LoadTarget.Minikube minikube -> {
                out.accept("cluster: minikube (profile " + minikube.profile() + ")");
                archives.forEach(
                        archive -> loaded.putAll(loadNamed(archive, images, named -> minikube.command(named))));
            }
            case LoadTarget.Kind kind -> {
                out.accept("cluster: kind (cluster " + kind.cluster() + ")");
                archives.forEach(archive -> loaded.putAll(loadNamed(archive, images, named -> kind.command(named))));
            }
        }
        return loaded;
    }

    /** Writes the archive again under the name deploy renders, and runs the cluster's load command on it. */
    private Map<ImageRef, String> loadNamed(
            ServiceArchive archive, PlatformConfig.Images images, Function<ServiceArchive, List<String>> command) {
        String reference = images.reference(archive.service());
        Path work = ArchivePush.temporaryDirectory();
        try {
            OciLayout layout = OciLayout.unpack(archive.archive(), work.resolve("layout"));
            Path named = work.resolve(archive.service() + ".tar");
            layout.writeNamedArchive(named, reference);
            ExternalCommand load = ExternalCommand.of(
                    command.apply(new ServiceArchive(archive.service(), named, archive.digestFile())), work);
            out.accept("  " + load);
            int exit = load.run(line -> out.accept("    " + line));
            if (exit != 0) {
                throw new MkplatException(
                        ExitCode.FAILED,
                        "loading " + reference + " failed (" + load.command().getFirst() + " exited " + exit + ")",
                        "see its output above");
            }
            out.accept("loaded " + reference + "@" + layout.manifestDigest());
            return Map.of(ImageRef.parse(reference), layout.manifestDigest());
        } finally {
            ArchivePush.delete(work);
        }
    }

    private void requireRegistry(String host) {
        RegistryLookup.Answer answer = registry.digest(ImageRef.parse(host + "/mkplat/probe:none"));
        if (answer instanceof RegistryLookup.Answer.Unknown unknown) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    "the test cluster's registry on " + host + " does not answer (" + unknown.why() + ")",
                    "start it: scripts/registry start");
        }
    }
}
