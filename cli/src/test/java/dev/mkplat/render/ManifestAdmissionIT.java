package dev.mkplat.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.testing.TestCluster;
import dev.mkplat.testing.TestNamespaces;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The manifests' admission test (manifests issue): every namespace and workload of the bundle,
 * applied as they are (no mkplat deploy logic), is admitted by the real apiserver under Pod Security
 * "restricted", every pod becomes Ready on a kwok node, and every claim binds.
 */
@TestCluster
class ManifestAdmissionIT {
    private static final Set<String> APPLIED = Set.of("Namespace", "ServiceAccount", "Deployment", "StatefulSet");

    @Test
    void everyWorkloadIsAdmittedUnderRestrictedAndBecomesReady(KubernetesClient client, TestNamespaces namespaces) {
        List<HasMetadata> objects =
                PlatformRenderer.render(ManifestBundle.bundled(), PlatformConfig.defaults()).objects().stream()
                        .filter(object -> APPLIED.contains(object.getKind()))
                        .toList();
        List<String> platformNamespaces = objects.stream()
                .filter(object -> object.getKind().equals("Namespace"))
                .map(object -> object.getMetadata().getName())
                .toList();
        namespaces.adopt(platformNamespaces.toArray(String[]::new));
        for (HasMetadata object : objects) {
            client.resource(object).fieldManager("manifest-admission-test").serverSideApply();
        }
        Set<String> restricted = platformNamespaces.stream()
                .filter(name -> "restricted"
                        .equals(client.namespaces()
                                .withName(name)
                                .get()
                                .getMetadata()
                                .getLabels()
                                .get(TestNamespaces.ENFORCE)))
                .collect(Collectors.toSet());
        assertThat(restricted).containsExactlyInAnyOrder("db", "infra", "auth", "api", "images");
        long workloads = objects.stream()
                .filter(object -> Set.of("Deployment", "StatefulSet").contains(object.getKind()))
                .count();

        await("every workload's pod ready")
                .atMost(Duration.ofSeconds(90))
                .until(() -> readyPods(client, platformNamespaces).size() == workloads);

        Set<String> kwokNodes = client.nodes().list().getItems().stream()
                .filter(node ->
                        "fake".equals(node.getMetadata().getAnnotations().get("kwok.x-k8s.io/node")))
                .map(node -> node.getMetadata().getName())
                .collect(Collectors.toSet());
        assertThat(readyPods(client, platformNamespaces))
                .allSatisfy(pod -> assertThat(kwokNodes).contains(pod.getSpec().getNodeName()));
        assertThat(client.v1()
                        .events()
                        .inAnyNamespace()
                        .withField("reason", "FailedCreate")
                        .list()
                        .getItems())
                .filteredOn(
                        event -> platformNamespaces.contains(event.getMetadata().getNamespace()))
                .as("no pod refused by admission")
                .isEmpty();
        List<PersistentVolumeClaim> claims = client.persistentVolumeClaims().inAnyNamespace().list().getItems().stream()
                .filter(claim -> platformNamespaces.contains(claim.getMetadata().getNamespace()))
                .toList();
        assertThat(claims)
                .extracting(claim -> claim.getMetadata().getName())
                .containsExactlyInAnyOrder("data-postgres-0", "data-redis-0", "data-gcs-emulator-0");
        assertThat(claims)
                .allSatisfy(claim -> assertThat(claim.getStatus().getPhase()).isEqualTo("Bound"));
    }

    private static List<Pod> readyPods(KubernetesClient client, List<String> namespaces) {
        return client.pods().inAnyNamespace().list().getItems().stream()
                .filter(pod -> namespaces.contains(pod.getMetadata().getNamespace()))
                .filter(Readiness::isPodReady)
                .toList();
    }
}
