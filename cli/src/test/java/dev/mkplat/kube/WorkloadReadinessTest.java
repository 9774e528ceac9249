package dev.mkplat.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kstatus-like rules, one at a time. */
class WorkloadReadinessTest {
    @Test
    void deploymentIsReadyWhenEveryReplicaIsUpdatedAvailableAndNoOldOnesAreLeft() {
        WorkloadState state = WorkloadReadiness.evaluate(deployment(3, 2, 2, 2, 2, 2, "True"), List.of(), List.of());
        assertThat(state.ready()).isTrue();
        assertThat(state.summary()).isEqualTo("2/2 ready");
    }

    @Test
    void deploymentWhoseControllerHasNotSeenTheLatestGenerationIsNotReady() {
        WorkloadState state = WorkloadReadiness.evaluate(
                deployment(3, 2, 2, 2, 2, 2, "True")
                        .edit()
                        .editMetadata()
                        .withGeneration(4L)
                        .endMetadata()
                        .build(),
                List.of(),
                List.of());
        assertThat(state.ready()).isFalse();
        assertThat(state.blockers()).contains("the controller has not yet seen generation 4");
    }

    @Test
    void deploymentWithOldReplicasLeftIsStillRollingOut() {
        WorkloadState state = WorkloadReadiness.evaluate(deployment(3, 2, 3, 1, 2, 2, "True"), List.of(), List.of());
        assertThat(state.ready()).isFalse();
        assertThat(state.summary()).isEqualTo("2/2 ready, 1/2 updated, 2 old");
    }

    @Test
    void deploymentNotAvailableNamesTheCrashingPod() {
        Pod crashing = pod("auth-7f9c-x", false, "CrashLoopBackOff");
        Pod fine = pod("auth-7f9c-y", true, null);
        WorkloadState state =
                WorkloadReadiness.evaluate(deployment(3, 2, 2, 2, 1, 1, "False"), List.of(fine, crashing), List.of());
        assertThat(state.ready()).isFalse();
        assertThat(state.progressLine()).isEqualTo("auth: 1/2 ready (auth-7f9c-x: CrashLoopBackOff)");
    }

    @Test
    void missingPodsShowTheReplicaSetsFailedCreateWhichIsHowPodSecurityRefusalsAppear() {
        Event refused = new EventBuilder()
                .withType("Warning")
                .withReason("FailedCreate")
                .withMessage(
                        "Error creating: pods \"auth-7f9c-x\" is forbidden: violates PodSecurity \"restricted:latest\": runAsNonRoot != true")
                .withNewInvolvedObject()
                .withKind("ReplicaSet")
                .withName("auth-7f9c")
                .endInvolvedObject()
                .build();
        WorkloadState state =
                WorkloadReadiness.evaluate(deployment(1, 2, 0, 0, 0, 0, "False"), List.of(), List.of(refused));
        assertThat(state.ready()).isFalse();
        assertThat(state.blockers().getFirst())
                .startsWith("FailedCreate: Error creating: pods \"auth-7f9c-x\" is forbidden: violates PodSecurity");
    }

    @Test
    void statefulSetNeedsTheUpdateRevisionEverywhere() {
        assertThat(WorkloadReadiness.evaluate(statefulSet("postgres-1", "postgres-1", 1), List.of(), List.of())
                        .ready())
                .isTrue();
        WorkloadState rolling =
                WorkloadReadiness.evaluate(statefulSet("postgres-1", "postgres-2", 1), List.of(), List.of());
        assertThat(rolling.ready()).isFalse();
        assertThat(rolling.summary()).isEqualTo("1/1 ready, rolling to revision postgres-2");
        assertThat(WorkloadReadiness.evaluate(statefulSet("postgres-1", "postgres-1", 0), List.of(), List.of())
                        .ready())
                .isFalse();
    }

    @Test
    void claimIsReadyWhenBound() {
        var claim = new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("data")
                .withNamespace("db")
                .endMetadata()
                .withNewStatus()
                .withPhase("Pending")
                .endStatus()
                .build();
        claim.setApiVersion("v1");
        assertThat(WorkloadReadiness.evaluate(claim, List.of(), List.of()).ready())
                .isFalse();
        claim.getStatus().setPhase("Bound");
        assertThat(WorkloadReadiness.evaluate(claim, List.of(), List.of()).ready())
                .isTrue();
    }

    @Test
    void podReasonsPreferContainerStatesThenSchedulingThenPhase() {
        assertThat(WorkloadReadiness.reason(pod("p", false, "ImagePullBackOff")))
                .isEqualTo("ImagePullBackOff");
        Pod unschedulable = new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .endMetadata()
                .withNewStatus()
                .withPhase("Pending")
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("False")
                .withReason("Unschedulable")
                .withMessage("0/3 nodes are available: 3 Insufficient cpu.")
                .endCondition()
                .endStatus()
                .build();
        assertThat(WorkloadReadiness.reason(unschedulable))
                .isEqualTo("Unschedulable: 0/3 nodes are available: 3 Insufficient cpu.");
        assertThat(WorkloadReadiness.reason(pod("p", false, null))).isEqualTo("Running, not ready");
    }

    @Test
    void autoscalerFloorKeepsADeploymentWaitingUntilItsMinimum() {
        WorkloadState oneOfOne = WorkloadReadiness.evaluate(deployment(3, 1, 1, 1, 1, 1, "True"), List.of(), List.of());
        assertThat(oneOfOne.ready()).isTrue();
        WorkloadState floored = RolloutWaiter.withFloor(oneOfOne, 2);
        assertThat(floored.ready()).isFalse();
        assertThat(floored.progressLine()).isEqualTo("auth: 1/2 ready (its autoscaler's minimum is 2)");
        assertThat(RolloutWaiter.withFloor(
                                WorkloadReadiness.evaluate(deployment(3, 2, 2, 2, 2, 2, "True"), List.of(), List.of()),
                                2)
                        .ready())
                .isTrue();
    }

    private static Deployment deployment(
            long observed, int replicas, int total, int updated, int ready, int available, String availableCondition) {
        return new DeploymentBuilder()
                .withApiVersion("apps/v1")
                .withNewMetadata()
                .withName("auth")
                .withNamespace("auth")
                .withGeneration(3L)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .endSpec()
                .withNewStatus()
                .withObservedGeneration(observed)
                .withReplicas(total)
                .withUpdatedReplicas(updated)
                .withReadyReplicas(ready)
                .withAvailableReplicas(available)
                .addNewCondition()
                .withType("Available")
                .withStatus(availableCondition)
                .endCondition()
                .endStatus()
                .build();
    }

    private static StatefulSet statefulSet(String current, String update, int ready) {
        return new StatefulSetBuilder()
                .withApiVersion("apps/v1")
                .withNewMetadata()
                .withName("postgres")
                .withNamespace("db")
                .withGeneration(1L)
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .endSpec()
                .withNewStatus()
                .withObservedGeneration(1L)
                .withReplicas(1)
                .withReadyReplicas(ready)
                .withUpdatedReplicas(1)
                .withCurrentRevision(current)
                .withUpdateRevision(update)
                .endStatus()
                .build();
    }

    private static Pod pod(String name, boolean ready, String waiting) {
        var container = new ContainerStatusBuilder()
                .withName("main")
                .withReady(ready)
                .withRestartCount(waiting == null ? 0 : 3);
        container = waiting == null
                ? container.withNewState().withNewRunning().endRunning().endState()
                : container
                        .withNewState()
                        .withNewWaiting()
                        .withReason(waiting)
                        .endWaiting()
                        .endState();
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .endCondition()
                .withContainerStatuses(container.build())
                .endStatus()
                .build();
    }
}
