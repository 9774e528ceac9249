package dev.mkplat.kube;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Which cluster to talk to, as the user named it.
 *
 * @param kubeconfig the kubeconfig file; empty means {@code $KUBECONFIG}, then {@code ~/.kube/config}
 * @param context    the context in it; empty means the current context
 */
public record KubeTarget(Optional<Path> kubeconfig, Optional<String> context) {
    /** The kubeconfig and context a user gets without flags. */
    public static KubeTarget defaults() {
        return new KubeTarget(Optional.empty(), Optional.empty());
    }
}
