package dev.mkplat.deploy;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.render.KubernetesYaml;
import dev.mkplat.render.ManifestBundle;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code deploy --dry-run}: the full YAML that deploy would apply, in apply order, with every
 * Secret value redacted. It needs no cluster and writes nothing, not even certificate files; so it
 * lists every Secret as deploy would make it on an empty cluster (on a live one, the generated
 * Secrets that exist are kept instead).
 */
public final class PlatformDryRun {
    private PlatformDryRun() {}

    /** The YAML, with a header saying what it is. */
    public static String yaml(ManifestBundle bundle, PlatformConfig config, PlatformScope scope) {
        PlatformPlan plan = PlatformPlan.of(
                bundle,
                config,
                scope,
                (namespace, name) -> Optional.empty(),
                Optional.of(PlatformPlan.placeholderCertificate()),
                new SecureRandom());
        List<HasMetadata> ordered = inApplyOrder(plan.objects());
        return "# mkplat deploy --dry-run: " + ordered.size() + " objects of " + String.join(", ", plan.components())
                + " in apply order; Secret values are redacted and nothing was written\n"
                + KubernetesYaml.toYaml(ordered);
    }

    /** Objects sorted by stage, bundle order kept within a stage. */
    public static List<HasMetadata> inApplyOrder(List<HasMetadata> objects) {
        return objects.stream()
                .sorted(Comparator.comparing((HasMetadata object) -> DeployStage.of(object)))
                .toList();
    }
}
