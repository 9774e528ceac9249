package dev.mkplat.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.Optional;

/** Reaches any object by its {@link ObjectRef}, whatever its kind, including custom resources. */
final class LiveObjects {
    private LiveObjects() {}

    static Resource<GenericKubernetesResource> resource(KubernetesClient client, ObjectRef ref) {
        var objects = client.genericKubernetesResources(ref.apiVersion(), ref.kind());
        return ref.namespaced()
                ? objects.inNamespace(ref.namespace()).withName(ref.name())
                : objects.withName(ref.name());
    }

    /** fabric8's answer when discovery does not know the kind: a CRD that is not installed (yet or any more). */
    static boolean kindUnknown(KubernetesClientException e) {
        return e.getCode() <= 0 && e.getMessage() != null && e.getMessage().startsWith("Could not find the metadata");
    }

    /** The live object; empty when it, or its kind, does not exist. */
    static Optional<GenericKubernetesResource> get(KubernetesClient client, ObjectRef ref) {
        try {
            return Optional.ofNullable(resource(client, ref).get());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || kindUnknown(e)) {
                return Optional.empty();
            }
            throw e;
        } catch (IllegalArgumentException e) {
            // fabric8 throws this when discovery does not know the kind: a CRD that is not installed.
            return Optional.empty();
        }
    }
}
