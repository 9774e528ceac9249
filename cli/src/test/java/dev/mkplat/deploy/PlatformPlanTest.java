package dev.mkplat.deploy;

import java.util.List;

import dev.mkplat.core.MkplatException;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.render.PlatformRenderer;
import dev.mkplat.config.PlatformConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlatformPlanTest {
    private static final List<String> VALID = List.of("db", "infra", "auth", "api", "images", "monitoring");

    @Test
    void noComponentsMeansAllAndChosenOnesKeepBundleOrder() {
        assertThat(PlatformPlan.choose(List.of(), VALID)).isEqualTo(VALID);
        assertThat(PlatformPlan.choose(List.of("images", "db"), VALID)).containsExactly("db", "images");
    }

    @Test
    void unknownComponentIsAUsageErrorListingTheValidOnes() {
        assertThatThrownBy(() -> PlatformPlan.choose(List.of("api", "web"), VALID))
                .isInstanceOfSatisfying(MkplatException.class, failure -> {
                    assertThat(failure.exitCode().code()).isEqualTo(2);
                    assertThat(failure.getMessage()).isEqualTo("unknown component 'web'; valid components: db, infra, auth, api, images, monitoring");
                });
    }

    @Test
    void everyBundledObjectHasAStageAndWorkloadsOfDbAndInfraComeBeforeTheServices() {
        var objects = PlatformRenderer.render(ManifestBundle.bundled(), PlatformConfig.defaults()).objects();
        for (HasMetadata object : objects) {
            DeployStage stage = DeployStage.of(object);
            switch (object.getKind()) {
                case "Namespace" -> assertThat(stage).isEqualTo(DeployStage.NAMESPACES);
                case "StatefulSet" -> assertThat(stage).isEqualTo(DeployStage.DATA);
                case "Deployment" -> assertThat(stage).isEqualTo(DeployStage.SERVICES);
                case "NetworkPolicy", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget" -> assertThat(stage).isEqualTo(DeployStage.ROUTING);
                case "ServiceMonitor" -> assertThat(stage).isEqualTo(DeployStage.MONITORING);
                case "ServiceAccount", "Secret" -> assertThat(stage).isEqualTo(DeployStage.CONFIGURATION);
                default -> {
                }
            }
        }
        assertThat(objects).filteredOn(object -> object.getMetadata().getLabels().containsKey("grafana_dashboard"))
                .isNotEmpty().allSatisfy(dashboard -> assertThat(DeployStage.of(dashboard)).isEqualTo(DeployStage.MONITORING));
        List<HasMetadata> ordered = PlatformDryRun.inApplyOrder(objects);
        assertThat(ordered.getFirst().getKind()).isEqualTo("Namespace");
        assertThat(DeployStage.of(ordered.getLast())).isEqualTo(DeployStage.MONITORING);
        assertThat(ordered.stream().map(DeployStage::of).toList()).isSorted();
    }

    @Test
    void autoscalerFloorsPointAtTheirDeployments() {
        var objects = PlatformRenderer.render(ManifestBundle.bundled(), PlatformConfig.defaults()).objects();
        assertThat(PlatformDeploy.autoscalerFloors(objects)).containsEntry(new dev.mkplat.kube.ObjectRef("apps/v1", "Deployment", "api", "api"), 2)
                .hasSize(3);
    }
}
