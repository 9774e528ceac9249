package dev.mkplat.render;

import java.util.Map;
import java.util.Objects;

/**
 * The digests of the service images that rendering pins, by service ({@code api}, {@code auth},
 * {@code images}): an input, found out before rendering, so that rendering stays pure. A new
 * digest changes the rendered pod template, so {@code diff} shows it and a deploy rolls the pods.
 *
 * @param byService the pin of each service that has one
 */
public record ImagePins(Map<String, ImagePins.Pin> byService) {
    /** No pins: the images by tag alone. */
    public static final ImagePins NONE = new ImagePins(Map.of());

    public ImagePins {
        byService = Map.copyOf(byService);
    }

    /**
     * One service's digest, and how it is pinned.
     *
     * @param digest      {@code sha256:...}
     * @param inReference true when a registry the cluster pulls from has the image: the reference
     *                    becomes {@code repo:tag@digest}. False when the image was loaded into the
     *                    nodes by tag (minikube, kind): a runtime that loaded an archive may not know
     *                    it by digest (Docker's image store keeps no registry digest for a loaded
     *                    image), so the reference keeps the tag and the digest goes into the pod
     *                    template's {@link PlatformRenderer#IMAGE_DIGEST_ANNOTATION} annotation.
     */
    public record Pin(String digest, boolean inReference) {
        public Pin {
            Objects.requireNonNull(digest, "digest");
        }
    }
}
