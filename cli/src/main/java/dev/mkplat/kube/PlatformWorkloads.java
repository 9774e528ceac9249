package dev.mkplat.kube;

import dev.mkplat.core.PlatformLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;

/**
 * The one lookup of a platform workload by kind and name, which {@link ComponentPods} (kill-pod)
 * and {@link StoppedWorkloads} (stop) both start from, so that they agree on what may be a target:
 * a Deployment or StatefulSet labelled {@value PlatformLabels#PART_OF}={@value PlatformLabels#MKPLAT}.
 */
final class PlatformWorkloads {
    private PlatformWorkloads() {}

    /**
     * The workload {@code kind namespace/name}; empty when it does not exist or is not part of the platform.
     *
     * @param kind {@code Deployment} or {@code StatefulSet}
     */
    static Optional<HasMetadata> find(KubernetesClient client, String kind, String namespace, String name) {
        HasMetadata live = switch (kind) {
            case "Deployment" ->
                client.apps()
                        .deployments()
                        .inNamespace(namespace)
                        .withName(name)
                        .get();
            case "StatefulSet" ->
                client.apps()
                        .statefulSets()
                        .inNamespace(namespace)
                        .withName(name)
                        .get();
            default -> throw new IllegalArgumentException("not a workload kind chaos knows: " + kind);
        };
        return Optional.ofNullable(live).filter(PlatformWorkloads::partOfPlatform);
    }

    /** Whether the object carries the platform's part-of label; chaos touches nothing without it. */
    static boolean partOfPlatform(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels != null && PlatformLabels.MKPLAT.equals(labels.get(PlatformLabels.PART_OF));
    }

    /** The replicas its spec asks for; unset counts as one, as the API server defaults it. */
    static int replicas(HasMetadata workload) {
        Integer replicas = switch (workload) {
            case Deployment deployment -> deployment.getSpec().getReplicas();
            case StatefulSet statefulSet -> statefulSet.getSpec().getReplicas();
            default -> null;
        };
        return replicas == null ? 1 : replicas;
    }
}
