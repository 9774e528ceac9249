package dev.mkplat.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.config.PlatformConfig.Hosts;
import dev.mkplat.config.PlatformConfig.Images;
import dev.mkplat.config.PlatformConfig.Monitoring;
import dev.mkplat.config.PlatformConfig.Replicas;
import dev.mkplat.config.PlatformConfig.Storage;
import dev.mkplat.config.PlatformConfig.StorageMode;
import dev.mkplat.config.PlatformConfig.Timeouts;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The overrides, each against the real bundled manifests. */
class PlatformRendererTest {
    private static final ManifestBundle BUNDLE = ManifestBundle.bundled();

    @Test
    void everyObjectIsLabelledAsManagedByMkplat() {
        RenderedPlatform platform = PlatformRenderer.render(BUNDLE, PlatformConfig.defaults());
        assertThat(platform.objects())
                .isNotEmpty()
                .allSatisfy(object -> assertThat(object.getMetadata().getLabels())
                        .containsEntry("app.kubernetes.io/managed-by", "mkplat")
                        .containsEntry("app.kubernetes.io/part-of", "mkplat"));
        assertThat(platform.componentNames()).containsExactly("db", "infra", "auth", "api", "images", "monitoring");
    }

    @Test
    void imagePinsAreAnInputAndChangeOnlyTheServicesPodTemplates() {
        String api = "sha256:" + "a".repeat(64);
        String auth = "sha256:" + "b".repeat(64);
        ImagePins pins = new ImagePins(
                java.util.Map.of("api", new ImagePins.Pin(api, true), "auth", new ImagePins.Pin(auth, false)));
        RenderedPlatform pinned = PlatformRenderer.render(BUNDLE, PlatformConfig.defaults(), pins);
        RenderedPlatform unpinned = PlatformRenderer.render(BUNDLE, PlatformConfig.defaults());

        String version = PlatformConfig.defaults().images().tag();
        assertThat(deployment(pinned, "api")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getImage())
                .isEqualTo("docker.io/mkplat/api:" + version + "@" + api);
        assertThat(deployment(pinned, "api")
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations())
                .doesNotContainKey(PlatformRenderer.IMAGE_DIGEST_ANNOTATION);
        // loaded by tag: the reference keeps the tag, the digest rolls the pods through the template
        assertThat(deployment(pinned, "auth")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getImage())
                .isEqualTo("docker.io/mkplat/auth:" + version);
        assertThat(deployment(pinned, "auth")
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations())
                .containsEntry(PlatformRenderer.IMAGE_DIGEST_ANNOTATION, auth);
        assertThat(deployment(pinned, "images")).isEqualTo(deployment(unpinned, "images"));
        assertThat(deployment(unpinned, "api")
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getImage())
                .isEqualTo("docker.io/mkplat/api:" + version);
        assertThat(pinned.objects().stream()
                        .filter(object -> !(object instanceof Deployment))
                        .toList())
                .isEqualTo(unpinned.objects().stream()
                        .filter(object -> !(object instanceof Deployment))
                        .toList());
    }

    private static Deployment deployment(RenderedPlatform platform, String name) {
        return platform.objects().stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .filter(deployment -> deployment.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void renderingDoesNotChangeTheBundle() {
        PlatformRenderer.render(BUNDLE, config("example.dev", 3, 7, StorageMode.GCS, false));
        HasMetadata first = BUNDLE.objects().stream()
                .filter(Deployment.class::isInstance)
                .findFirst()
                .orElseThrow();
        assertThat(first.getMetadata().getLabels()).doesNotContainKey("app.kubernetes.io/managed-by");
    }

    @Test
    void imagesHostsAndReplicaBoundsFollowTheConfig() {
        RenderedPlatform platform =
                PlatformRenderer.render(BUNDLE, config("example.dev", 3, 7, StorageMode.EMULATOR, true));
        Deployment api = one(platform, Deployment.class, "api");
        assertThat(api.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getImage())
                .isEqualTo("registry.local:5000/team/api:9.9.9");
        assertThat(api.getSpec().getReplicas())
                .as("the autoscaler owns the count")
                .isNull();
        HorizontalPodAutoscaler autoscaler = one(platform, HorizontalPodAutoscaler.class, "api");
        assertThat(autoscaler.getSpec().getMinReplicas()).isEqualTo(3);
        assertThat(autoscaler.getSpec().getMaxReplicas()).isEqualTo(7);
        Ingress ingress = one(platform, Ingress.class, "auth");
        assertThat(ingress.getSpec().getRules())
                .extracting(rule -> rule.getHost())
                .containsExactly("auth.example.dev");
        assertThat(ingress.getSpec().getTls().getFirst().getHosts()).containsExactly("auth.example.dev");
        // Third-party images stay as pinned in the bundle.
        assertThat(platform.objects())
                .filteredOn(object -> object.getMetadata().getName().equals("postgres")
                        && object.getKind().equals("StatefulSet"))
                .singleElement()
                .satisfies(
                        postgres -> assertThat(KubernetesYaml.toYaml(postgres)).contains("image: postgres:"));
    }

    @Test
    void emulatorModeKeepsTheEmulatorAndGcsModeSwapsItForTheKeyAndEgress() {
        RenderedPlatform emulator = PlatformRenderer.render(BUNDLE, PlatformConfig.defaults());
        assertThat(names(emulator))
                .contains("StatefulSet infra/gcs-emulator")
                .doesNotContain("NetworkPolicy images/images-allow-egress-to-gcs");
        assertThat(one(emulator, ConfigMap.class, "images-config").getData())
                .containsKey("GCS_EMULATOR_HOST")
                .containsEntry("GCS_BUCKET", "mkplat-images");

        RenderedPlatform gcs = PlatformRenderer.render(BUNDLE, config("test", 2, 5, StorageMode.GCS, true));
        // With a key file the images pods have no business at the metadata server.
        assertThat(names(gcs))
                .doesNotContain("StatefulSet infra/gcs-emulator")
                .contains("NetworkPolicy images/images-allow-egress-to-gcs")
                .doesNotContain("NetworkPolicy images/images-allow-egress-to-metadata-server");
        assertThat(one(gcs, ConfigMap.class, "images-config").getData())
                .doesNotContainKey("GCS_EMULATOR_HOST")
                .containsEntry("GCS_BUCKET", "team-bucket")
                .containsEntry("GCS_CREDENTIALS_FILE", "/var/run/secrets/gcs/key.json");
        var images =
                one(gcs, Deployment.class, "images").getSpec().getTemplate().getSpec();
        assertThat(images.getVolumes())
                .filteredOn(volume -> volume.getSecret() != null)
                .anySatisfy(
                        volume -> assertThat(volume.getSecret().getSecretName()).isEqualTo("gcs-credentials"));
        assertThat(images.getContainers().getFirst().getVolumeMounts())
                .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/var/run/secrets/gcs"));
        // The apiserver refuses a pod with two volumes (or mounts) of one name.
        assertThat(images.getVolumes())
                .extracting(io.fabric8.kubernetes.api.model.Volume::getName)
                .doesNotHaveDuplicates();
        assertThat(images.getContainers().getFirst().getVolumeMounts())
                .extracting(io.fabric8.kubernetes.api.model.VolumeMount::getName)
                .doesNotHaveDuplicates();
    }

    @Test
    void gcsModeWithoutAKeyFileLetsTheImagesPodsReachTheMetadataServerInstead() {
        PlatformConfig keyed = config("test", 2, 5, StorageMode.GCS, true);
        PlatformConfig ambient = new PlatformConfig(
                keyed.domain(),
                keyed.hosts(),
                keyed.replicas(),
                keyed.images(),
                new Storage(StorageMode.GCS, "team-bucket", Optional.empty()),
                keyed.monitoring(),
                keyed.timeouts());

        RenderedPlatform gcs = PlatformRenderer.render(BUNDLE, ambient);
        assertThat(names(gcs))
                .contains(
                        "NetworkPolicy images/images-allow-egress-to-gcs",
                        "NetworkPolicy images/images-allow-egress-to-metadata-server");
        assertThat(one(gcs, NetworkPolicy.class, "images-allow-egress-to-metadata-server")
                        .getSpec()
                        .getEgress())
                .flatExtracting(rule -> rule.getTo().stream()
                        .map(peer -> peer.getIpBlock().getCidr())
                        .toList())
                .containsExactlyInAnyOrder("169.254.169.254/32", "169.254.169.252/32");
        // No key to point at: the Google client falls back to Application Default Credentials.
        assertThat(one(gcs, ConfigMap.class, "images-config").getData())
                .containsEntry("GCS_BUCKET", "team-bucket")
                .doesNotContainKeys("GCS_CREDENTIALS_FILE", "GCS_EMULATOR_HOST");
    }

    @Test
    void aSettingsChangeRollsOnlyThePodsThatReadIt() {
        RenderedPlatform emulator = PlatformRenderer.render(BUNDLE, PlatformConfig.defaults());
        RenderedPlatform gcs = PlatformRenderer.render(BUNDLE, config("test", 2, 5, StorageMode.GCS, true));
        assertThat(configHash(emulator, "images")).isNotBlank().isNotEqualTo(configHash(gcs, "images"));
        assertThat(configHash(emulator, "api")).isNotBlank().isEqualTo(configHash(gcs, "api"));
        assertThat(configHash(emulator, "images"))
                .isEqualTo(configHash(PlatformRenderer.render(BUNDLE, PlatformConfig.defaults()), "images"));
    }

    private static String configHash(RenderedPlatform platform, String deployment) {
        return one(platform, Deployment.class, deployment)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get(PlatformRenderer.CONFIG_HASH_ANNOTATION);
    }

    @Test
    void postgresAcceptsEveryPoolTheAutoscalersCanStart() {
        // the bundle's 120 covers the default bounds: (5 + 1 surge) x 8 for api and for auth, plus 8 = 104
        assertThat(postgresArgs(PlatformRenderer.render(BUNDLE, PlatformConfig.defaults())))
                .contains("max_connections=120");
        assertThat(postgresArgs(PlatformRenderer.render(BUNDLE, config("test", 2, 6, StorageMode.EMULATOR, true))))
                .contains("max_connections=120");
        assertThat(postgresArgs(PlatformRenderer.render(BUNDLE, config("test", 2, 7, StorageMode.EMULATOR, true))))
                .contains("max_connections=136");
        // 20 pods of each, plus one in a rollout, with a pool of 8: 2 x 21 x 8 + 8
        assertThat(postgresArgs(PlatformRenderer.render(BUNDLE, config("test", 2, 20, StorageMode.EMULATOR, true))))
                .contains("max_connections=344")
                .doesNotContain("max_connections=120");
    }

    private static List<String> postgresArgs(RenderedPlatform platform) {
        return one(platform, StatefulSet.class, "postgres")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst()
                .getArgs();
    }

    @Test
    void logAndTraceStoresOpenGrafanasEgressToTheirPortsOnly() {
        assertThat(names(PlatformRenderer.render(BUNDLE, PlatformConfig.defaults())))
                .noneMatch(name -> name.endsWith("/" + PlatformRenderer.GRAFANA_LOGS_EGRESS_POLICY));
        PlatformConfig.Logs logs = new PlatformConfig.Logs(
                Optional.of(URI.create("http://loki-gateway.loki.svc.cluster.local")),
                Optional.of(new PlatformConfig.TraceStore(
                        PlatformConfig.TraceStoreType.TEMPO, URI.create("http://tempo.tempo.svc.cluster.local:3200"))));
        RenderedPlatform rendered =
                PlatformRenderer.render(BUNDLE, PlatformConfig.defaults().withLogs(logs));
        NetworkPolicy egress = rendered.objects().stream()
                .filter(NetworkPolicy.class::isInstance)
                .map(NetworkPolicy.class::cast)
                .filter(policy -> policy.getMetadata().getName().equals(PlatformRenderer.GRAFANA_LOGS_EGRESS_POLICY))
                .findFirst()
                .orElseThrow();
        assertThat(RenderedPlatform.componentOf(egress)).isEqualTo("monitoring");
        assertThat(egress.getSpec().getPodSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/name", "grafana");
        assertThat(egress.getSpec().getPolicyTypes()).containsExactly("Egress");
        assertThat(egress.getSpec().getEgress()).singleElement().satisfies(rule -> {
            assertThat(rule.getTo()).isEmpty();
            assertThat(rule.getPorts())
                    .extracting(port -> port.getPort().getIntVal())
                    .containsExactly(80, 3200);
        });
        // Without the monitoring component there is no Grafana to let out.
        PlatformConfig.Monitoring off =
                new PlatformConfig.Monitoring(false, PlatformConfig.Monitoring.DEFAULT_CHART_VERSION);
        PlatformConfig unmonitored = new PlatformConfig(
                        "test",
                        PlatformConfig.Hosts.defaults("test"),
                        PlatformConfig.Replicas.defaults(),
                        PlatformConfig.Images.defaults(),
                        PlatformConfig.Storage.defaults(),
                        off,
                        PlatformConfig.Timeouts.defaults())
                .withLogs(logs);
        assertThat(names(PlatformRenderer.render(BUNDLE, unmonitored)))
                .noneMatch(name -> name.endsWith("/" + PlatformRenderer.GRAFANA_LOGS_EGRESS_POLICY));
    }

    @Test
    void aTracingEndpointReachesTheThreeServicesSettingsAndOpensTheirEgressToItsPort() {
        RenderedPlatform untraced = PlatformRenderer.render(BUNDLE, PlatformConfig.defaults());
        RenderedPlatform traced = PlatformRenderer.render(
                BUNDLE,
                PlatformConfig.defaults()
                        .withTraces(new PlatformConfig.Traces(
                                Optional.of(URI.create("https://collector.example.test/otlp")), 0.1)));
        for (String service : List.of("api", "auth", "images")) {
            assertThat(one(untraced, ConfigMap.class, service + "-config").getData())
                    .doesNotContainKeys(PlatformRenderer.OTLP_ENDPOINT);
            assertThat(one(traced, ConfigMap.class, service + "-config").getData())
                    .containsEntry(PlatformRenderer.OTLP_ENDPOINT, "https://collector.example.test/otlp")
                    .containsEntry(PlatformRenderer.TRACES_SAMPLER, "parentbased_traceidratio")
                    .containsEntry(PlatformRenderer.TRACES_SAMPLER_ARG, "0.1");
            NetworkPolicy egress = traced.objects().stream()
                    .filter(NetworkPolicy.class::isInstance)
                    .map(NetworkPolicy.class::cast)
                    .filter(policy -> policy.getMetadata().getNamespace().equals(service)
                            && policy.getMetadata().getName().equals(PlatformRenderer.TRACING_EGRESS_POLICY))
                    .findFirst()
                    .orElseThrow();
            assertThat(egress.getSpec().getPodSelector().getMatchLabels())
                    .containsEntry("app.kubernetes.io/name", service);
            assertThat(egress.getSpec().getEgress()).singleElement().satisfies(rule -> {
                assertThat(rule.getTo()).isEmpty();
                assertThat(rule.getPorts())
                        .singleElement()
                        .satisfies(
                                port -> assertThat(port.getPort().getIntVal()).isEqualTo(443));
            });
            // The settings changed, so the pods roll.
            assertThat(configHash(traced, service)).isNotEqualTo(configHash(untraced, service));
        }
        assertThat(names(untraced)).noneMatch(name -> name.endsWith("/" + PlatformRenderer.TRACING_EGRESS_POLICY));
        // Only the services: Postgres, Redis and the emulator do not trace.
        assertThat(traced.objects().stream()
                        .filter(ConfigMap.class::isInstance)
                        .map(ConfigMap.class::cast)
                        .filter(map ->
                                map.getData() != null && map.getData().containsKey(PlatformRenderer.OTLP_ENDPOINT))
                        .map(map -> map.getMetadata().getName()))
                .containsExactlyInAnyOrder("api-config", "auth-config", "images-config");
    }

    @Test
    void monitoringOffLeavesTheMonitoringComponentOut() {
        RenderedPlatform platform = PlatformRenderer.render(BUNDLE, config("test", 2, 5, StorageMode.EMULATOR, false));
        assertThat(platform.componentNames()).doesNotContain("monitoring");
    }

    static PlatformConfig config(String domain, int min, int max, StorageMode mode, boolean monitoring) {
        return new PlatformConfig(
                domain,
                Hosts.defaults(domain),
                new Replicas(min, max),
                new Images("registry.local:5000/team", "9.9.9"),
                mode == StorageMode.GCS
                        ? new Storage(mode, "team-bucket", Optional.of(Path.of("key.json")))
                        : Storage.defaults(),
                new Monitoring(monitoring, Monitoring.DEFAULT_CHART_VERSION),
                new Timeouts(Duration.ofMinutes(5), Duration.ofMinutes(3)));
    }

    private static <T extends HasMetadata> T one(RenderedPlatform platform, Class<T> type, String name) {
        return platform.objects().stream()
                .filter(type::isInstance)
                .map(type::cast)
                .filter(object -> object.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static List<String> names(RenderedPlatform platform) {
        return platform.objects().stream()
                .map(object -> object.getKind() + " " + object.getMetadata().getNamespace() + "/"
                        + object.getMetadata().getName())
                .toList();
    }
}
