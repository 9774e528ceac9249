package dev.mkplat.deploy;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.kube.ApplyOutcome;
import dev.mkplat.kube.ApplyResult;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.ClusterView;
import dev.mkplat.kube.Inventory;
import dev.mkplat.kube.InventoryRecord;
import dev.mkplat.kube.ObjectRef;
import dev.mkplat.kube.ResourceApplier;
import dev.mkplat.kube.RolloutWaiter;
import dev.mkplat.kube.Wait;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.render.PlatformRenderer;
import dev.mkplat.render.RenderedPlatform;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code mkplat destroy}: deletes what mkplat deployed, in reverse stage order, and waits until the
 * namespaces are gone. Data survives unless asked otherwise: a namespace that holds
 * PersistentVolumeClaims stays, with its claims and the Secrets that protect the data (the
 * database's passwords), so that the next deploy finds both again. {@code --purge-data} removes
 * those too.
 */
public final class PlatformDestroy {
    private final ManifestBundle bundle;
    private final PrintWriter out;
    private final Wait wait;

    public PlatformDestroy(ManifestBundle bundle, PrintWriter out) {
        this(bundle, out, new Wait(Clock.systemUTC(), Duration.ofMillis(250)));
    }

    PlatformDestroy(ManifestBundle bundle, PrintWriter out, Wait wait) {
        this.bundle = bundle;
        this.out = out;
        this.wait = wait;
    }

    public DeployReport run(Cluster cluster, PlatformConfig config, boolean purgeData, Duration timeout) {
        Instant start = wait.clock().instant();
        Instant deadline = start.plus(timeout);
        ResourceApplier applier = new ResourceApplier(cluster, false);
        Inventory inventory = new Inventory(cluster, applier);
        ClusterView view = new ClusterView(cluster);

        Set<ObjectRef> targets = targets(inventory.read(), config);
        Set<String> namespaces = new LinkedHashSet<>();
        targets.stream().filter(ref -> ref.kind().equals("Namespace")).forEach(ref -> namespaces.add(ref.name()));
        Set<String> keptNamespaces = purgeData ? new TreeSet<>() : namespacesWithData(view, namespaces);

        Set<ObjectRef> kept = new TreeSet<>();
        List<ApplyResult> results =
                new ArrayList<>(deleteInReverseStages(applier, targets, namespaces, keptNamespaces, kept));
        kept.forEach(ref -> results.add(report(new ApplyResult(ref, ApplyOutcome.KEPT, "protects the data"))));
        keptNamespaces.forEach(namespace -> kept.add(namespace(namespace)));

        List<String> going = namespaces.stream()
                .filter(namespace -> !keptNamespaces.contains(namespace))
                .filter(view::namespaceExists)
                .toList();
        results.addAll(deleteNamespaces(cluster, applier, going, deadline));

        List<ApplyResult> refused =
                results.stream().filter(result -> !result.outcome().succeeded()).toList();
        if (!refused.isEmpty()) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    refused.size() + " objects could not be deleted: "
                            + refused.getFirst().line(),
                    "fix the cause and run destroy again");
        }
        recordWhatStays(inventory, kept);
        return new DeployReport(results, Duration.between(start, wait.clock().instant()));
    }

    /** What mkplat applied, by the inventory, and what the bundle renders (for a cluster whose inventory was lost). */
    private Set<ObjectRef> targets(InventoryRecord recorded, PlatformConfig config) {
        Set<ObjectRef> targets = new TreeSet<>(recorded.all());
        RenderedPlatform rendered = PlatformRenderer.render(bundle, config);
        rendered.objects().forEach(object -> targets.add(ObjectRef.of(object)));
        return targets;
    }

    /** The namespaces that hold PersistentVolumeClaims: they stay, with the claims and the Secrets that protect the data. */
    private Set<String> namespacesWithData(ClusterView view, Set<String> namespaces) {
        Set<String> withData = new TreeSet<>();
        for (String namespace : namespaces) {
            List<String> claims = view.namespaceExists(namespace) ? view.claims(namespace) : List.of();
            if (!claims.isEmpty()) {
                withData.add(namespace);
                say("keeping namespace " + namespace + ": it holds " + String.join(", ", claims)
                        + " and the Secrets that protect them (--purge-data deletes them)");
            }
        }
        return withData;
    }

    /**
     * Deletes the targets stage by stage, the last stage first. Namespaces wait for the end, and the
     * objects of a namespace that goes go with it; the Secrets of a kept namespace are added to
     * {@code kept} instead.
     */
    private List<ApplyResult> deleteInReverseStages(
            ResourceApplier applier,
            Set<ObjectRef> targets,
            Set<String> namespaces,
            Set<String> keptNamespaces,
            Set<ObjectRef> kept) {
        List<ApplyResult> results = new ArrayList<>();
        for (DeployStage stage : DeployStage.reversed()) {
            if (stage == DeployStage.NAMESPACES) {
                continue;
            }
            List<ObjectRef> inStage = new ArrayList<>();
            for (ObjectRef ref : targets) {
                if (ref.kind().equals("Namespace") || DeployStage.of(ref) != stage) {
                    continue;
                }
                if (keptNamespaces.contains(ref.namespace()) && ref.kind().equals("Secret")) {
                    kept.add(ref);
                } else if (!ref.namespaced()
                        || !namespaces.contains(ref.namespace())
                        || keptNamespaces.contains(ref.namespace())) {
                    // Objects in namespaces that go are removed with them; only the others one by one.
                    inStage.add(ref);
                }
            }
            applier.deleteAll(inStage, ApplyOutcome.DELETED).stream()
                    .filter(result -> result.outcome() != ApplyOutcome.UNCHANGED)
                    .forEach(result -> results.add(report(result)));
        }
        return results;
    }

    /** Deletes the namespaces that go and waits until they are gone. */
    private List<ApplyResult> deleteNamespaces(
            Cluster cluster, ResourceApplier applier, List<String> going, Instant deadline) {
        if (going.isEmpty()) {
            return List.of();
        }
        say("deleting namespaces " + String.join(", ", going) + " and waiting until they are gone");
        List<ApplyResult> deleted =
                applier.deleteAll(going.stream().map(PlatformDestroy::namespace).toList(), ApplyOutcome.DELETED);
        deleted.forEach(this::report);
        List<String> deleting = going.stream()
                .filter(name -> deleted.stream()
                        .anyMatch(
                                result -> result.ref().name().equals(name) && result.outcome() == ApplyOutcome.DELETED))
                .toList();
        new RolloutWaiter(cluster, this::say, wait).deleteNamespacesAndWait(deleting, deadline);
        return deleted;
    }

    /** The inventory keeps what stays (the data, its Secrets, their namespaces), or goes when nothing does. */
    private static void recordWhatStays(Inventory inventory, Set<ObjectRef> kept) {
        if (kept.isEmpty()) {
            inventory.delete();
            return;
        }
        InventoryRecord remaining = InventoryRecord.empty();
        for (ObjectRef ref : kept) {
            String component = ref.kind().equals("Namespace") ? ref.name() : ref.namespace();
            remaining = remaining.plus(component, List.of(ref));
        }
        inventory.write(remaining);
    }

    private static ObjectRef namespace(String name) {
        return new ObjectRef("v1", "Namespace", "", name);
    }

    private ApplyResult report(ApplyResult result) {
        say("  " + result.line());
        return result;
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
