package dev.mkplat.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.testing.TestCluster;
import dev.mkplat.testing.TestNamespaces;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The waiter against real controllers: it sees a rollout finish, and names the blocker when one cannot. */
@TestCluster
class RolloutWaiterIT {
    @Test
    void waitsUntilTheDeploymentIsReadyAndSaysSo(Path kubeconfig, TestNamespaces namespaces) {
        String namespace = namespaces.createRestricted();
        List<String> progress = new CopyOnWriteArrayList<>();
        try (Cluster cluster =
                Cluster.connect(new KubeTarget(Optional.of(kubeconfig), Optional.empty()), Optional.empty())) {
            ApplyResult applied = new ResourceApplier(cluster, false).apply(deployment(namespace, "100m", 2));
            assertThat(applied.outcome()).isEqualTo(ApplyOutcome.CREATED);
            List<WorkloadState> states = new RolloutWaiter(
                            cluster, progress::add, new Wait(Clock.systemUTC(), Duration.ofMillis(200)))
                    .await("web", List.of(applied.ref()), Instant.now().plusSeconds(60));
            assertThat(states).singleElement().satisfies(state -> {
                assertThat(state.ready()).isTrue();
                assertThat(state.readyCount()).isEqualTo(2);
            });
            assertThat(progress.getLast()).isEqualTo("  ready      web: 2/2 ready");
        }
    }

    @Test
    void unschedulableDeploymentTimesOutWithItsEventsAndExit4(Path kubeconfig, TestNamespaces namespaces) {
        String namespace = namespaces.createRestricted();
        List<String> progress = new CopyOnWriteArrayList<>();
        try (Cluster cluster =
                Cluster.connect(new KubeTarget(Optional.of(kubeconfig), Optional.empty()), Optional.empty())) {
            ApplyResult applied = new ResourceApplier(cluster, false).apply(deployment(namespace, "1000", 1));
            RolloutWaiter waiter =
                    new RolloutWaiter(cluster, progress::add, new Wait(Clock.systemUTC(), Duration.ofMillis(200)));
            assertThatThrownBy(() -> waiter.await(
                            "web", List.of(applied.ref()), Instant.now().plusSeconds(6)))
                    .isInstanceOfSatisfying(MkplatException.class, timeout -> {
                        assertThat(timeout.exitCode()).isEqualTo(ExitCode.TIMEOUT);
                        assertThat(timeout.getMessage())
                                .startsWith("timed out after ")
                                .contains("waiting for web: Deployment " + namespace + "/web is 0/1 ready");
                    });
        }
        String report = String.join("\n", progress);
        assertThat(report)
                .contains("web: 0/1 ready (")
                .contains("Unschedulable")
                .contains("Deployment " + namespace + "/web: wanted 1/1 ready and updated, saw 0/1 ready")
                .contains("last events:")
                .contains("FailedScheduling");
    }

    @Test
    void aPodThatCannotPullItsImageIsNamedWithTheFixBeforeTheWaitEnds(
            Path kubeconfig, TestNamespaces namespaces, io.fabric8.kubernetes.client.KubernetesClient client) {
        String namespace = namespaces.createRestricted();
        List<String> progress = new CopyOnWriteArrayList<>();
        String podName;
        try (Cluster cluster =
                Cluster.connect(new KubeTarget(Optional.of(kubeconfig), Optional.empty()), Optional.empty())) {
            // minReadySeconds: the Deployment stays unavailable however soon the controller sees the
            // pod's status, so the wait cannot end before it has read the pull failure. (The API
            // server wants the progress deadline above it.)
            ApplyResult applied = new ResourceApplier(cluster, false)
                    .apply(new DeploymentBuilder(deployment(namespace, "100m", 1))
                            .editSpec()
                            .withMinReadySeconds(3600)
                            .withProgressDeadlineSeconds(7200)
                            .endSpec()
                            .build());
            assertThat(applied.outcome()).as(applied.toString()).isEqualTo(ApplyOutcome.CREATED);
            // kwok runs no kubelet and pulls nothing: the pod's status is what a kubelet would report.
            var pod = org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(
                            () -> client.pods().inNamespace(namespace).list().getItems().stream()
                                    .filter(candidate -> candidate.getStatus() != null
                                            && "Running"
                                                    .equals(candidate
                                                            .getStatus()
                                                            .getPhase()))
                                    .findFirst(),
                            Optional::isPresent)
                    .orElseThrow();
            podName = pod.getMetadata().getName();
            client.pods().inNamespace(namespace).withName(podName).editStatus(live -> {
                live.getStatus()
                        .setContainerStatuses(List.of(new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                                .withName("web")
                                .withImage("example.invalid/web:1")
                                .withImageID("")
                                .withReady(false)
                                .withRestartCount(0)
                                .withNewState()
                                .withNewWaiting()
                                .withReason("ImagePullBackOff")
                                .withMessage("Back-off pulling image \"example.invalid/web:1\": not found")
                                .endWaiting()
                                .endState()
                                .build()));
                live.getStatus().getConditions().stream()
                        .filter(condition ->
                                "Ready".equals(condition.getType()) || "ContainersReady".equals(condition.getType()))
                        .forEach(condition -> condition.setStatus("False"));
                return live;
            });
            RolloutWaiter waiter =
                    new RolloutWaiter(cluster, progress::add, new Wait(Clock.systemUTC(), Duration.ofMillis(200)));
            assertThatThrownBy(() -> waiter.await(
                            "web", List.of(applied.ref()), Instant.now().plusSeconds(8)))
                    .isInstanceOfSatisfying(
                            MkplatException.class,
                            timeout -> assertThat(timeout.exitCode()).isEqualTo(ExitCode.TIMEOUT));
        }
        assertThat(progress)
                .filteredOn(line -> line.startsWith("warning:"))
                .containsExactly(
                        "warning: " + namespace + "/" + podName
                                + " cannot pull example.invalid/web:1 (ImagePullBackOff: Back-off pulling image \"example.invalid/web:1\": not found)");
        assertThat(progress)
                .filteredOn(line -> line.startsWith("  hint:"))
                .singleElement()
                .asString()
                .contains("mkplat images load");
        int warned = progress.indexOf(progress.stream()
                .filter(line -> line.startsWith("warning:"))
                .findFirst()
                .orElseThrow());
        assertThat(warned)
                .isLessThan(progress.indexOf(progress.stream()
                        .filter(line -> line.startsWith("timed out"))
                        .findFirst()
                        .orElseThrow()));
    }

    private static Deployment deployment(String namespace, String cpu, int replicas) {
        Map<String, String> labels = Map.of("app", "web");
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .withMatchLabels(labels)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(10001L)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .addNewContainer()
                .withName("web")
                .withImage("example.invalid/web:1")
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .withNewResources()
                .addToRequests("cpu", new Quantity(cpu))
                .endResources()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
