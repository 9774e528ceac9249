package dev.mkplat.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/** How refusals from the apiserver become results. */
class ResourceApplierTest {
    private static final ObjectRef REF = new ObjectRef("apps/v1", "Deployment", "api", "api");

    @Test
    void conflictNamesTheOtherManagerAndItsFields() {
        var status = new StatusBuilder()
                .withCode(409)
                .withReason("Conflict")
                .withMessage(
                        "Apply failed with 2 conflicts: conflict with \"kubectl-edit\" using apps/v1: .spec.replicas")
                .withNewDetails()
                .addNewCause()
                .withReason("FieldManagerConflict")
                .withField(".spec.replicas")
                .withMessage("conflict with \"kubectl-edit\" using apps/v1")
                .endCause()
                .addNewCause()
                .withReason("FieldManagerConflict")
                .withField(".spec.template.spec.containers[name=\"api\"].image")
                .withMessage("conflict with \"kubectl-edit\" using apps/v1")
                .endCause()
                .addNewCause()
                .withReason("FieldManagerConflict")
                .withField(".metadata.labels.team")
                .withMessage("conflict with \"helm\" using apps/v1")
                .endCause()
                .endDetails()
                .build();
        ApplyResult result = ResourceApplier.refused(REF, new KubernetesClientException("conflict", 409, status));
        assertThat(result.outcome()).isEqualTo(ApplyOutcome.CONFLICT);
        assertThat(result.detail())
                .isEqualTo(
                        "field .metadata.labels.team managed by \"helm\"; "
                                + "fields .spec.replicas, .spec.template.spec.containers[name=\"api\"].image managed by \"kubectl-edit\"");
        assertThat(result.line()).startsWith("conflict    Deployment api/api: field .metadata.labels.team");
    }

    @Test
    void otherRefusalsKeepTheApiserversMessage() {
        var status = new StatusBuilder()
                .withCode(422)
                .withMessage("Deployment.apps \"api\" is invalid: spec.replicas: Invalid value: -1")
                .build();
        ApplyResult result = ResourceApplier.refused(REF, new KubernetesClientException("invalid", 422, status));
        assertThat(result.outcome()).isEqualTo(ApplyOutcome.FAILED);
        assertThat(result.detail())
                .isEqualTo("422 Deployment.apps \"api\" is invalid: spec.replicas: Invalid value: -1");
    }

    @Test
    void projectionKeepsOnlyTheFieldsTheDesiredObjectSets() {
        Object shape = java.util.Map.of(
                "metadata",
                java.util.Map.of("labels", java.util.Map.of("a", "1")),
                "spec",
                java.util.Map.of("containers", java.util.List.of(java.util.Map.of("name", "api", "image", "x"))));
        Object live = java.util.Map.of(
                "metadata",
                java.util.Map.of(
                        "labels",
                        java.util.Map.of("a", "1"),
                        "annotations",
                        java.util.Map.of("deployment.kubernetes.io/revision", "2"),
                        "resourceVersion",
                        "9"),
                "spec",
                java.util.Map.of(
                        "replicas",
                        2,
                        "containers",
                        java.util.List.of(java.util.Map.of(
                                "name", "api", "image", "x", "terminationMessagePath", "/dev/termination-log"))),
                "status",
                java.util.Map.of("readyReplicas", 2));
        assertThat(ResourceApplier.project(shape, live)).isEqualTo(shape);
        Object changed = java.util.Map.of(
                "metadata",
                java.util.Map.of("labels", java.util.Map.of("a", "2")),
                "spec",
                java.util.Map.of("containers", java.util.List.of(java.util.Map.of("name", "api", "image", "x"))));
        assertThat(ResourceApplier.project(shape, changed)).isNotEqualTo(shape);
    }
}
