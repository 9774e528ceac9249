package dev.mkplat.images;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.Environment;
import dev.mkplat.kube.Cluster;
import dev.mkplat.render.ImagePins;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which digest deploy pins each service image to, from what it can know before rendering: the
 * registry's answer where the cluster pulls from a registry (the test cluster's mirror, or any
 * registry but Docker Hub), the digest file of the built archive where the images were loaded into
 * the nodes (minikube, kind). Nothing known, nothing pinned: the tag alone, as before.
 */
public final class ImagePinning {
    private final RegistryLookup registry;

    public ImagePinning(RegistryLookup registry) {
        this.registry = registry;
    }

    /** As deploy, diff and up use it: a registry that does not answer within 3 seconds pins nothing. */
    public static ImagePinning standard() {
        return new ImagePinning(new RegistryLookup(Duration.ofSeconds(3)));
    }

    /**
     * The pins, and a line for the user saying where they came from.
     *
     * @param pins  the digests to render
     * @param notes what to print: where each digest came from, or why an image is not pinned
     */
    public record Decision(ImagePins pins, List<String> notes) {
        public Decision {
            notes = List.copyOf(notes);
        }
    }

    /** For this cluster, from this machine (its checkout's archives, {@code PATH}). */
    public Decision forCluster(Cluster cluster, Environment environment, PlatformConfig.Images images) {
        return forCluster(cluster, environment, images, Map.of());
    }

    /**
     * For this cluster, from this machine, asking the registry only about references whose digest
     * is not in {@code known} (what {@link LocalImageSupply} was just told, or pushed).
     */
    public Decision forCluster(
            Cluster cluster, Environment environment, PlatformConfig.Images images, Map<ImageRef, String> known) {
        return decide(LocalClusters.detect(cluster, environment), SourceCheckout.of(environment), images, known);
    }

    /**
     * The decision for a cluster of this kind; registry lookups (for references not in {@code
     * known}) are the only I/O besides the digest files.
     */
    public Decision decide(
            LoadTarget target,
            Optional<SourceCheckout> checkout,
            PlatformConfig.Images images,
            Map<ImageRef, String> known) {
        Map<String, ImagePins.Pin> pins = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (String service : SourceCheckout.SERVICES) {
            ImageRef reference = ImageRef.parse(images.reference(service));
            switch (target) {
                case LoadTarget.Minikube ignored ->
                    archiveDigest(checkout, service)
                            .ifPresent(digest -> pins.put(service, new ImagePins.Pin(digest, false)));
                case LoadTarget.Kind ignored ->
                    archiveDigest(checkout, service)
                            .ifPresent(digest -> pins.put(service, new ImagePins.Pin(digest, false)));
                case LoadTarget.TestCluster testCluster ->
                    ask(
                            reference.registry().equals(ImageRef.DOCKER_HUB)
                                    ? reference.in(testCluster.registry())
                                    : reference,
                            service,
                            known,
                            pins,
                            notes);
                case LoadTarget.Unsupported ignored -> ask(reference, service, known, pins, notes);
            }
        }
        List<String> byReference = pins.entrySet().stream()
                .filter(entry -> entry.getValue().inReference())
                .map(Map.Entry::getKey)
                .toList();
        List<String> byAnnotation = pins.entrySet().stream()
                .filter(entry -> !entry.getValue().inReference())
                .map(Map.Entry::getKey)
                .toList();
        if (!byReference.isEmpty()) {
            notes.addFirst("images: " + String.join(", ", byReference)
                    + " pinned by the digest the registry has (reference@sha256:...)");
        }
        if (!byAnnotation.isEmpty()) {
            notes.addFirst("images: " + String.join(", ", byAnnotation)
                    + " pinned by the built archives' digests (loaded by tag; "
                    + "the pod templates carry the digest)");
        }
        return new Decision(new ImagePins(pins), notes);
    }

    private void ask(
            ImageRef reference,
            String service,
            Map<ImageRef, String> known,
            Map<String, ImagePins.Pin> pins,
            List<String> notes) {
        RegistryLookup.Answer answer = known.containsKey(reference)
                ? new RegistryLookup.Answer.Found(known.get(reference))
                : registry.digest(reference);
        switch (answer) {
            case RegistryLookup.Answer.Found found -> pins.put(service, new ImagePins.Pin(found.digest(), true));
            case RegistryLookup.Answer.Missing missing ->
                notes.add(
                        "warning: the registry has no " + reference.tagged()
                                + "; its pods will not start until it does (mkplat images push, or mkplat images load on a local cluster)");
            case RegistryLookup.Answer.Unknown unknown -> {
                // No answer (offline, or the registry wants credentials): the tag alone, as the manifests say.
            }
        }
    }

    static Optional<String> archiveDigest(Optional<SourceCheckout> checkout, String service) {
        return checkout.flatMap(found -> found.archives().stream()
                        .filter(archive -> archive.service().equals(service))
                        .findFirst())
                .flatMap(ServiceArchive::digest);
    }
}
