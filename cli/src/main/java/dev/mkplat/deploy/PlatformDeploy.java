package dev.mkplat.deploy;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.kube.ApplyOutcome;
import dev.mkplat.kube.ApplyResult;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.Inventory;
import dev.mkplat.kube.InventoryRecord;
import dev.mkplat.kube.ObjectRef;
import dev.mkplat.kube.ResourceApplier;
import dev.mkplat.kube.RolloutWaiter;
import dev.mkplat.kube.SecretReader;
import dev.mkplat.kube.Wait;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.render.RenderedPlatform;
import dev.mkplat.secrets.SecretPlanner.TlsMaterial;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;

/**
 * {@code mkplat deploy}: render, generate the missing Secrets, apply in {@link DeployStage stages}
 * with server-side apply, wait where the next stage depends on it, prune what left the bundle, and
 * record the inventory. Rerunning it with nothing changed writes nothing. A deploy that stops half
 * way converges when run again: the inventory is widened before anything is applied, so nothing it
 * created can escape a later prune.
 */
public final class PlatformDeploy {
    /** The CRD whose absence makes deploy skip the ServiceMonitors (kube-prometheus-stack brings it). */
    static final String MONITORS_API = "monitoring.coreos.com/v1";

    private final ManifestBundle bundle;
    private final PrintWriter out;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration pollInterval;

    public PlatformDeploy(ManifestBundle bundle, PrintWriter out) {
        this(bundle, out, Clock.systemUTC(), new SecureRandom(), Duration.ofMillis(250));
    }

    PlatformDeploy(ManifestBundle bundle, PrintWriter out, Clock clock, SecureRandom random, Duration pollInterval) {
        this.bundle = bundle;
        this.out = out;
        this.clock = clock;
        this.random = random;
        this.pollInterval = pollInterval;
    }

    /**
     * Deploys.
     *
     * @throws MkplatException exit 1 when the apiserver refused objects or a field is another
     *         manager's; exit 4 when a wait ran out of time
     */
    public DeployReport run(Cluster cluster, DeployRequest request) {
        Instant start = clock.instant();
        Instant deadline = start.plus(request.timeout());
        List<String> requested = List.copyOf(request.components());
        List<String> components = PlatformPlan.choose(requested, PlatformPlan.componentNames(bundle, request.config()));

        Optional<TlsMaterial> certificate = Optional.empty();
        if (PlatformPlan.needsCertificate(bundle, request.config(), components)) {
            PlatformPlan.Certificate made = PlatformPlan.certificate(request.certsRoot(), request.config(), clock);
            if (made.outcome().changed()) {
                say("certificates: CA " + made.outcome().ca().action().word() + ", server certificate "
                        + made.outcome().server().action().word() + " in " + made.outcome().directory());
            }
            certificate = Optional.of(made.material());
        }
        SecretReader secrets = new SecretReader(cluster);
        PlatformPlan plan = PlatformPlan.of(bundle, request.config(), components, secrets::read, certificate, random);
        plan.warnings().forEach(warning -> say("warning: " + warning));

        ResourceApplier applier = new ResourceApplier(cluster, request.forceConflicts());
        Inventory inventory = new Inventory(cluster, applier);
        InventoryRecord before = inventory.read();
        Map<String, Set<ObjectRef>> desired = desired(plan);
        Set<String> pruneScope = new LinkedHashSet<>(components);
        if (requested.isEmpty()) {
            pruneScope.addAll(before.components().keySet());
        }
        InventoryRecord widened = before;
        for (String component : components) {
            widened = widened.plus(component, desired.getOrDefault(component, Set.of()));
        }
        inventory.write(widened);

        RolloutWaiter waiter = new RolloutWaiter(cluster, this::say, new Wait(clock, pollInterval));
        List<String> namespaces = plan.objects().stream().filter(object -> object.getKind().equals("Namespace"))
                .map(object -> object.getMetadata().getName()).toList();
        waiter.awaitNamespacesUsable(namespaces, stageDeadline(request, deadline));

        boolean monitorsServed = cluster.serves(MONITORS_API, "ServiceMonitor");
        List<ApplyResult> results = new ArrayList<>();
        for (DeployStage stage : DeployStage.values()) {
            List<HasMetadata> objects = new ArrayList<>();
            List<HasMetadata> skipped = new ArrayList<>();
            for (HasMetadata object : plan.objects()) {
                if (DeployStage.of(object) == stage) {
                    (object.getApiVersion().equals(MONITORS_API) && !monitorsServed ? skipped : objects).add(object);
                }
            }
            List<ApplyResult> kept = stage == DeployStage.CONFIGURATION
                    ? plan.kept().stream().map(secret -> new ApplyResult(ObjectRef.of(secret), ApplyOutcome.UNCHANGED, "")).toList()
                    : List.of();
            if (objects.isEmpty() && kept.isEmpty() && skipped.isEmpty()) {
                continue;
            }
            say(stage.description() + ":");
            List<ApplyResult> applied = applier.applyAll(objects);
            List<ApplyResult> stageResults = new ArrayList<>(kept);
            stageResults.addAll(applied);
            stageResults.sort(Comparator.comparing(ApplyResult::ref));
            stageResults.forEach(result -> say("  " + result.line()));
            if (!skipped.isEmpty()) {
                say("  skipped " + skipped.size() + " ServiceMonitors: the cluster has no " + MONITORS_API
                        + " ServiceMonitor (the CRD comes with kube-prometheus-stack 75.13.0; see README, Monitoring)");
            }
            results.addAll(stageResults);
            failIfRefused(stage, applied);
            if (stage == DeployStage.SERVICES) {
                Map<ObjectRef, Integer> floors = autoscalerFloors(plan.objects());
                applied.stream().filter(result -> result.outcome() == ApplyOutcome.CREATED && floors.containsKey(result.ref()))
                        .forEach(result -> applier.startAt(result.ref(), floors.get(result.ref())));
            }
            if (request.waitForReady() && stage == DeployStage.DATA) {
                waiter.await(stage.description(), refs(objects), stageDeadline(request, deadline));
            }
            if (request.waitForReady() && stage == DeployStage.ROUTING) {
                List<ObjectRef> services = plan.objects().stream().filter(object -> DeployStage.of(object) == DeployStage.SERVICES)
                        .map(ObjectRef::of).toList();
                waiter.await(DeployStage.SERVICES.description(), services, stageDeadline(request, deadline), autoscalerFloors(plan.objects()));
            }
        }
        if (!request.waitForReady()) {
            say("not waiting for the workloads to be ready (--no-wait); mkplat status shows them");
        }

        List<ObjectRef> stale = new ArrayList<>();
        for (String component : pruneScope) {
            TreeSet<ObjectRef> gone = new TreeSet<>(before.of(component));
            gone.removeAll(desired.getOrDefault(component, Set.of()));
            stale.addAll(gone);
        }
        if (!stale.isEmpty()) {
            say("prune:");
            List<ApplyResult> pruned = prune(applier, stale);
            pruned.forEach(result -> say("  " + result.line()));
            results.addAll(pruned);
            failIfRefused(null, pruned);
        }
        InventoryRecord after = widened;
        for (String component : pruneScope) {
            after = after.with(component, desired.getOrDefault(component, Set.of()));
        }
        inventory.write(after);
        return new DeployReport(results, Duration.between(start, clock.instant()));
    }

    /** Each component's objects (the kept Secrets included, so that prune never takes them). */
    static Map<String, Set<ObjectRef>> desired(PlatformPlan plan) {
        Map<String, Set<ObjectRef>> desired = new LinkedHashMap<>();
        List<HasMetadata> all = new ArrayList<>(plan.objects());
        all.addAll(plan.kept());
        for (HasMetadata object : all) {
            desired.computeIfAbsent(RenderedPlatform.componentOf(object), key -> new TreeSet<>()).add(ObjectRef.of(object));
        }
        return desired;
    }

    /** The minimum replicas each autoscaled workload will be raised to, by the workload. */
    static Map<ObjectRef, Integer> autoscalerFloors(List<HasMetadata> objects) {
        Map<ObjectRef, Integer> floors = new LinkedHashMap<>();
        for (HasMetadata object : objects) {
            if (object instanceof HorizontalPodAutoscaler autoscaler && autoscaler.getSpec().getMinReplicas() != null) {
                var target = autoscaler.getSpec().getScaleTargetRef();
                floors.put(new ObjectRef(target.getApiVersion(), target.getKind(), autoscaler.getMetadata().getNamespace(), target.getName()),
                        autoscaler.getSpec().getMinReplicas());
            }
        }
        return floors;
    }

    /** Deletes in reverse stage order, Namespaces last, each stage's objects at once. */
    static List<ApplyResult> prune(ResourceApplier applier, List<ObjectRef> stale) {
        List<ApplyResult> results = new ArrayList<>();
        List<DeployStage> reverse = new ArrayList<>(List.of(DeployStage.values()));
        java.util.Collections.reverse(reverse);
        for (DeployStage stage : reverse) {
            List<ObjectRef> inStage = stale.stream().filter(ref -> stageOf(ref) == stage).toList();
            results.addAll(applier.deleteAll(inStage, ApplyOutcome.PRUNED));
        }
        return results;
    }

    static DeployStage stageOf(ObjectRef ref) {
        return DeployStage.of(new GenericKubernetesResourceBuilder().withApiVersion(ref.apiVersion()).withKind(ref.kind())
                .withNewMetadata().withName(ref.name()).withNamespace(ref.namespaced() ? ref.namespace() : null).endMetadata().build());
    }

    private void failIfRefused(DeployStage stage, List<ApplyResult> results) {
        List<ApplyResult> refused = results.stream().filter(result -> !result.outcome().succeeded()).toList();
        if (refused.isEmpty()) {
            return;
        }
        boolean conflict = refused.stream().anyMatch(result -> result.outcome() == ApplyOutcome.CONFLICT);
        String where = stage == null ? "pruning" : "stage '" + stage.description() + "'";
        throw new MkplatException(ExitCode.FAILED,
                refused.size() + (refused.size() == 1 ? " object was" : " objects were") + " refused in " + where + ": " + refused.getFirst().line(),
                conflict ? "another field manager owns these fields; rerun with --force-conflicts to take them over"
                        : "fix the cause above and run deploy again; it continues where it stopped");
    }

    private Instant stageDeadline(DeployRequest request, Instant deadline) {
        Instant stage = clock.instant().plus(request.config().timeouts().stage());
        return stage.isBefore(deadline) ? stage : deadline;
    }

    private static List<ObjectRef> refs(List<HasMetadata> objects) {
        return objects.stream().map(ObjectRef::of).toList();
    }

    private void say(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
