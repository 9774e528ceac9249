package dev.mkplat.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Requests added up the way the scheduler counts them. */
class PodRequestsTest {
    @Test
    void aPodRequestsItsContainersOrItsLargestInitContainerWhicheverIsMore() {
        var spec = new PodSpecBuilder()
                .withContainers(container("100m", "64Mi"), container("0.25", "1Gi"))
                .withInitContainers(container("500m", "16Mi"), container("200m", "32Mi"))
                .build();

        assertThat(PodRequests.of(spec)).isEqualTo(new PodRequests(500, (64L << 20) + (1L << 30)));
    }

    @Test
    void autoscaledWorkloadsCountAtMinAndMaxReplicasTheOthersAtTheirReplicas() {
        List<HasMetadata> objects = List.of(
                new DeploymentBuilder()
                        .withNewMetadata()
                        .withName("api")
                        .withNamespace("api")
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(2)
                        .withNewTemplate()
                        .withNewSpec()
                        .withContainers(container("100m", "384Mi"))
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build(),
                new HorizontalPodAutoscalerBuilder()
                        .withNewMetadata()
                        .withName("api")
                        .withNamespace("api")
                        .endMetadata()
                        .withNewSpec()
                        .withNewScaleTargetRef()
                        .withKind("Deployment")
                        .withName("api")
                        .endScaleTargetRef()
                        .withMinReplicas(2)
                        .withMaxReplicas(5)
                        .endSpec()
                        .build(),
                new StatefulSetBuilder()
                        .withNewMetadata()
                        .withName("postgres")
                        .withNamespace("db")
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(1)
                        .withNewTemplate()
                        .withNewSpec()
                        .withContainers(container("100m", "256Mi"))
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build());

        PodRequests.Workloads workloads = PodRequests.Workloads.of(objects);

        assertThat(workloads.atMin()).isEqualTo(new PodRequests(300, (2 * 384L + 256) << 20));
        assertThat(workloads.atMax()).isEqualTo(new PodRequests(600, (5 * 384L + 256) << 20));
        assertThat(workloads.atMax()).hasToString("600m CPU, 2176 MiB");
    }

    @Test
    void roomFitsWhatIsNotMoreInEitherResource() {
        PodRequests room = new PodRequests(1050, 3540L << 20);
        assertThat(room.fits(new PodRequests(1050, 3540L << 20))).isTrue();
        assertThat(room.fits(new PodRequests(1051, 1))).isFalse();
        assertThat(room.fits(new PodRequests(1, 3541L << 20))).isFalse();
    }

    private static Container container(String cpu, String memory) {
        return new ContainerBuilder()
                .withName("c" + cpu.hashCode())
                .withNewResources()
                .addToRequests("cpu", new Quantity(cpu))
                .addToRequests("memory", new Quantity(memory))
                .endResources()
                .build();
    }
}
