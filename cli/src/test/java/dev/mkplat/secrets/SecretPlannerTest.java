package dev.mkplat.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.MkplatException;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.secrets.SecretPlanner.Disposition;
import dev.mkplat.secrets.SecretPlanner.Plan;
import dev.mkplat.secrets.SecretPlanner.PlannedSecret;
import dev.mkplat.secrets.SecretPlanner.TlsMaterial;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Secret rules, on the real specification of the manifests module. */
class SecretPlannerTest {
    private static final List<SecretSpec> SPECS =
            SecretSpec.parseAll(ManifestBundle.bundled().secretsSpec());
    private static final TlsMaterial TLS =
            new TlsMaterial("CHAIN".getBytes(StandardCharsets.US_ASCII), "KEY".getBytes(StandardCharsets.US_ASCII));

    @Test
    void onAnEmptyClusterEveryRandomPasswordIsNewStrongAndSharedWhereTheSpecSaysSo() {
        Plan plan = planner()
                .plan(
                        SPECS,
                        PlatformConfig.defaults(),
                        Set.of(),
                        (namespace, name) -> Optional.empty(),
                        Optional.of(TLS),
                        path -> new byte[0]);
        assertThat(plan.warnings()).isEmpty();
        assertThat(plan.secrets()).extracting(PlannedSecret::disposition).doesNotContain(Disposition.KEEP);
        String apiRole = value(plan, "db", "postgres-api", "password");
        assertThat(apiRole).hasSize(43).matches("[A-Za-z0-9]{43}");
        assertThat(value(plan, "api", "api-db", "password")).isEqualTo(apiRole);
        assertThat(value(plan, "db", "postgres-auth", "password"))
                .isEqualTo(value(plan, "auth", "auth-db", "password"))
                .isNotEqualTo(apiRole);
        assertThat(value(plan, "infra", "redis", "password")).isEqualTo(value(plan, "auth", "redis", "password"));
        assertThat(value(plan, "monitoring", "grafana-admin", "admin-user")).isEqualTo("admin");
        assertThat(value(plan, "api", "platform-tls", "tls.crt")).isEqualTo("CHAIN");
        assertThat(find(plan, "api", "platform-tls").secret().getType()).isEqualTo("kubernetes.io/tls");
        assertThat(plan.secrets())
                .noneMatch(secret -> secret.secret().getMetadata().getName().equals("gcs-credentials"));
    }

    @Test
    void existingSecretsAreKeptAndTheirValueIsReusedForAMissingCopy() {
        Map<String, Map<String, String>> cluster = new HashMap<>();
        cluster.put("db/postgres-api", Map.of("password", "kept-from-before"));
        Plan plan = planner()
                .plan(
                        SPECS,
                        PlatformConfig.defaults(),
                        Set.of(),
                        (namespace, name) -> Optional.ofNullable(cluster.get(namespace + "/" + name)),
                        Optional.of(TLS),
                        path -> new byte[0]);
        assertThat(find(plan, "db", "postgres-api").disposition()).isEqualTo(Disposition.KEEP);
        PlannedSecret copy = find(plan, "api", "api-db");
        assertThat(copy.disposition()).isEqualTo(Disposition.GENERATE);
        assertThat(value(plan, "api", "api-db", "password")).isEqualTo("kept-from-before");
        assertThat(find(plan, "api", "platform-tls").disposition())
                .as("files, not random: follows them")
                .isEqualTo(Disposition.DERIVE);
    }

    @Test
    void copiesThatDifferAreReportedAndNeitherIsRotated() {
        Map<String, Map<String, String>> cluster =
                Map.of("db/postgres-api", Map.of("password", "one"), "api/api-db", Map.of("password", "two"));
        Plan plan = planner()
                .plan(
                        SPECS,
                        PlatformConfig.defaults(),
                        Set.of(),
                        (namespace, name) -> Optional.ofNullable(cluster.get(namespace + "/" + name)),
                        Optional.of(TLS),
                        path -> new byte[0]);
        assertThat(find(plan, "db", "postgres-api").disposition()).isEqualTo(Disposition.KEEP);
        assertThat(find(plan, "api", "api-db").disposition()).isEqualTo(Disposition.KEEP);
        assertThat(plan.warnings())
                .singleElement()
                .asString()
                .contains("should hold the same postgres-api-password but differ");
    }

    @Test
    void onlyTheChosenComponentsGetSecretsAndMonitoringOffDropsItsOnes() {
        Plan plan = planner()
                .plan(
                        SPECS,
                        PlatformConfig.defaults(),
                        Set.of("api"),
                        (namespace, name) -> Optional.empty(),
                        Optional.of(TLS),
                        path -> new byte[0]);
        assertThat(plan.secrets())
                .extracting(secret -> secret.secret().getMetadata().getNamespace())
                .containsOnly("api");

        PlatformConfig defaults = PlatformConfig.defaults();
        PlatformConfig noMonitoring = new PlatformConfig(
                defaults.domain(),
                defaults.hosts(),
                defaults.replicas(),
                defaults.images(),
                defaults.storage(),
                new PlatformConfig.Monitoring(false, "75.13.0"),
                defaults.timeouts());
        assertThat(planner()
                        .plan(
                                SPECS,
                                noMonitoring,
                                Set.of(),
                                (namespace, name) -> Optional.empty(),
                                Optional.of(TLS),
                                path -> new byte[0])
                        .secrets())
                .noneMatch(
                        secret -> secret.secret().getMetadata().getNamespace().equals("monitoring"));
    }

    @Test
    void gcsModeMakesTheKeySecretFromTheConfiguredFile() {
        PlatformConfig gcs = gcs(Optional.of(Path.of("/keys/sa.json")));
        Plan plan = planner()
                .plan(
                        SPECS,
                        gcs,
                        Set.of(),
                        (namespace, name) -> Optional.empty(),
                        Optional.of(TLS),
                        path -> path.equals(Path.of("/keys/sa.json"))
                                ? "{\"type\":\"service_account\"}".getBytes(StandardCharsets.UTF_8)
                                : null);
        assertThat(value(plan, "images", "gcs-credentials", "key.json")).isEqualTo("{\"type\":\"service_account\"}");
    }

    @Test
    void gcsModeWithoutAKeyFileMakesNoKeySecret() {
        PlatformConfig gcs = gcs(Optional.empty());
        Plan plan = planner()
                .plan(SPECS, gcs, Set.of(), (namespace, name) -> Optional.empty(), Optional.of(TLS), path -> {
                    throw new AssertionError("no file to read, asked for " + path);
                });
        // Application Default Credentials instead: the images pods mount the Secret as optional.
        assertThat(plan.secrets())
                .noneMatch(secret -> secret.secret().getMetadata().getName().equals("gcs-credentials"));
    }

    /** The defaults in storage mode gcs, with or without a key file. */
    private static PlatformConfig gcs(Optional<Path> keyFile) {
        PlatformConfig defaults = PlatformConfig.defaults();
        return new PlatformConfig(
                defaults.domain(),
                defaults.hosts(),
                defaults.replicas(),
                defaults.images(),
                new PlatformConfig.Storage(PlatformConfig.StorageMode.GCS, "bucket", keyFile),
                defaults.monitoring(),
                defaults.timeouts());
    }

    @Test
    void aCertificateSecretWithoutCertificatesSaysHowToMakeThem() {
        assertThatThrownBy(() -> planner()
                        .plan(
                                SPECS,
                                PlatformConfig.defaults(),
                                Set.of("api"),
                                (namespace, name) -> Optional.empty(),
                                Optional.empty(),
                                path -> new byte[0]))
                .isInstanceOf(MkplatException.class)
                .hasMessageContaining("needs the platform certificate");
    }

    private static SecretPlanner planner() {
        return new SecretPlanner(new SecureRandom());
    }

    private static PlannedSecret find(Plan plan, String namespace, String name) {
        return plan.secrets().stream()
                .filter(secret -> secret.secret().getMetadata().getNamespace().equals(namespace)
                        && secret.secret().getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static String value(Plan plan, String namespace, String name, String key) {
        Secret secret = find(plan, namespace, name).secret();
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}
