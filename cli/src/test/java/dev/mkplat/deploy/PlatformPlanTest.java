package dev.mkplat.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.MkplatException;
import dev.mkplat.kube.ObjectRef;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.render.PlatformRenderer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformPlanTest {
    private static final List<String> VALID = List.of("db", "infra", "auth", "api", "images", "monitoring");

    @Test
    void noComponentsMeansAllAndChosenOnesKeepBundleOrder() {
        assertThat(PlatformScope.choose(List.of(), VALID)).isEqualTo(VALID);
        assertThat(PlatformScope.choose(List.of("images", "db"), VALID)).containsExactly("db", "images");
    }

    @Test
    void unknownComponentIsAUsageErrorListingTheValidOnes() {
        assertThatThrownBy(() -> PlatformScope.choose(List.of("api", "web"), VALID))
                .isInstanceOfSatisfying(MkplatException.class, failure -> {
                    assertThat(failure.exitCode().code()).isEqualTo(2);
                    assertThat(failure.getMessage())
                            .isEqualTo(
                                    "unknown component 'web'; valid components: db, infra, auth, api, images, monitoring");
                });
    }

    @Test
    void everyBundledObjectHasAStageAndWorkloadsOfDbAndInfraComeBeforeTheServices() {
        var objects = PlatformRenderer.render(ManifestBundle.bundled(), PlatformConfig.defaults())
                .objects();
        for (HasMetadata object : objects) {
            DeployStage stage = DeployStage.of(object);
            switch (object.getKind()) {
                case "Namespace" -> assertThat(stage).isEqualTo(DeployStage.NAMESPACES);
                case "StatefulSet" -> assertThat(stage).isEqualTo(DeployStage.DATA);
                case "Deployment" -> assertThat(stage).isEqualTo(DeployStage.SERVICES);
                case "NetworkPolicy", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget" ->
                    assertThat(stage).isEqualTo(DeployStage.ROUTING);
                case "ServiceMonitor" -> assertThat(stage).isEqualTo(DeployStage.MONITORING);
                case "ServiceAccount", "Secret" -> assertThat(stage).isEqualTo(DeployStage.CONFIGURATION);
                default -> {}
            }
        }
        assertThat(objects)
                .filteredOn(object -> object.getMetadata().getLabels().containsKey("grafana_dashboard"))
                .isNotEmpty()
                .allSatisfy(dashboard -> assertThat(DeployStage.of(dashboard)).isEqualTo(DeployStage.MONITORING));
        List<HasMetadata> ordered = PlatformDryRun.inApplyOrder(objects);
        assertThat(ordered.getFirst().getKind()).isEqualTo("Namespace");
        assertThat(DeployStage.of(ordered.getLast())).isEqualTo(DeployStage.MONITORING);
        assertThat(ordered.stream().map(DeployStage::of).toList()).isSorted();
    }

    @Test
    void anObjectKnownByReferenceOnlyHasTheStageOfTheObjectUnlessItIsADashboard() {
        var objects = PlatformRenderer.render(ManifestBundle.bundled(), PlatformConfig.defaults())
                .objects();
        for (HasMetadata object : objects) {
            DeployStage byReference = DeployStage.of(ObjectRef.of(object));
            if (object.getMetadata().getLabels() != null
                    && object.getMetadata().getLabels().containsKey(DeployStage.DASHBOARD_LABEL)) {
                assertThat(byReference).as(object.getMetadata().getName()).isEqualTo(DeployStage.CONFIGURATION);
            } else {
                assertThat(byReference).as(ObjectRef.of(object).toString()).isEqualTo(DeployStage.of(object));
            }
        }
        assertThat(DeployStage.reversed().getLast()).isEqualTo(DeployStage.NAMESPACES);
    }

    @Test
    void aScopeOfNoNamedComponentIsTheWholePlatform() {
        PlatformScope all = PlatformScope.choose(ManifestBundle.bundled(), PlatformConfig.defaults(), List.of());
        assertThat(all.all()).isTrue();
        assertThat(all.components()).isEqualTo(VALID);
        PlatformScope two =
                PlatformScope.choose(ManifestBundle.bundled(), PlatformConfig.defaults(), List.of("images", "db"));
        assertThat(two.all()).isFalse();
        assertThat(two.components()).containsExactly("db", "images");
        assertThat(two.chosen().componentNames()).containsExactly("db", "images");
    }

    @Test
    void autoscalerFloorsPointAtTheirDeployments() {
        var objects = PlatformRenderer.render(ManifestBundle.bundled(), PlatformConfig.defaults())
                .objects();
        assertThat(new PlatformPlan(List.of(), objects, List.of(), List.of()).autoscalerFloors())
                .containsEntry(new ObjectRef("apps/v1", "Deployment", "api", "api"), 2)
                .hasSize(3);
    }
}
