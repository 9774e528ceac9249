package dev.mkplat.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Comparator;
import java.util.Objects;

/**
 * Names one Kubernetes object: what the inventory stores, what results and messages print.
 *
 * @param apiVersion for example {@code apps/v1}
 * @param kind       for example {@code Deployment}
 * @param namespace  empty for cluster-scoped objects
 * @param name       the object's name
 */
public record ObjectRef(String apiVersion, String kind, String namespace, String name)
        implements Comparable<ObjectRef> {
    private static final Comparator<ObjectRef> ORDER = Comparator.comparing(ObjectRef::namespace)
            .thenComparing(ObjectRef::kind)
            .thenComparing(ObjectRef::name)
            .thenComparing(ObjectRef::apiVersion);

    public ObjectRef {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(kind, "kind");
        namespace = namespace == null ? "" : namespace;
        Objects.requireNonNull(name, "name");
    }

    public static ObjectRef of(HasMetadata object) {
        return new ObjectRef(
                object.getApiVersion(),
                object.getKind(),
                object.getMetadata().getNamespace(),
                object.getMetadata().getName());
    }

    /** One line in the inventory: {@code apiVersion|kind|namespace|name}. */
    public String encode() {
        return String.join("|", apiVersion, kind, namespace, name);
    }

    public static ObjectRef decode(String line) {
        String[] parts = line.split("\\|", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an inventory entry: " + line);
        }
        return new ObjectRef(parts[0], parts[1], parts[2], parts[3]);
    }

    public boolean namespaced() {
        return !namespace.isEmpty();
    }

    /** {@code kind/name} or {@code kind namespace/name}, as a person reads it. */
    @Override
    public String toString() {
        return namespaced() ? kind + " " + namespace + "/" + name : kind + " " + name;
    }

    @Override
    public int compareTo(ObjectRef other) {
        return ORDER.compare(this, other);
    }
}
