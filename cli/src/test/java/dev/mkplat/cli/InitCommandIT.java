package dev.mkplat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mkplat.cli.CliSession.Run;
import dev.mkplat.testing.TestCluster;
import dev.mkplat.testing.TestNamespaces;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mkplat init} against the real test cluster (kwok): what it finds, and what it refuses. */
@TestCluster
class InitCommandIT {
    private static final Map<String, String> NGINX =
            Map.of("app.kubernetes.io/name", "ingress-nginx", "app.kubernetes.io/component", "controller");

    @TempDir
    Path work;

    CliSession cli;
    Path hosts;

    @BeforeEach
    void session() throws Exception {
        cli = CliSession.in(work, work);
        hosts = Files.writeString(work.resolve("hosts"), "127.0.0.1 localhost\n");
    }

    @Test
    void bareTestClusterPassesTheFatalChecksAndWarnsAboutAddons(Path kubeconfig) {
        Run run = cli.run("init", "--kubeconfig", kubeconfig.toString(), "--hosts-file", hosts.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .containsPattern("✓ the kubeconfig context is a local cluster \\(context kwok-\\S+ at https://")
                .containsPattern("✓ the Kubernetes API is reachable \\(v1\\.\\d+")
                .containsPattern("✓ Kubernetes is 1.27 or newer")
                .containsPattern("✓ RBAC allows applying every object mkplat deploys \\(\\d+ permissions")
                .contains("✓ a default StorageClass exists for the database volumes (standard)")
                // kwok's nodes are large: 3 x 32 CPUs
                .containsPattern(
                        "✓ the nodes have room for the platform's requests \\(the platform( with monitoring)? requests \\d+m CPU, \\d+ MiB at "
                                + "replicas.min and \\d+m CPU, \\d+ MiB at replicas.max; 3 nodes have \\d+m CPU, \\d+ MiB free\\)")
                .contains("‼ metrics-server serves the metrics API for the autoscalers: metrics.k8s.io is not served")
                .contains("    minikube addons enable metrics-server")
                .contains("‼ the platform hosts resolve to the ingress: not in " + hosts)
                .contains("    127.0.0.1 api.test auth.test images.test monitoring.test # mkplat")
                .containsPattern("ready, with warnings: \\d passed, \\d warnings, 0 failed");
        if (run.out().contains("‼ the ingress-nginx controller is running")) {
            assertThat(run.out())
                    .contains(
                            "‼ the ingress-nginx controller is running: no ingress-nginx controller found\n    minikube addons enable ingress\n");
        }
    }

    @Test
    void runningIngressNginxWithALoadBalancerAddressIsFoundAndWrittenToTheHostsFile(
            KubernetesClient client, TestNamespaces namespaces, Path kubeconfig) throws Exception {
        String namespace = namespaces.create();
        String ingressClass = namespace + "-nginx";
        client.network()
                .v1()
                .ingressClasses()
                .resource(new IngressClassBuilder()
                        .withNewMetadata()
                        .withName(ingressClass)
                        .endMetadata()
                        .withNewSpec()
                        .withController("k8s.io/ingress-nginx")
                        .endSpec()
                        .build())
                .create();
        try {
            client.apps()
                    .deployments()
                    .inNamespace(namespace)
                    .resource(new DeploymentBuilder()
                            .withNewMetadata()
                            .withName("ingress-nginx-controller")
                            .withLabels(NGINX)
                            .endMetadata()
                            .withNewSpec()
                            .withReplicas(1)
                            .withNewSelector()
                            .withMatchLabels(NGINX)
                            .endSelector()
                            .withNewTemplate()
                            .withNewMetadata()
                            .withLabels(NGINX)
                            .endMetadata()
                            .withNewSpec()
                            .addNewContainer()
                            .withName("controller")
                            .withImage("registry.k8s.io/ingress-nginx/controller:v1.12.0")
                            .endContainer()
                            .endSpec()
                            .endTemplate()
                            .endSpec()
                            .build())
                    .create();
            Service service = client.services()
                    .inNamespace(namespace)
                    .resource(new ServiceBuilder()
                            .withNewMetadata()
                            .withName("ingress-nginx-controller")
                            .withLabels(NGINX)
                            .endMetadata()
                            .withNewSpec()
                            .withType("LoadBalancer")
                            .withSelector(NGINX)
                            .addNewPort()
                            .withName("https")
                            .withPort(443)
                            .withTargetPort(new IntOrString(443))
                            .endPort()
                            .endSpec()
                            .build())
                    .create();
            service.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder()
                    .withNewLoadBalancer()
                    .withIngress(new LoadBalancerIngressBuilder()
                            .withIp("192.168.49.2")
                            .build())
                    .endLoadBalancer()
                    .build());
            client.services().inNamespace(namespace).resource(service).updateStatus();
            await("controller ready").atMost(Duration.ofSeconds(60)).until(() -> {
                var deployment = client.apps()
                        .deployments()
                        .inNamespace(namespace)
                        .withName("ingress-nginx-controller")
                        .get();
                return deployment.getStatus() != null
                        && Integer.valueOf(1).equals(deployment.getStatus().getReadyReplicas());
            });

            Run run = cli.run(
                    "init", "--kubeconfig", kubeconfig.toString(), "--hosts-file", hosts.toString(), "--write-hosts");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out())
                    .contains("✓ the ingress-nginx controller is running (" + namespace
                            + "/ingress-nginx-controller, IngressClass ")
                    .contains("✓ the platform hosts resolve to the ingress (added to " + hosts);
            assertThat(Files.readString(hosts))
                    .isEqualTo(
                            "127.0.0.1 localhost\n192.168.49.2 api.test auth.test images.test monitoring.test # mkplat\n");
            assertThat(Files.readString(work.resolve("hosts.mkplat.bak"))).isEqualTo("127.0.0.1 localhost\n");

            Run again = cli.run(
                    "init", "--kubeconfig", kubeconfig.toString(), "--hosts-file", hosts.toString(), "--write-hosts");
            assertThat(again.out()).contains("✓ the platform hosts resolve to the ingress (already in " + hosts + ")");
        } finally {
            client.network().v1().ingressClasses().withName(ingressClass).delete();
        }
    }

    @Test
    void userWithoutRightsFailsTheRbacCheckWithTheMissingPermissions(KubernetesClient client, TestNamespaces namespaces)
            throws Exception {
        String namespace = namespaces.create();
        client.serviceAccounts()
                .inNamespace(namespace)
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("limited")
                        .endMetadata()
                        .build())
                .create();
        client.rbac()
                .roles()
                .inNamespace(namespace)
                .resource(new RoleBuilder()
                        .withNewMetadata()
                        .withName("configmaps")
                        .endMetadata()
                        .addNewRule()
                        .withApiGroups("")
                        .withResources("configmaps")
                        .withVerbs("create", "patch")
                        .endRule()
                        .build())
                .create();
        client.rbac()
                .roleBindings()
                .inNamespace(namespace)
                .resource(new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName("limited")
                        .endMetadata()
                        .withNewRoleRef()
                        .withApiGroup("rbac.authorization.k8s.io")
                        .withKind("Role")
                        .withName("configmaps")
                        .endRoleRef()
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName("limited")
                        .withNamespace(namespace)
                        .endSubject()
                        .build())
                .create();
        String token = client.serviceAccounts()
                .inNamespace(namespace)
                .withName("limited")
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(600L)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
        Path limited =
                Files.writeString(work.resolve("limited-kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                contexts:
                - name: kwok-limited
                  context: {cluster: test, user: limited}
                current-context: kwok-limited
                users:
                - name: limited
                  user: {token: %s}
                """.formatted(client.getMasterUrl(), token));

        Run run = cli.run("init", "--kubeconfig", limited.toString(), "--hosts-file", hosts.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        List<String> failed =
                run.out().lines().filter(line -> line.startsWith("×")).toList();
        assertThat(failed)
                .singleElement()
                .asString()
                .containsPattern(
                        "× RBAC allows applying every object mkplat deploys: \\d+ of \\d+ permissions denied: ")
                .contains("create namespaces")
                .contains("and ");
        assertThat(run.out()).doesNotContain(token);
    }
}
