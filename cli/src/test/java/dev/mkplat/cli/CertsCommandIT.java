package dev.mkplat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.cli.CliSession.Run;
import dev.mkplat.testing.TestCluster;
import dev.mkplat.testing.TestNamespaces;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mkplat certs} keeping the cluster's platform-tls Secrets in step with the files, on the test cluster. */
@TestCluster
class CertsCommandIT {
    @TempDir
    Path work;

    CliSession cli;

    @BeforeEach
    void session() {
        cli = CliSession.in(work, work);
    }

    /** The platform's namespace {@code name}, as deploy makes it, with an Ingress that serves TLS from platform-tls. */
    private static String namespaceWithIngress(KubernetesClient client, TestNamespaces namespaces) {
        return platformNamespaceWithIngress(client, namespaces, "api");
    }

    private static String platformNamespaceWithIngress(
            KubernetesClient client, TestNamespaces namespaces, String name) {
        namespaces.adopt(name);
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .addToLabels("app.kubernetes.io/managed-by", "mkplat")
                        .endMetadata()
                        .build())
                .create();
        return ingressIn(client, name);
    }

    private static String ingressIn(KubernetesClient client, String namespace) {
        client.network()
                .v1()
                .ingresses()
                .inNamespace(namespace)
                .resource(new IngressBuilder()
                        .withNewMetadata()
                        .withName("api")
                        .endMetadata()
                        .withNewSpec()
                        .addNewTl()
                        .withHosts("api.test")
                        .withSecretName("platform-tls")
                        .endTl()
                        .addNewRule()
                        .withHost("api.test")
                        .withNewHttp()
                        .addNewPath()
                        .withPath("/")
                        .withPathType("Prefix")
                        .withNewBackend()
                        .withNewService()
                        .withName("api")
                        .withNewPort()
                        .withNumber(3000)
                        .endPort()
                        .endService()
                        .endBackend()
                        .endPath()
                        .endHttp()
                        .endRule()
                        .endSpec()
                        .build())
                .create();
        return namespace;
    }

    private String file(String name) throws Exception {
        return Files.readString(work.resolve("certs/test").resolve(name));
    }

    private static String decoded(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)));
    }

    @Test
    void generateCreatesTheTlsSecretAndARerunChangesNothing(
            KubernetesClient client, TestNamespaces namespaces, Path kubeconfig) throws Exception {
        String namespace = namespaceWithIngress(client, namespaces);
        String unrelated = namespaces.create(); // no Ingress: no Secret

        Run first = cli.run("certs", "generate", "--kubeconfig", kubeconfig.toString());

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).contains("Secret platform-tls in " + namespace + ": created");
        Secret secret =
                client.secrets().inNamespace(namespace).withName("platform-tls").get();
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(decoded(secret, "tls.crt")).isEqualTo(file("tls.crt"));
        assertThat(decoded(secret, "tls.key")).isEqualTo(file("tls.key"));
        assertThat(secret.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "mkplat");
        assertThat(secret.getMetadata().getManagedFields()).anySatisfy(field -> {
            assertThat(field.getManager()).isEqualTo("mkplat");
            assertThat(field.getOperation()).isEqualTo("Apply");
        });
        assertThat(client.secrets()
                        .inNamespace(unrelated)
                        .withName("platform-tls")
                        .get())
                .isNull();
        assertThat(first.out() + first.err()).doesNotContain("PRIVATE KEY");

        Run second = cli.run("certs", "generate", "--kubeconfig", kubeconfig.toString());

        assertThat(second.out()).contains("Secret platform-tls in " + namespace + ": unchanged");
        assertThat(client.secrets()
                        .inNamespace(namespace)
                        .withName("platform-tls")
                        .get()
                        .getMetadata()
                        .getResourceVersion())
                .isEqualTo(secret.getMetadata().getResourceVersion());
    }

    @Test
    void regenerateUpdatesTheSecretAndShowComparesIt(
            KubernetesClient client, TestNamespaces namespaces, Path kubeconfig) throws Exception {
        String namespace = namespaceWithIngress(client, namespaces);
        cli.run("certs", "generate", "--kubeconfig", kubeconfig.toString());
        assertThat(cli.run("certs", "show", "--kubeconfig", kubeconfig.toString())
                        .out())
                .contains("Secret platform-tls in " + namespace + ": matches the files");

        Run regenerated = cli.run("certs", "regenerate", "--kubeconfig", kubeconfig.toString());

        assertThat(regenerated.out()).contains("Secret platform-tls in " + namespace + ": configured");
        assertThat(decoded(
                        client.secrets()
                                .inNamespace(namespace)
                                .withName("platform-tls")
                                .get(),
                        "tls.crt"))
                .isEqualTo(file("tls.crt"));

        // Someone replaces the certificate by hand: show tells, and generate reports the conflict instead of fighting.
        client.secrets().inNamespace(namespace).withName("platform-tls").edit(secret -> {
            secret.setData(Map.of(
                    "tls.crt",
                    Base64.getEncoder().encodeToString("other".getBytes()),
                    "tls.key",
                    secret.getData().get("tls.key")));
            return secret;
        });
        assertThat(cli.run("certs", "show", "--kubeconfig", kubeconfig.toString())
                        .out())
                .contains("Secret platform-tls in " + namespace + ": differs from the files");
        Run conflicted = cli.run("certs", "generate", "--kubeconfig", kubeconfig.toString());
        assertThat(conflicted.exitCode()).as(conflicted.toString()).isEqualTo(1);
        assertThat(conflicted.out()).contains("Secret platform-tls in " + namespace + ": conflict");
        assertThat(conflicted.err())
                .startsWith("mkplat: error: the cluster refused to update the platform-tls Secrets");
    }

    /**
     * The Secret carries the wildcard key: it goes to the platform's own namespaces only, never to
     * another tenant's Ingress that names a Secret platform-tls, nor to a namespace that merely has
     * a platform name but was not made by mkplat.
     */
    @Test
    void theKeyGoesOnlyToThePlatformsNamespaces(KubernetesClient client, TestNamespaces namespaces, Path kubeconfig)
            throws Exception {
        String platform = platformNamespaceWithIngress(client, namespaces, "images");
        String foreign =
                ingressIn(client, namespaces.create(java.util.Map.of("app.kubernetes.io/managed-by", "mkplat")));
        namespaces.adopt("auth");
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("auth")
                        .endMetadata()
                        .build())
                .create();
        String lookalike = ingressIn(client, "auth"); // a platform name, but someone else's namespace
        client.secrets()
                .inNamespace(foreign)
                .resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                        .withNewMetadata()
                        .withName("platform-tls")
                        .endMetadata()
                        .withType("kubernetes.io/tls")
                        .withData(Map.of("tls.crt", "", "tls.key", ""))
                        .build())
                .create();

        Run run = cli.run("certs", "generate", "--kubeconfig", kubeconfig.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("Secret platform-tls in " + platform + ": created")
                .doesNotContain("in " + foreign)
                .doesNotContain("in " + lookalike);
        assertThat(decoded(
                        client.secrets()
                                .inNamespace(platform)
                                .withName("platform-tls")
                                .get(),
                        "tls.key"))
                .isEqualTo(file("tls.key"));
        assertThat(client.secrets()
                        .inNamespace(foreign)
                        .withName("platform-tls")
                        .get()
                        .getData())
                .containsEntry("tls.key", "");
        assertThat(client.secrets()
                        .inNamespace(lookalike)
                        .withName("platform-tls")
                        .get())
                .isNull();

        Run show = cli.run("certs", "show", "--kubeconfig", kubeconfig.toString());
        assertThat(show.out())
                .contains("Secret platform-tls in " + platform + ": matches the files")
                .doesNotContain("in " + foreign)
                .doesNotContain("in " + lookalike);
    }

    @Test
    void noApplyLeavesTheClusterAlone(KubernetesClient client, TestNamespaces namespaces, Path kubeconfig) {
        String namespace = namespaceWithIngress(client, namespaces);
        Run run = cli.run("certs", "generate", "--no-apply", "--kubeconfig", kubeconfig.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).doesNotContain("Secret platform-tls");
        assertThat(client.secrets()
                        .inNamespace(namespace)
                        .withName("platform-tls")
                        .get())
                .isNull();
    }
}
