package dev.mkplat.deploy;

import dev.mkplat.kube.ObjectRef;
import dev.mkplat.kube.ResourceApplier;
import dev.mkplat.kube.RolloutWaiter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the {@link DeployStage stages} of one deploy share.
 *
 * @param plan           the plan being applied
 * @param applier        applies and scales
 * @param waiter         waits for workloads
 * @param waitForReady   whether to wait at all ({@code --no-wait} turns it off)
 * @param monitorsServed whether the cluster serves ServiceMonitors
 * @param stageDeadline  the deadline of a wait that starts now
 */
record StageContext(
        PlatformPlan plan,
        ResourceApplier applier,
        RolloutWaiter waiter,
        boolean waitForReady,
        boolean monitorsServed,
        Supplier<Instant> stageDeadline) {

    /** The planned objects of a stage, in plan order. */
    List<HasMetadata> objectsOf(DeployStage stage) {
        return plan.objects().stream()
                .filter(object -> DeployStage.of(object) == stage)
                .toList();
    }

    /** The minimum replicas each autoscaled workload will be raised to, by the workload. */
    Map<ObjectRef, Integer> autoscalerFloors() {
        return plan.autoscalerFloors();
    }

    /** Waits for these workloads to be ready, unless the deploy does not wait. */
    void awaitReady(String what, List<ObjectRef> workloads, Map<ObjectRef, Integer> floors) {
        if (waitForReady) {
            waiter.await(what, workloads, stageDeadline.get(), floors);
        }
    }
}
