package dev.mkplat.kube;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What mkplat applied last, per component: the objects a deploy may prune once they leave the
 * bundle. Immutable; each change returns a new record.
 *
 * @param components the applied objects of each component, by component name
 */
public record InventoryRecord(Map<String, SortedSet<ObjectRef>> components) {
    public InventoryRecord {
        TreeMap<String, SortedSet<ObjectRef>> copy = new TreeMap<>();
        components.forEach((name, refs) -> copy.put(name, Collections.unmodifiableSortedSet(new TreeSet<>(refs))));
        components = Collections.unmodifiableSortedMap(copy);
    }

    public static InventoryRecord empty() {
        return new InventoryRecord(Map.of());
    }

    /** The objects recorded for a component; empty when it has none. */
    public SortedSet<ObjectRef> of(String component) {
        return components.getOrDefault(component, new TreeSet<>());
    }

    /** This record with the component's objects replaced. */
    public InventoryRecord with(String component, Collection<ObjectRef> refs) {
        Map<String, SortedSet<ObjectRef>> next = new TreeMap<>(components);
        if (refs.isEmpty()) {
            next.remove(component);
        } else {
            next.put(component, new TreeSet<>(refs));
        }
        return new InventoryRecord(next);
    }

    /** This record with the component's objects joined by {@code refs} (before an apply that may stop half way). */
    public InventoryRecord plus(String component, Collection<ObjectRef> refs) {
        TreeSet<ObjectRef> union = new TreeSet<>(of(component));
        union.addAll(refs);
        return with(component, union);
    }

    /** Every recorded object. */
    public SortedSet<ObjectRef> all() {
        TreeSet<ObjectRef> all = new TreeSet<>();
        components.values().forEach(all::addAll);
        return all;
    }
}
