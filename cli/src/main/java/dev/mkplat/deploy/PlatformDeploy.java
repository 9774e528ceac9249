package dev.mkplat.deploy;

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
import dev.mkplat.secrets.SecretPlanner.TlsMaterial;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code mkplat deploy}: render, generate the missing Secrets, apply in {@link DeployStage stages}
 * with server-side apply, wait where the next stage depends on it, prune what left the bundle, and
 * record the inventory. Rerunning it with nothing changed writes nothing. A deploy that stops half
 * way converges when run again: the inventory is widened before anything is applied, so nothing it
 * created can escape a later prune.
 */
public final class PlatformDeploy {
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
     * Deploys: plan, widen the inventory, apply stage by stage, prune, record the inventory.
     *
     * @throws MkplatException exit 1 when the apiserver refused objects or a field is another
     *         manager's; exit 4 when a wait ran out of time
     */
    public DeployReport run(Cluster cluster, DeployRequest request) {
        Instant start = clock.instant();
        Instant deadline = start.plus(request.timeout());
        PlatformPlan plan = plan(cluster, request);
        ResourceApplier applier = new ResourceApplier(cluster, request.forceConflicts());
        Inventory inventory = new Inventory(cluster, applier);
        InventoryRecord before = inventory.read();
        Map<String, Set<ObjectRef>> desired = plan.byComponent();
        Set<String> pruneScope = new LinkedHashSet<>(plan.components());
        if (request.scope().all()) {
            pruneScope.addAll(before.components().keySet());
        }
        // Widened before anything is applied, so that nothing this deploy creates escapes a later prune.
        InventoryRecord widened = before;
        for (String component : plan.components()) {
            widened = widened.plus(component, desired.getOrDefault(component, Set.of()));
        }
        inventory.write(widened);

        RolloutWaiter waiter = new RolloutWaiter(cluster, this::say, new Wait(clock, pollInterval));
        waiter.awaitNamespacesUsable(plan.namespaces(), stageDeadline(request, deadline));
        StageContext context = new StageContext(
                plan,
                applier,
                waiter,
                request.waitForReady(),
                cluster.serves(DeployStage.MONITORS_API, "ServiceMonitor"),
                () -> stageDeadline(request, deadline));
        List<ApplyResult> results = new ArrayList<>();
        for (DeployStage stage : DeployStage.values()) {
            results.addAll(apply(stage, context));
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

    /** The plan, with the platform certificate generated first when the chosen components need it. */
    private PlatformPlan plan(Cluster cluster, DeployRequest request) {
        Optional<TlsMaterial> certificate = Optional.empty();
        if (PlatformPlan.needsCertificate(
                bundle, request.config(), request.scope().components())) {
            PlatformPlan.Certificate made = PlatformPlan.certificate(request.certsRoot(), request.config(), clock);
            if (made.outcome().changed()) {
                say("certificates: CA " + made.outcome().ca().action().word() + ", server certificate "
                        + made.outcome().server().action().word() + " in "
                        + made.outcome().directory());
            }
            certificate = Optional.of(made.material());
        }
        SecretReader secrets = new SecretReader(cluster);
        PlatformPlan plan =
                PlatformPlan.of(bundle, request.config(), request.scope(), secrets::read, certificate, random);
        plan.warnings().forEach(warning -> say("warning: " + warning));
        return plan;
    }

    /** Applies one stage's objects, prints a line per object, and does what the stage does after applying. */
    private List<ApplyResult> apply(DeployStage stage, StageContext context) {
        List<HasMetadata> objects = new ArrayList<>();
        int skipped = 0;
        for (HasMetadata object : context.objectsOf(stage)) {
            if (stage.skips(context, object)) {
                skipped++;
            } else {
                objects.add(object);
            }
        }
        List<ApplyResult> kept = stage.kept(context);
        if (objects.isEmpty() && kept.isEmpty() && skipped == 0) {
            return List.of();
        }
        say(stage.description() + ":");
        List<ApplyResult> applied = context.applier().applyAll(objects);
        List<ApplyResult> results = new ArrayList<>(kept);
        results.addAll(applied);
        results.sort(Comparator.comparing(ApplyResult::ref));
        results.forEach(result -> say("  " + result.line()));
        if (skipped > 0) {
            say("  " + stage.skipNote(skipped));
        }
        failIfRefused(stage, applied);
        stage.afterApply(context, objects, applied);
        return results;
    }

    /** Deletes in reverse stage order, Namespaces last, each stage's objects at once. */
    static List<ApplyResult> prune(ResourceApplier applier, List<ObjectRef> stale) {
        List<ApplyResult> results = new ArrayList<>();
        for (DeployStage stage : DeployStage.reversed()) {
            List<ObjectRef> inStage =
                    stale.stream().filter(ref -> DeployStage.of(ref) == stage).toList();
            results.addAll(applier.deleteAll(inStage, ApplyOutcome.PRUNED));
        }
        return results;
    }

    private void failIfRefused(DeployStage stage, List<ApplyResult> results) {
        List<ApplyResult> refused =
                results.stream().filter(result -> !result.outcome().succeeded()).toList();
        if (refused.isEmpty()) {
            return;
        }
        boolean conflict = refused.stream().anyMatch(result -> result.outcome() == ApplyOutcome.CONFLICT);
        String where = stage == null ? "pruning" : "stage '" + stage.description() + "'";
        throw new MkplatException(
                ExitCode.FAILED,
                refused.size() + (refused.size() == 1 ? " object was" : " objects were") + " refused in " + where + ": "
                        + refused.getFirst().line(),
                conflict
                        ? "another field manager owns these fields; rerun with --force-conflicts to take them over"
                        : "fix the cause above and run deploy again; it continues where it stopped");
    }

    private Instant stageDeadline(DeployRequest request, Instant deadline) {
        Instant stage = clock.instant().plus(request.config().timeouts().stage());
        return stage.isBefore(deadline) ? stage : deadline;
    }

    private void say(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
