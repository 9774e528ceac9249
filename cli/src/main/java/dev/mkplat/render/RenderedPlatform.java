package dev.mkplat.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The objects to apply, in bundle order, grouped into components. A component is a namespace of the
 * platform ({@code db}, {@code infra}, {@code auth}, {@code api}, {@code images}, {@code
 * monitoring}): the Namespace itself and everything in it. That is the unit of {@code deploy
 * api}, of {@code status} rows and of the inventory.
 *
 * @param objects every object, in apply order
 */
public record RenderedPlatform(List<HasMetadata> objects) {
    /** Where cluster-scoped objects other than Namespaces would go; the bundle has none today. */
    public static final String CLUSTER_COMPONENT = "cluster";

    public RenderedPlatform {
        objects = List.copyOf(objects);
    }

    /** The component an object belongs to: its namespace, or its own name for a Namespace. */
    public static String componentOf(HasMetadata object) {
        if ("Namespace".equals(object.getKind())) {
            return object.getMetadata().getName();
        }
        String namespace = object.getMetadata().getNamespace();
        return namespace == null || namespace.isEmpty() ? CLUSTER_COMPONENT : namespace;
    }

    /** The component names in the order their Namespaces appear. */
    public List<String> componentNames() {
        Set<String> names = new LinkedHashSet<>();
        objects.forEach(object -> names.add(componentOf(object)));
        return List.copyOf(names);
    }

    /** Each component's objects, in apply order. */
    public Map<String, List<HasMetadata>> components() {
        Map<String, List<HasMetadata>> components = new LinkedHashMap<>();
        for (HasMetadata object : objects) {
            components
                    .computeIfAbsent(componentOf(object), key -> new ArrayList<>())
                    .add(object);
        }
        return components;
    }

    /** Only the objects of these components (all of them when {@code names} is empty). */
    public RenderedPlatform only(Set<String> names) {
        if (names.isEmpty()) {
            return this;
        }
        return new RenderedPlatform(objects.stream()
                .filter(object -> names.contains(componentOf(object)))
                .toList());
    }

    /** This platform with more objects after the rendered ones (generated Secrets, for example). */
    public RenderedPlatform plus(List<? extends HasMetadata> more) {
        List<HasMetadata> all = new ArrayList<>(more);
        all.addAll(0, objects);
        return new RenderedPlatform(all);
    }
}
