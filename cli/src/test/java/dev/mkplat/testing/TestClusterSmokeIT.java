package dev.mkplat.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Proves the test cluster is real: controllers, scheduler, admission and server-side apply all do
 * their work, which a mock server would only pretend to.
 */
@TestCluster
class TestClusterSmokeIT {
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);
    private static final Map<String, String> APP = Map.of("app", "smoke");

    @Test
    void deploymentReachesTwoReadyPodsOnKwokNodes(KubernetesClient client, TestNamespaces namespaces) {
        String namespace = namespaces.create();
        client.apps()
                .deployments()
                .inNamespace(namespace)
                .resource(deployment(2))
                .create();

        await("2/2 ready").atMost(READY_WITHIN).until(() -> readyReplicas(client, namespace) == 2);

        Set<String> kwokNodes = client.nodes().list().getItems().stream()
                .filter(node ->
                        "fake".equals(node.getMetadata().getAnnotations().get("kwok.x-k8s.io/node")))
                .map(Node::getMetadata)
                .map(meta -> meta.getName())
                .collect(Collectors.toSet());
        List<Pod> pods =
                client.pods().inNamespace(namespace).withLabels(APP).list().getItems();
        assertThat(pods).hasSize(2).allSatisfy(pod -> {
            assertThat(kwokNodes).contains(pod.getSpec().getNodeName());
            assertThat(pod.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(owner -> assertThat(owner.getKind()).isEqualTo("ReplicaSet"));
            assertThat(Readiness.isPodReady(pod)).isTrue();
        });
    }

    @Test
    void deletedPodIsReplacedByANewReadyPod(KubernetesClient client, TestNamespaces namespaces) {
        String namespace = namespaces.create();
        client.apps()
                .deployments()
                .inNamespace(namespace)
                .resource(deployment(2))
                .create();
        await("2/2 ready").atMost(READY_WITHIN).until(() -> readyReplicas(client, namespace) == 2);
        Set<String> before = podNames(client, namespace);
        String victim = before.iterator().next();

        client.pods().inNamespace(namespace).withName(victim).withGracePeriod(0).delete();

        await("a new ready pod replaces " + victim).atMost(READY_WITHIN).until(() -> {
            List<Pod> pods =
                    client.pods().inNamespace(namespace).withLabels(APP).list().getItems();
            Set<String> names =
                    pods.stream().map(pod -> pod.getMetadata().getName()).collect(Collectors.toSet());
            return !names.contains(victim) && names.size() == 2 && pods.stream().allMatch(Readiness::isPodReady);
        });
        Set<String> after = podNames(client, namespace);
        assertThat(after)
                .doesNotContain(victim)
                .containsAll(
                        before.stream().filter(name -> !name.equals(victim)).toList());
    }

    @Test
    void restrictedNamespaceRefusesAPrivilegedPodWith403(KubernetesClient client, TestNamespaces namespaces) {
        String namespace = namespaces.createRestricted();
        Pod privileged = new PodBuilder()
                .withNewMetadata()
                .withName("privileged")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("busybox:1.36")
                .withNewSecurityContext()
                .withPrivileged(true)
                .endSecurityContext()
                .endContainer()
                .endSpec()
                .build();

        assertThatThrownBy(() -> client.pods()
                        .inNamespace(namespace)
                        .resource(privileged)
                        .create())
                .isInstanceOfSatisfying(KubernetesClientException.class, refused -> {
                    assertThat(refused.getCode()).isEqualTo(403);
                    assertThat(refused.getMessage()).contains("violates PodSecurity \"restricted:");
                });
        assertThat(client.pods().inNamespace(namespace).list().getItems()).isEmpty();

        // The same pod is admitted where nothing is enforced: the 403 came from the profile, not RBAC.
        String open = namespaces.create();
        assertThat(client.pods()
                        .inNamespace(open)
                        .resource(privileged)
                        .create()
                        .getMetadata()
                        .getUid())
                .isNotBlank();
    }

    @Test
    void serverSideApplyCreatesKeepsResourceVersionAndReportsConflicts(
            KubernetesClient client, TestNamespaces namespaces) {
        String namespace = namespaces.create();
        ConfigMap desired = new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .withNamespace(namespace)
                .endMetadata()
                .addToData("level", "info")
                .build();

        ConfigMap created = client.resource(desired).fieldManager("mkplat").serverSideApply();
        ConfigMap again = client.resource(desired).fieldManager("mkplat").serverSideApply();

        assertThat(created.getMetadata().getManagedFields())
                .anySatisfy(field -> assertThat(field.getManager()).isEqualTo("mkplat"));
        assertThat(again.getMetadata().getResourceVersion())
                .isEqualTo(created.getMetadata().getResourceVersion());

        ConfigMap theirs =
                new ConfigMapBuilder(desired).withData(Map.of("level", "debug")).build();
        assertThatThrownBy(() ->
                        client.resource(theirs).fieldManager("someone-else").serverSideApply())
                .isInstanceOfSatisfying(KubernetesClientException.class, conflict -> {
                    assertThat(conflict.getCode()).isEqualTo(409);
                    assertThat(conflict.getMessage())
                            .contains("conflict with \"mkplat\"")
                            .contains(".data.level");
                });
        assertThat(client.configMaps()
                        .inNamespace(namespace)
                        .withName("settings")
                        .get()
                        .getData())
                .containsEntry("level", "info");

        ConfigMap forced = client.resource(theirs)
                .fieldManager("someone-else")
                .forceConflicts()
                .serverSideApply();
        assertThat(forced.getData()).containsEntry("level", "debug");
        assertThat(forced.getMetadata().getResourceVersion())
                .isNotEqualTo(created.getMetadata().getResourceVersion());
    }

    @Test
    void claimBindsAndStatefulSetPodUsingItBecomesReady(KubernetesClient client, TestNamespaces namespaces) {
        String namespace = namespaces.create();
        StatefulSet store = new StatefulSetBuilder()
                .withNewMetadata()
                .withName("store")
                .endMetadata()
                .withNewSpec()
                .withServiceName("store")
                .withReplicas(1)
                .withNewSelector()
                .withMatchLabels(APP)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(APP)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("busybox:1.36")
                .addNewVolumeMount()
                .withName("data")
                .withMountPath("/data")
                .endVolumeMount()
                .endContainer()
                .endSpec()
                .endTemplate()
                .addNewVolumeClaimTemplate()
                .withNewMetadata()
                .withName("data")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .addToRequests("storage", new Quantity("1Gi"))
                .endResources()
                .endSpec()
                .endVolumeClaimTemplate()
                .endSpec()
                .build();

        client.apps().statefulSets().inNamespace(namespace).resource(store).create();

        await("store-0 ready").atMost(READY_WITHIN).until(() -> {
            Pod pod = client.pods().inNamespace(namespace).withName("store-0").get();
            return pod != null && Readiness.isPodReady(pod);
        });
        PersistentVolumeClaim claim = client.persistentVolumeClaims()
                .inNamespace(namespace)
                .withName("data-store-0")
                .get();
        assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
        assertThat(claim.getSpec().getVolumeName()).isNotBlank();
        // The StatefulSet controller writes its status after it sees the pod Ready: a moment later, not at once.
        await("store 1/1 ready")
                .atMost(READY_WITHIN)
                .until(() -> Integer.valueOf(1)
                        .equals(client.apps()
                                .statefulSets()
                                .inNamespace(namespace)
                                .withName("store")
                                .get()
                                .getStatus()
                                .getReadyReplicas()));
    }

    @Test
    void deletingANamespaceRemovesEverythingInIt(KubernetesClient client, TestNamespaces namespaces) {
        String namespace = namespaces.create();
        client.apps()
                .deployments()
                .inNamespace(namespace)
                .resource(deployment(1))
                .create();
        client.configMaps()
                .inNamespace(namespace)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("keep-me")
                        .endMetadata()
                        .addToData("a", "b")
                        .build())
                .create();
        await("1/1 ready").atMost(READY_WITHIN).until(() -> readyReplicas(client, namespace) == 1);

        namespaces.deleteAndAwait(List.of(namespace));

        assertThat(client.pods().inAnyNamespace().withLabels(APP).list().getItems())
                .noneMatch(pod -> pod.getMetadata().getNamespace().equals(namespace));
        assertThat(client.configMaps()
                        .inNamespace(namespace)
                        .withName("keep-me")
                        .get())
                .isNull();
        assertThat(client.apps().deployments().inNamespace(namespace).list().getItems())
                .isEmpty();
    }

    private static Deployment deployment(int replicas) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName("smoke")
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .withMatchLabels(APP)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(APP)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("busybox:1.36")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    private static int readyReplicas(KubernetesClient client, String namespace) {
        Deployment deployment = client.apps()
                .deployments()
                .inNamespace(namespace)
                .withName("smoke")
                .get();
        Integer ready = deployment == null || deployment.getStatus() == null
                ? null
                : deployment.getStatus().getReadyReplicas();
        return ready == null ? 0 : ready;
    }

    private static Set<String> podNames(KubernetesClient client, String namespace) {
        return client.pods().inNamespace(namespace).withLabels(APP).list().getItems().stream()
                .map(pod -> pod.getMetadata().getName())
                .collect(Collectors.toSet());
    }
}
