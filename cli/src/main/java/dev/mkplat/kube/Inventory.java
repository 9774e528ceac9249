package dev.mkplat.kube;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.core.PlatformLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The inventory of what mkplat applied, kept in the cluster as the ConfigMap {@code
 * default/mkplat-inventory} (one key per component, one object per line). Pruning works from it, so
 * an object dropped from the bundle is deleted on the next deploy, and nothing mkplat did not
 * apply is ever touched. It lives in {@code default} because the platform's own namespaces come
 * and go with destroy and prune.
 */
public final class Inventory {
    public static final String NAMESPACE = "default";
    public static final String NAME = "mkplat-inventory";

    private final KubernetesClient client;
    private final ResourceApplier applier;

    public Inventory(Cluster cluster, ResourceApplier applier) {
        this.client = cluster.client();
        this.applier = applier;
    }

    /** The recorded objects; empty when mkplat never deployed to this cluster. */
    public InventoryRecord read() {
        ConfigMap stored =
                client.configMaps().inNamespace(NAMESPACE).withName(NAME).get();
        if (stored == null || stored.getData() == null) {
            return InventoryRecord.empty();
        }
        Map<String, List<ObjectRef>> components = new TreeMap<>();
        stored.getData()
                .forEach((component, lines) -> components.put(
                        component,
                        Arrays.stream(lines.split("\n"))
                                .filter(line -> !line.isBlank())
                                .map(ObjectRef::decode)
                                .toList()));
        return new InventoryRecord(components.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> new TreeSet<>(entry.getValue()))));
    }

    /**
     * Stores the record with server-side apply, so that writing the same record again changes
     * nothing (a rerun with no change writes nothing, the inventory included).
     */
    public ApplyResult write(InventoryRecord record) {
        Map<String, String> data = new TreeMap<>();
        record.components()
                .forEach((component, refs) -> data.put(
                        component, refs.stream().map(ObjectRef::encode).collect(Collectors.joining("\n", "", "\n"))));
        ConfigMap inventory = new ConfigMapBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(NAMESPACE)
                .addToLabels(PlatformLabels.MANAGED_BY, PlatformLabels.MKPLAT)
                .addToLabels("app.kubernetes.io/part-of", "mkplat")
                .addToAnnotations("mkplat.dev/purpose", "objects applied by mkplat, used to prune; do not edit")
                .endMetadata()
                .withData(data)
                .build();
        ApplyResult result = applier.apply(inventory);
        if (!result.outcome().succeeded()) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    "cannot store the inventory " + NAMESPACE + "/" + NAME + ": " + result.detail(),
                    "mkplat needs to write ConfigMaps in " + NAMESPACE + "; mkplat init checks the permissions");
        }
        return result;
    }

    /** Removes the inventory (destroy --purge-data leaves nothing behind). */
    public void delete() {
        client.configMaps().inNamespace(NAMESPACE).withName(NAME).delete();
    }
}
