package dev.mkplat.deploy;

import dev.mkplat.certs.CertificateFiles;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.kube.ApplyResult;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.Inventory;
import dev.mkplat.kube.InventoryRecord;
import dev.mkplat.kube.ObjectRef;
import dev.mkplat.kube.ResourceApplier;
import dev.mkplat.kube.ResourceApplier.Preview;
import dev.mkplat.kube.SecretReader;
import dev.mkplat.render.KubernetesYaml;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.render.UnifiedDiff;
import dev.mkplat.secrets.SecretPlanner.TlsMaterial;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code mkplat diff}: what a deploy would change, found by a server-side dry-run of each object
 * (so admission, defaulting and merging are the apiserver's own), as unified diffs; the objects it
 * would create; and those it would prune. Nothing is written: not the cluster, not the inventory,
 * not the certificate files.
 */
public final class PlatformDiff {
    private final ManifestBundle bundle;

    public PlatformDiff(ManifestBundle bundle) {
        this.bundle = bundle;
    }

    /**
     * The differences.
     *
     * @param changed diffs of objects that exist and would change, by object
     * @param created objects that would be created
     * @param pruned  objects that would be pruned
     * @param refused objects the apiserver would refuse (conflicts included), with why
     * @param unchanged how many objects would stay as they are
     * @param notes   anything else (for example ServiceMonitors skipped for want of their CRD)
     */
    public record Result(
            Map<ObjectRef, String> changed,
            List<ObjectRef> created,
            List<ObjectRef> pruned,
            List<ApplyResult> refused,
            int unchanged,
            List<String> notes) {
        /** Whether a deploy would change anything. */
        public boolean differs() {
            return !changed.isEmpty() || !created.isEmpty() || !pruned.isEmpty();
        }
    }

    public Result run(
            Cluster cluster, PlatformConfig config, PlatformScope scope, Path certsRoot, boolean forceConflicts) {
        List<String> components = scope.components();
        List<String> notes = new ArrayList<>();
        Optional<TlsMaterial> certificate = certificate(config, components, certsRoot, notes);
        SecretReader secrets = new SecretReader(cluster);
        PlatformPlan plan = PlatformPlan.of(bundle, config, scope, secrets::read, certificate, new SecureRandom());
        notes.addAll(plan.warnings());
        ResourceApplier applier = new ResourceApplier(cluster, forceConflicts);
        boolean monitorsServed = cluster.serves(DeployStage.MONITORS_API, "ServiceMonitor");
        Set<String> missingNamespaces = missingNamespaces(applier, plan.objects());

        List<ObjectRef> created = new ArrayList<>();
        List<HasMetadata> toPreview = new ArrayList<>();
        int skippedMonitors = 0;
        for (HasMetadata object : PlatformDryRun.inApplyOrder(plan.objects())) {
            String namespace = object.getMetadata().getNamespace();
            if (object.getApiVersion().equals(DeployStage.MONITORS_API) && !monitorsServed) {
                skippedMonitors++;
            } else if (namespace != null && missingNamespaces.contains(namespace)) {
                created.add(ObjectRef.of(object));
            } else {
                toPreview.add(object);
            }
        }
        if (skippedMonitors > 0) {
            notes.add(skippedMonitors + " ServiceMonitors and PrometheusRules would be skipped: the cluster has no "
                    + DeployStage.MONITORS_API
                    + " ServiceMonitor (kube-prometheus-stack brings the CRDs; see README, Monitoring)");
        }
        Previewed previewed = preview(applier, toPreview, created);
        return new Result(
                previewed.changed(),
                created,
                prunable(cluster, applier, scope, plan),
                previewed.refused(),
                plan.kept().size() + previewed.unchanged(),
                notes);
    }

    /** The certificate files, only read (diff never generates them), or a placeholder and a note where a deploy would make them. */
    private Optional<TlsMaterial> certificate(
            PlatformConfig config, List<String> components, Path certsRoot, List<String> notes) {
        Optional<TlsMaterial> certificate = CertificateFiles.of(certsRoot, config.domain())
                .tlsPair()
                .map(pair -> new TlsMaterial(pair.chain(), pair.key()));
        if (certificate.isEmpty() && PlatformPlan.needsCertificate(bundle, config, components)) {
            notes.add("no certificates in "
                    + CertificateFiles.of(certsRoot, config.domain()).directory()
                    + ": deploy would generate them and create the platform-tls Secrets");
            certificate = Optional.of(PlatformPlan.placeholderCertificate());
        }
        return certificate;
    }

    /** The plan's namespaces that the cluster does not have yet: everything in them would be created. */
    private static Set<String> missingNamespaces(ResourceApplier applier, List<HasMetadata> objects) {
        Set<String> missing = new TreeSet<>();
        for (HasMetadata namespace : objects.stream()
                .filter(object -> object.getKind().equals("Namespace"))
                .toList()) {
            if (applier.get(ObjectRef.of(namespace)).isEmpty()) {
                missing.add(namespace.getMetadata().getName());
            }
        }
        return missing;
    }

    /** What the server-side dry runs said: objects that would change, refusals, and how many would not change. */
    private record Previewed(Map<ObjectRef, String> changed, List<ApplyResult> refused, int unchanged) {}

    /** Server-side dry runs of {@code objects}; those the cluster does not have are added to {@code created}. */
    private static Previewed preview(ResourceApplier applier, List<HasMetadata> objects, List<ObjectRef> created) {
        Map<ObjectRef, String> changed = new LinkedHashMap<>();
        List<ApplyResult> refused = new ArrayList<>();
        int unchanged = 0;
        for (Preview preview : applier.previewAll(objects)) {
            if (preview.refusal().isPresent()) {
                refused.add(preview.refusal().get());
            } else if (preview.live().isEmpty()) {
                created.add(preview.ref());
            } else {
                String before = comparable(preview.live().get(), Optional.empty());
                String after = comparable(preview.wouldBe().orElseThrow(), preview.live());
                String diff = UnifiedDiff.diff("live " + preview.ref(), "after deploy " + preview.ref(), before, after);
                if (diff.isEmpty()) {
                    unchanged++;
                } else {
                    changed.put(preview.ref(), diff);
                }
            }
        }
        return new Previewed(changed, refused, unchanged);
    }

    /**
     * What a deploy would prune: objects the inventory records for a chosen component (for every
     * recorded component when all are chosen) that the plan no longer has and the cluster still does.
     */
    private static List<ObjectRef> prunable(
            Cluster cluster, ResourceApplier applier, PlatformScope scope, PlatformPlan plan) {
        InventoryRecord recorded = new Inventory(cluster, applier).read();
        Map<String, Set<ObjectRef>> desired = plan.byComponent();
        Set<String> pruneScope = new LinkedHashSet<>(scope.components());
        if (scope.all()) {
            pruneScope.addAll(recorded.components().keySet());
        }
        List<ObjectRef> pruned = new ArrayList<>();
        for (String component : pruneScope) {
            for (ObjectRef ref : recorded.of(component)) {
                if (!desired.getOrDefault(component, Set.of()).contains(ref)
                        && applier.get(ref).isPresent()) {
                    pruned.add(ref);
                }
            }
        }
        return pruned;
    }

    /**
     * The object as YAML without what the apiserver maintains (managed fields, resource version,
     * generation, uid, timestamps, status), so that only a deploy's changes show. A Secret's values
     * never show: each reads {@code <redacted>}, or {@code <redacted, changes>} where the value differs
     * from {@code live}'s.
     */
    @SuppressWarnings("unchecked")
    static String comparable(HasMetadata object, Optional<HasMetadata> live) {
        Map<String, Object> map = KubernetesYaml.toMap(object);
        map.remove("status");
        if (map.get("metadata") instanceof Map<?, ?> metadata) {
            Map<String, Object> meta = (Map<String, Object>) metadata;
            for (String noise : List.of("managedFields", "resourceVersion", "generation", "uid", "creationTimestamp")) {
                meta.remove(noise);
            }
            if (meta.get("annotations") instanceof Map<?, ?> annotations) {
                annotations.remove("deployment.kubernetes.io/revision");
                if (annotations.isEmpty()) {
                    meta.remove("annotations");
                }
            }
        }
        if ("Secret".equals(object.getKind())) {
            Map<String, String> liveData = live.map(KubernetesYaml::toMap)
                    .map(m -> (Map<String, String>) m.get("data"))
                    .orElse(Map.of());
            if (map.get("data") instanceof Map<?, ?> data) {
                Map<String, Object> hidden = new LinkedHashMap<>();
                ((Map<String, Object>) data)
                        .forEach((key, value) -> hidden.put(
                                key,
                                live.isEmpty() || Objects.equals(liveData == null ? null : liveData.get(key), value)
                                        ? KubernetesYaml.REDACTED
                                        : "<redacted, changes>"));
                map.put("data", hidden);
            }
        }
        return KubernetesYaml.mapToYaml(map);
    }
}
