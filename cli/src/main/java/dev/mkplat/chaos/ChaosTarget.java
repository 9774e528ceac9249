package dev.mkplat.chaos;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.MkplatException;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.render.PlatformRenderer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A workload of the platform that an experiment can aim at: {@code api}, {@code auth}, {@code
 * images}, {@code postgres}, {@code redis}, {@code gcs-emulator} (the emulator only in storage mode
 * {@code emulator}). The list comes from the rendered bundle, so it is exactly what {@code deploy}
 * installs with this configuration.
 *
 * @param name      the workload's name, which is also its {@code app.kubernetes.io/name} label
 * @param namespace its namespace
 * @param kind      {@code Deployment} or {@code StatefulSet}
 */
public record ChaosTarget(String name, String namespace, String kind) {
    /** The label that names a component on its workload, pods and network policies. */
    public static final String NAME_LABEL = "app.kubernetes.io/name";

    /** Every Deployment and StatefulSet of the platform rendered with {@code config}, in bundle order. */
    public static List<ChaosTarget> all(ManifestBundle bundle, PlatformConfig config) {
        return PlatformRenderer.render(bundle, config).objects().stream()
                .filter(object -> "Deployment".equals(object.getKind()) || "StatefulSet".equals(object.getKind()))
                .filter(object -> PlatformRenderer.MKPLAT.equals(label(object, PlatformRenderer.PART_OF_LABEL)))
                .map(object -> new ChaosTarget(
                        object.getMetadata().getName(), object.getMetadata().getNamespace(), object.getKind()))
                .toList();
    }

    /**
     * The target named {@code name}.
     *
     * @throws MkplatException exit 2, listing the valid names, when there is none
     */
    public static ChaosTarget named(String name, List<ChaosTarget> targets) {
        return targets.stream()
                .filter(target -> target.name().equals(name))
                .findFirst()
                .orElseThrow(() -> MkplatException.usage(
                        "unknown component '" + name + "'",
                        "valid components: "
                                + targets.stream().map(ChaosTarget::name).collect(Collectors.joining(", "))));
    }

    private static String label(HasMetadata object, String key) {
        return object.getMetadata().getLabels() == null
                ? null
                : object.getMetadata().getLabels().get(key);
    }

    @Override
    public String toString() {
        return name + " (" + kind + " " + namespace + "/" + name + ")";
    }
}
