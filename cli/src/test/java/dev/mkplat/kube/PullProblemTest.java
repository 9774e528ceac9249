package dev.mkplat.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading image pull failures from pod status, with the model objects a kubelet's status parses into. */
class PullProblemTest {
    @Test
    void readsPullFailuresOfContainersAndInitContainersAndNothingElse() {
        Pod backOff = pod("api-1", "ImagePullBackOff", "Back-off pulling image \"docker.io/mkplat/api:0.1.0\"");
        Pod initFails = new PodBuilder(pod("api-2", null, null))
                .editStatus()
                .addNewInitContainerStatus()
                .withName("migrate")
                .withImage("docker.io/mkplat/api:0.1.0")
                .withNewState()
                .withNewWaiting()
                .withReason("ErrImagePull")
                .withMessage("rpc error:\n  not found")
                .endWaiting()
                .endState()
                .endInitContainerStatus()
                .endStatus()
                .editSpec()
                .addNewInitContainer()
                .withName("migrate")
                .withImage("mkplat/api:0.1.0")
                .endInitContainer()
                .endSpec()
                .build();
        Pod crashing = pod("api-3", "CrashLoopBackOff", "back-off 10s");
        Pod noStatus = new PodBuilder()
                .withNewMetadata()
                .withName("api-4")
                .withNamespace("api")
                .endMetadata()
                .build();

        List<PullProblem> problems = PullProblem.of(List.of(backOff, initFails, crashing, noStatus));

        assertThat(problems)
                .containsExactly(
                        new PullProblem(
                                "api",
                                "api-1",
                                "api",
                                "docker.io/mkplat/api:0.1.0@sha256:ab",
                                "ImagePullBackOff",
                                "Back-off pulling image \"docker.io/mkplat/api:0.1.0\""),
                        new PullProblem(
                                "api", "api-2", "migrate", "mkplat/api:0.1.0", "ErrImagePull", "rpc error: not found"));
        assertThat(problems.getFirst().warning())
                .isEqualTo("warning: api/api-1 cannot pull docker.io/mkplat/api:0.1.0@sha256:ab "
                        + "(ImagePullBackOff: Back-off pulling image \"docker.io/mkplat/api:0.1.0\")");
    }

    @Test
    void theWaitersBlockersNameThePullReason() {
        var deployment = new DeploymentBuilder()
                .withNewMetadata()
                .withName("api")
                .withNamespace("api")
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .endSpec()
                .withNewStatus()
                .withReplicas(1)
                .withUpdatedReplicas(1)
                .endStatus()
                .build();
        WorkloadState state =
                WorkloadReadiness.evaluate(deployment, List.of(pod("api-1", "ImagePullBackOff", "")), List.of());

        assertThat(state.blockers()).anyMatch(PullProblem::mentionsPullReason);
        assertThat(PullProblem.mentionsPullReason("api-1: CrashLoopBackOff")).isFalse();
    }

    private static Pod pod(String name, String waitingReason, String message) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("api")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("api")
                .withImage("docker.io/mkplat/api:0.1.0@sha256:ab")
                .endContainer()
                .endSpec();
        if (waitingReason == null) {
            return pod.withNewStatus().withPhase("Pending").endStatus().build();
        }
        return pod.withNewStatus()
                .withPhase("Pending")
                .addNewContainerStatus()
                .withName("api")
                .withImage("docker.io/mkplat/api:0.1.0")
                .withNewState()
                .withNewWaiting()
                .withReason(waitingReason)
                .withMessage(message)
                .endWaiting()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();
    }
}
