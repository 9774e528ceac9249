package dev.mkplat.images;

import dev.mkplat.core.MkplatException;
import java.util.Optional;

/**
 * An image reference taken apart as registries see it: {@code docker.io/mkplat/api:0.1.0} is
 * registry {@code docker.io}, repository {@code mkplat/api}, tag {@code 0.1.0}. A name without a
 * registry is Docker Hub's, and a Docker Hub name without a slash is under {@code library/}, as
 * container runtimes read them.
 *
 * @param registry   the registry host (and port), {@code docker.io} for Docker Hub
 * @param repository the repository path
 * @param tag        the tag ({@code latest} when none was written)
 * @param digest     the digest when the reference pins one ({@code sha256:...})
 */
public record ImageRef(String registry, String repository, String tag, Optional<String> digest) {
    /** Docker Hub, as references name it. */
    public static final String DOCKER_HUB = "docker.io";

    /** Parses a reference; exit 2 when it is not one. */
    public static ImageRef parse(String reference) {
        String rest = reference.strip();
        Optional<String> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Optional.of(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        int slash = rest.indexOf('/');
        String registry = DOCKER_HUB;
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        String tag = "latest";
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        if (rest.isEmpty() || tag.isEmpty() || !rest.matches("[a-z0-9]+([._/-][a-z0-9]+)*")) {
            throw MkplatException.usage(
                    "'" + reference + "' is not an image reference", "write it as registry/repository:tag");
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        return new ImageRef(registry, rest, tag, digest);
    }

    /** The same repository and tag in another registry (how a mirror of docker.io holds it). */
    public ImageRef in(String otherRegistry) {
        return new ImageRef(otherRegistry, repository, tag, Optional.empty());
    }

    /** {@code registry/repository:tag}, without the digest. */
    public String tagged() {
        return registry + "/" + repository + ":" + tag;
    }

    /**
     * Whether a name a node reports ({@code status.images[].names}) is this image: containerd says
     * {@code docker.io/mkplat/api:0.1.0}, Docker {@code mkplat/api:0.1.0}, both {@code ...@sha256:...}
     * for the digest.
     */
    public boolean matches(String nodeImageName) {
        ImageRef other;
        try {
            other = parse(nodeImageName);
        } catch (MkplatException notAReference) {
            return false;
        }
        if (!other.registry.equals(registry) || !other.repository.equals(repository)) {
            return false;
        }
        if (digest.isPresent() && other.digest.isPresent()) {
            return digest.equals(other.digest);
        }
        return other.digest.isEmpty() && other.tag.equals(tag);
    }

    /** Whether the registry is on this machine (plain http is expected there). */
    public static boolean isLoopback(String registry) {
        String host = registry.startsWith("[")
                ? registry.substring(0, registry.indexOf(']') + 1)
                : registry.contains(":") ? registry.substring(0, registry.indexOf(':')) : registry;
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
    }

    @Override
    public String toString() {
        return tagged() + digest.map(value -> "@" + value).orElse("");
    }
}
