package dev.mkplat.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every Secret the manifests and the chart values refer to, by name and key, is one the CLI
 * generates (secrets.yaml), and every Secret there is used. A reference the pod cannot start
 * without must not depend on a storage mode its object does not.
 */
class SecretReferencesTest {
    static final String SPEC = "secrets.yaml";

    /** A reference to one key of one Secret, or to the whole Secret (key null). */
    record Reference(String namespace, String secret, String key, boolean optional, String storageMode, String from) {}

    static StrictModels.GeneratedSecrets spec() {
        return StrictModels.read(
                Bundle.readDocuments(Bundle.get().dir(), SPEC).get(0).tree(), StrictModels.GeneratedSecrets.class);
    }

    /** Every reference in the bundle and in the kube-prometheus-stack values. */
    static List<Reference> references() {
        List<Reference> found = new ArrayList<>();
        for (Bundle.PodTemplate workload : Bundle.get().podTemplates()) {
            String namespace = workload.owner().namespace();
            String mode = workload.owner().label(Bundle.STORAGE_LABEL);
            String where = workload.owner().where();
            for (Container container : workload.template().getSpec().getContainers()) {
                for (EnvVar env : container.getEnv()) {
                    if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                        var ref = env.getValueFrom().getSecretKeyRef();
                        found.add(new Reference(
                                namespace,
                                ref.getName(),
                                ref.getKey(),
                                Boolean.TRUE.equals(ref.getOptional()),
                                mode,
                                where + " env " + env.getName()));
                    }
                }
                for (EnvFromSource from : container.getEnvFrom()) {
                    if (from.getSecretRef() != null) {
                        found.add(new Reference(
                                namespace,
                                from.getSecretRef().getName(),
                                null,
                                Boolean.TRUE.equals(from.getSecretRef().getOptional()),
                                mode,
                                where + " envFrom"));
                    }
                }
            }
            for (Volume volume : workload.template().getSpec().getVolumes()) {
                if (volume.getSecret() != null) {
                    addItems(
                            found,
                            namespace,
                            volume.getSecret().getSecretName(),
                            volume.getSecret().getItems(),
                            Boolean.TRUE.equals(volume.getSecret().getOptional()),
                            mode,
                            where + " volume " + volume.getName());
                }
                if (volume.getProjected() != null) {
                    for (VolumeProjection source : volume.getProjected().getSources()) {
                        if (source.getSecret() != null) {
                            addItems(
                                    found,
                                    namespace,
                                    source.getSecret().getName(),
                                    source.getSecret().getItems(),
                                    Boolean.TRUE.equals(source.getSecret().getOptional()),
                                    mode,
                                    where + " volume " + volume.getName());
                        }
                    }
                }
            }
        }
        for (Bundle.Document document : Bundle.get().ofKind("Ingress")) {
            for (var tls : document.as(Ingress.class).getSpec().getTls()) {
                found.add(new Reference(
                        document.namespace(), tls.getSecretName(), "tls.crt", false, null, document.where()));
                found.add(new Reference(
                        document.namespace(), tls.getSecretName(), "tls.key", false, null, document.where()));
            }
        }
        JsonNode grafana = MonitoringTest.values().path("grafana");
        String adminSecret = grafana.path("admin").path("existingSecret").asString();
        found.add(new Reference(
                "monitoring",
                adminSecret,
                grafana.path("admin").path("userKey").asString(),
                false,
                null,
                "values grafana.admin"));
        found.add(new Reference(
                "monitoring",
                adminSecret,
                grafana.path("admin").path("passwordKey").asString(),
                false,
                null,
                "values grafana.admin"));
        for (JsonNode tls : grafana.path("ingress").path("tls").values()) {
            found.add(new Reference(
                    "monitoring", tls.path("secretName").asString(), "tls.crt", false, null, "values grafana.ingress"));
            found.add(new Reference(
                    "monitoring", tls.path("secretName").asString(), "tls.key", false, null, "values grafana.ingress"));
        }
        return found;
    }

    private static void addItems(
            List<Reference> found,
            String namespace,
            String secret,
            List<KeyToPath> items,
            boolean optional,
            String mode,
            String where) {
        if (items == null || items.isEmpty()) {
            found.add(new Reference(namespace, secret, null, optional, mode, where));
        } else {
            items.forEach(item -> found.add(new Reference(namespace, secret, item.getKey(), optional, mode, where)));
        }
    }

    @Test
    void everyReferencedSecretAndKeyIsGenerated() {
        Map<String, StrictModels.GeneratedSecret> generated = new HashMap<>();
        spec().secrets().forEach(s -> generated.put(s.namespace() + "/" + s.name(), s));

        for (Reference reference : references()) {
            StrictModels.GeneratedSecret secret = generated.get(reference.namespace() + "/" + reference.secret());
            assertThat(secret)
                    .as(reference.from() + " refers to " + reference.namespace() + "/" + reference.secret())
                    .isNotNull();
            if (reference.key() != null) {
                assertThat(secret.data()).as(reference.from() + " key").containsKey(reference.key());
            }
            if (secret.when() != null && !reference.optional()) {
                assertThat(secret.when())
                        .as(reference.from() + " cannot start without a Secret made only " + secret.when())
                        .isEqualTo("storage=" + reference.storageMode());
            }
        }
    }

    @Test
    void everyGeneratedSecretIsUsed() {
        Set<String> referenced = new HashSet<>();
        references().forEach(r -> referenced.add(r.namespace() + "/" + r.secret()));
        for (StrictModels.GeneratedSecret secret : spec().secrets()) {
            assertThat(referenced)
                    .as("something uses " + secret.namespace() + "/" + secret.name())
                    .contains(secret.namespace() + "/" + secret.name());
        }
    }

    @Test
    void theSpecIsWellFormed() {
        StrictModels.GeneratedSecrets spec = spec();
        assertThat(spec.apiVersion()).isEqualTo("mkplat.dev/v1alpha1");
        assertThat(spec.kind()).isEqualTo("GeneratedSecrets");
        Set<String> ids = new TreeSet<>();
        Map<String, Set<String>> secretsByRandomValue = new HashMap<>();
        for (StrictModels.GeneratedSecret secret : spec.secrets()) {
            assertThat(ids.add(secret.namespace() + "/" + secret.name()))
                    .as("listed once: " + secret.name())
                    .isTrue();
            assertThat(secret.purpose()).as(secret.name() + " purpose").isNotBlank();
            assertThat(secret.type()).isIn("Opaque", "kubernetes.io/tls");
            assertThat(secret.when()).isIn(null, "storage=emulator", "storage=gcs");
            assertThat(secret.data()).isNotEmpty();
            secret.data().forEach((key, source) -> {
                assertThat(source.sources())
                        .as(secret.name() + "/" + key + " has exactly one source")
                        .isEqualTo(1);
                if (source.certificate() != null) {
                    assertThat(source.certificate()).isIn("chain", "key");
                }
                if (source.random() != null) {
                    secretsByRandomValue
                            .computeIfAbsent(source.random(), v -> new TreeSet<>())
                            .add(secret.namespace() + "/" + secret.name() + "/" + key);
                }
            });
            if (secret.type().equals("kubernetes.io/tls")) {
                assertThat(secret.data()).containsOnlyKeys("tls.crt", "tls.key");
            }
        }
        // Shared values are exactly the database-side and client-side copies of one password.
        assertThat(secretsByRandomValue)
                .containsEntry("postgres-api-password", Set.of("api/api-db/password", "db/postgres-api/password"))
                .containsEntry("postgres-auth-password", Set.of("auth/auth-db/password", "db/postgres-auth/password"))
                .containsEntry("redis-password", Set.of("auth/redis/password", "infra/redis/password"))
                .containsEntry("postgres-admin-password", Set.of("db/postgres-admin/password"))
                .containsEntry("grafana-admin-password", Set.of("monitoring/grafana-admin/admin-password"))
                .hasSize(5);
    }

    @Test
    void theTlsSecretIsInEveryNamespaceWithAnIngress() {
        Set<String> namespaces = new TreeSet<>();
        spec().secrets().stream()
                .filter(s -> s.name().equals("platform-tls"))
                .forEach(s -> namespaces.add(s.namespace()));
        assertThat(namespaces).containsExactlyInAnyOrder("api", "auth", "images", "monitoring");
    }
}
