package dev.mkplat.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pod template meets Pod Security "restricted" ({@link PodSecurityRestricted}), and the
 * hardening the platform adds on top: a read-only root filesystem, no service-account token, and
 * every namespace that runs them enforcing "restricted".
 */
class PodSecurityTest {
    static Stream<Named<Bundle.PodTemplate>> podTemplates() {
        return Bundle.get().podTemplates().stream().map(t -> Named.of(t.owner().where(), t));
    }

    @Test
    void theBundleHasTheSixWorkloads() {
        assertThat(Bundle.get().podTemplates())
                .extracting(t -> t.owner().id())
                .containsExactlyInAnyOrder(
                        "StatefulSet/db/postgres",
                        "StatefulSet/infra/redis",
                        "StatefulSet/infra/gcs-emulator",
                        "Deployment/auth/auth",
                        "Deployment/api/api",
                        "Deployment/images/images");
    }

    @ParameterizedTest
    @MethodSource("podTemplates")
    void meetsPodSecurityRestricted(Bundle.PodTemplate workload) {
        PodTemplateSpec template = workload.template();
        assertThat(PodSecurityRestricted.violations(template.getMetadata(), template.getSpec()))
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("podTemplates")
    void hasAReadOnlyRootFilesystemAndNoServiceAccountToken(Bundle.PodTemplate workload) {
        PodSpec pod = workload.template().getSpec();
        assertThat(pod.getAutomountServiceAccountToken())
                .as("automountServiceAccountToken")
                .isFalse();
        assertThat(pod.getServiceAccountName())
                .as("its own ServiceAccount")
                .isNotBlank()
                .isNotEqualTo("default");
        Bundle.Document account =
                Bundle.get().require("ServiceAccount", workload.owner().namespace(), pod.getServiceAccountName());
        assertThat(account.tree().path("automountServiceAccountToken").asBoolean(true))
                .as(account.where() + " automountServiceAccountToken")
                .isFalse();
        assertThat(pod.getInitContainers()).isEmpty();
        for (Container container : pod.getContainers()) {
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem())
                    .as(container.getName() + " readOnlyRootFilesystem")
                    .isTrue();
            assertThat(container.getSecurityContext().getPrivileged())
                    .as(container.getName() + " privileged")
                    .isFalse();
            assertThat(container.getResources().getRequests())
                    .as(container.getName() + " requests")
                    .containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits())
                    .as(container.getName() + " limits")
                    .containsKeys("cpu", "memory");
            assertThat(container.getImage())
                    .as(container.getName() + " image is pinned")
                    .matches("[^:@]+(:[^:]+|@sha256:[0-9a-f]{64})")
                    .doesNotEndWith(":latest");
        }
    }

    @Test
    void theServicesRunAsUid10001() {
        for (ServiceContract.Service service : ServiceContract.SERVICES) {
            PodSpec pod = Bundle.get().podTemplates().stream()
                    .filter(t -> t.owner().id().equals("Deployment/" + service.namespace() + "/" + service.name()))
                    .findFirst()
                    .orElseThrow()
                    .template()
                    .getSpec();
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(ServiceContract.RUN_AS_USER);
            assertThat(pod.getContainers().get(0).getSecurityContext().getRunAsUser())
                    .isEqualTo(ServiceContract.RUN_AS_USER);
        }
    }

    @ParameterizedTest
    @MethodSource("podTemplates")
    void runsInANamespaceThatEnforcesRestricted(Bundle.PodTemplate workload) {
        Bundle.Document namespace =
                Bundle.get().require("Namespace", "", workload.owner().namespace());
        assertThat(namespace.label("pod-security.kubernetes.io/enforce")).isEqualTo("restricted");
    }

    @Test
    void theCheckerCatchesEachControl() {
        Container bad = new Container();
        bad.setName("bad");
        bad.setSecurityContext(new io.fabric8.kubernetes.api.model.SecurityContextBuilder()
                .withPrivileged(true)
                .withAllowPrivilegeEscalation(true)
                .withRunAsUser(0L)
                .withProcMount("Unmasked")
                .withNewCapabilities()
                .addToAdd("NET_ADMIN")
                .endCapabilities()
                .withNewSeccompProfile()
                .withType("Unconfined")
                .endSeccompProfile()
                .build());
        bad.setPorts(List.of(new io.fabric8.kubernetes.api.model.ContainerPortBuilder()
                .withContainerPort(80)
                .withHostPort(80)
                .build()));
        PodSpec pod = new io.fabric8.kubernetes.api.model.PodSpecBuilder()
                .withHostNetwork(true)
                .withHostPID(true)
                .withHostIPC(true)
                .withContainers(bad)
                .addNewVolume()
                .withName("host")
                .withNewHostPath()
                .withPath("/")
                .endHostPath()
                .endVolume()
                .withNewSecurityContext()
                .addNewSysctl()
                .withName("kernel.msgmax")
                .withValue("1")
                .endSysctl()
                .endSecurityContext()
                .build();

        List<String> violations = PodSecurityRestricted.violations(new ObjectMeta(), pod);

        assertThat(violations)
                .anyMatch(v -> v.startsWith("host namespaces: spec.hostNetwork"))
                .anyMatch(v -> v.startsWith("host namespaces: spec.hostPID"))
                .anyMatch(v -> v.startsWith("host namespaces: spec.hostIPC"))
                .anyMatch(v -> v.startsWith("hostPath volumes"))
                .anyMatch(v -> v.startsWith("volume types"))
                .anyMatch(v -> v.startsWith("sysctls"))
                .anyMatch(v -> v.startsWith("privileged"))
                .anyMatch(v -> v.startsWith("/proc mount"))
                .anyMatch(v -> v.startsWith("host ports"))
                .anyMatch(v -> v.startsWith("privilege escalation"))
                .anyMatch(v -> v.startsWith("running as non-root:"))
                .anyMatch(v -> v.startsWith("running as non-root user"))
                .anyMatch(v -> v.startsWith("seccomp"))
                .anyMatch(v -> v.contains("capabilities.drop must contain ALL"))
                .anyMatch(v -> v.contains("capabilities.add has NET_ADMIN"));
    }
}
