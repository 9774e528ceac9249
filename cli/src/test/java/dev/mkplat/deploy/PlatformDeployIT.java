package dev.mkplat.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mkplat.cli.Cli;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.Environment;
import dev.mkplat.images.ServiceArchive;
import dev.mkplat.images.SourceCheckout;
import dev.mkplat.kube.ApplyOutcome;
import dev.mkplat.kube.ApplyResult;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.KubeTarget;
import dev.mkplat.kube.ObjectRef;
import dev.mkplat.render.ImagePins;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.render.RenderedPlatform;
import dev.mkplat.testing.RegistryStandIn;
import dev.mkplat.testing.TestCluster;
import dev.mkplat.testing.TestNamespaces;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy, diff, status and destroy against the real apiserver and controllers of the test cluster.
 * Each test starts from a cluster without the platform and leaves none behind.
 */
@TestCluster
class PlatformDeployIT {
    static final List<String> NAMESPACES = List.of("db", "infra", "auth", "api", "images", "monitoring");
    static final List<String> RESTRICTED = List.of("db", "infra", "auth", "api", "images");
    /** The checkout the tests run in (surefire's working directory is cli/). */
    static final Path CHECKOUT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path work;

    @TempDir
    Path home;

    Path kubeconfig;
    KubernetesClient client;
    Environment environment;

    record Run(int exitCode, String out, String err) {
        List<String> resultLines() {
            return out.lines()
                    .filter(line ->
                            line.matches("  (created|configured|unchanged|pruned|conflict|failed|deleted|kept) .*"))
                    .toList();
        }
    }

    @BeforeEach
    void cleanSlate(Path kubeconfig, KubernetesClient client, TestNamespaces namespaces) {
        this.kubeconfig = kubeconfig;
        this.client = client;
        this.environment = Environment.of(work, home);
        namespaces.adopt(NAMESPACES.toArray(String[]::new));
        client.configMaps().inNamespace("default").withName("mkplat-inventory").delete();
    }

    @Test
    void deployMakesEveryWorkloadReadyUnderRestrictedAndARerunChangesNothing() {
        Run first = mkplat("deploy");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(first.resultLines()).isNotEmpty().allMatch(line -> line.startsWith("  created"));

        for (String namespace : RESTRICTED) {
            assertThat(client.namespaces()
                            .withName(namespace)
                            .get()
                            .getMetadata()
                            .getLabels())
                    .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
        }
        List<Pod> pods = client.pods().inAnyNamespace().list().getItems().stream()
                .filter(pod -> RESTRICTED.contains(pod.getMetadata().getNamespace()))
                .toList();
        // 3 StatefulSets of 1 plus 3 Deployments at their autoscalers' minimum of 2: all admitted, all ready.
        assertThat(pods)
                .hasSize(9)
                .allSatisfy(pod -> assertThat(Readiness.isPodReady(pod))
                        .as(pod.getMetadata().getName())
                        .isTrue());
        assertThat(client.v1()
                        .events()
                        .inAnyNamespace()
                        .withField("reason", "FailedCreate")
                        .list()
                        .getItems())
                .filteredOn(event -> NAMESPACES.contains(event.getMetadata().getNamespace()))
                .isEmpty();
        Run status = mkplat("status");
        assertThat(status.exitCode()).as(status.out()).isZero();
        assertThat(status.out()).contains("api         api         2/2").contains("https://api.test");

        Map<String, String> versions = resourceVersions();
        Map<String, String> writes = mkplatWrites();
        Map<String, String> secrets = secretData();
        Run second = mkplat("deploy");
        assertThat(second.exitCode()).isZero();
        assertThat(second.resultLines())
                .hasSameSizeAs(first.resultLines())
                .allMatch(line -> line.startsWith("  unchanged"));
        assertThat(second.out()).containsPattern("deploy: \\d+ unchanged in ");
        assertThat(resourceVersions()).isEqualTo(versions);
        assertThat(mkplatWrites()).isEqualTo(writes);
        assertThat(secretData()).isEqualTo(secrets);

        Run diff = mkplat("diff");
        Run dryRun = mkplat("deploy", "--dry-run");
        assertThat(diff.exitCode()).isZero();
        assertThat(diff.out()).contains("diff: 0 would change, 0 would be created, 0 would be pruned");
        assertThat(dryRun.out()).contains("kind: Deployment").contains("<redacted>");
        assertThat(resourceVersions()).as("diff and dry-run wrote nothing").isEqualTo(versions);
        assertThat(mkplatWrites()).isEqualTo(writes);
    }

    @Test
    void upMakesTheCertificatesDeploysAndSaysWhereEverythingIs() throws IOException {
        // A chart repository that refuses connections: the monitoring install fails, and up still
        // brings the platform up and says so (the stack itself is MonitorInstallIT's).
        int refused;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = socket.getLocalPort();
        }
        // The kwok cluster counts as the project's test cluster: up asks its registry whether it
        // has the service images, and pins what it answers, asking once per image. The registry
        // has this checkout's builds, where there are any, so that up has nothing to load.
        Map<String, String> builds = new HashMap<>();
        for (ServiceArchive archive : new SourceCheckout(CHECKOUT).archives()) {
            archive.digest().ifPresent(digest -> builds.put("mkplat/" + archive.service(), digest));
        }
        try (RegistryStandIn registry = RegistryStandIn.start(builds)) {
            environment = environment.withVariable("MKPLAT_REGISTRY", registry.host());
            upDeploysOnce(refused, registry);
        }
    }

    private void upDeploysOnce(int refused, RegistryStandIn registry) {
        Run up = mkplat("up", "--monitor-repo", "http://127.0.0.1:" + refused);

        assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
        assertThat(registry.manifestRequests())
                .as("manifest HEADs per image")
                .containsOnlyKeys(List.of("api", "auth", "images").stream()
                        .map(service -> "/v2/mkplat/" + service + "/manifests/"
                                + PlatformConfig.Images.defaults().tag())
                        .toList())
                .allSatisfy((path, count) -> assertThat(count).as(path).isEqualTo(1));
        assertThat(up.out()).contains("images: api, auth, images pinned by the digest the registry has");
        assertThat(work.resolve("certs/test/ca.crt")).exists();
        assertThat(work.resolve("certs/test/tls.key")).exists();
        assertThat(client.secrets()
                        .inNamespace("api")
                        .withName("platform-tls")
                        .get()
                        .getType())
                .isEqualTo("kubernetes.io/tls");
        assertThat(up.out())
                .contains("certificates: CA created, server certificate created")
                .containsPattern("deploy: \\d+ created")
                .contains("warning: mkplat monitor install exited 1; the platform runs, monitoring may not")
                .contains("  api: https://api.test", "  auth: https://auth.test", "  images: https://images.test")
                .contains("  grafana: not installed (kube-prometheus-stack 75.13.0 brings it; see README, Monitoring)")
                .contains("api.test auth.test images.test monitoring.test # mkplat");

        Run again = mkplat("up", "--no-image-load", "--no-monitoring");
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out())
                .contains("certificates: CA kept, server certificate kept")
                .containsPattern("deploy: \\d+ unchanged in ")
                .contains("monitoring: skipped (--no-monitoring)")
                .doesNotContain("helm:");
    }

    @Test
    void configChangeTouchesOnlyTheObjectsItShould() throws IOException {
        assertThat(mkplat("deploy", "--no-wait").exitCode()).isZero();
        Map<String, String> before = mkplatWrites();
        Path config = Files.writeString(work.resolve("mkplat.yaml"), "images:\n  tag: \"9.9.9\"\n");

        Run diff = mkplat("diff", "--config", config.toString());
        assertThat(diff.out())
                .contains("diff: 3 would change, 0 would be created")
                .contains("+          image: docker.io/mkplat/api:9.9.9");
        Run retag = mkplat("deploy", "--no-wait", "--config", config.toString());
        assertThat(retag.resultLines().stream().filter(line -> !line.startsWith("  unchanged")))
                .containsExactlyInAnyOrder(
                        "  configured  Deployment api/api",
                        "  configured  Deployment auth/auth",
                        "  configured  Deployment images/images");
        Map<String, String> after = mkplatWrites();
        assertThat(changedKeys(before, after))
                .containsExactlyInAnyOrder("Deployment api/api", "Deployment auth/auth", "Deployment images/images");

        Files.writeString(config, "images:\n  tag: \"9.9.9\"\nreplicas:\n  min: 2\n  max: 4\n");
        Run bounds = mkplat("deploy", "--no-wait", "--config", config.toString());
        assertThat(bounds.resultLines().stream().filter(line -> !line.startsWith("  unchanged")))
                .containsExactlyInAnyOrder(
                        "  configured  HorizontalPodAutoscaler api/api",
                        "  configured  HorizontalPodAutoscaler auth/auth",
                        "  configured  HorizontalPodAutoscaler images/images");
        assertThat(client.autoscaling()
                        .v2()
                        .horizontalPodAutoscalers()
                        .inNamespace("api")
                        .withName("api")
                        .get()
                        .getSpec()
                        .getMaxReplicas())
                .isEqualTo(4);
    }

    @Test
    void componentRemovedFromTheBundleIsPrunedAndNothingElse() {
        assertThat(mkplat("deploy", "--no-wait").exitCode()).isZero();
        Map<String, String> before = mkplatWrites();
        ManifestBundle full = ManifestBundle.bundled();
        ManifestBundle withoutImages = new ManifestBundle(
                "test bundle without images",
                full.files().stream()
                        .map(file -> new ManifestBundle.ManifestFile(
                                file.path(),
                                file.objects().stream()
                                        .filter(object -> !RenderedPlatform.componentOf(object)
                                                .equals("images"))
                                        .toList()))
                        .toList(),
                full.secretsSpec());
        StringWriter out = new StringWriter();
        DeployReport report;
        try (Cluster cluster =
                Cluster.connect(new KubeTarget(Optional.of(kubeconfig), Optional.empty()), Optional.empty())) {
            // The images pinned as the command line pinned them. Read from what it deployed, not asked of the
            // registry again: a registry shared with other checkouts may have a newer digest under the tag by now.
            ImagePins pins = deployedPins();
            report = new PlatformDeploy(withoutImages, new PrintWriter(out))
                    .run(
                            cluster,
                            new DeployRequest(
                                    PlatformConfig.defaults(),
                                    PlatformScope.choose(withoutImages, PlatformConfig.defaults(), List.of(), pins),
                                    work.resolve("certs"),
                                    false,
                                    false,
                                    Duration.ofMinutes(2)));
        }
        List<ApplyResult> pruned = report.results().stream()
                .filter(result -> result.outcome() == ApplyOutcome.PRUNED)
                .toList();
        assertThat(pruned)
                .extracting(result -> result.ref().namespaced()
                        ? result.ref().namespace()
                        : result.ref().name())
                .as(out.toString())
                .isNotEmpty()
                .containsOnly("images");
        assertThat(pruned)
                .extracting(ApplyResult::ref)
                .contains(
                        new ObjectRef("v1", "Namespace", "", "images"),
                        new ObjectRef("apps/v1", "Deployment", "images", "images"),
                        new ObjectRef("v1", "Secret", "images", "platform-tls"));
        assertThat(report.results())
                .filteredOn(result -> result.outcome() != ApplyOutcome.PRUNED)
                .allSatisfy(result -> assertThat(result.outcome()).isEqualTo(ApplyOutcome.UNCHANGED));
        await("namespace images gone")
                .atMost(Duration.ofMinutes(2))
                .until(() -> client.namespaces().withName("images").get() == null);
        Map<String, String> after = mkplatWrites();
        before.keySet().removeIf(key -> key.contains(" images/") || key.equals("Namespace images"));
        assertThat(after).isEqualTo(before);
        assertThat(inventory()).doesNotContainKey("images").containsKeys("api", "auth", "db", "infra");
    }

    @Test
    void deployKilledMidStageConvergesOnRerun() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.mkplat.Main",
                        "deploy",
                        "--kubeconfig",
                        kubeconfig.toString())
                .directory(work.toFile())
                .redirectErrorStream(true)
                .start();
        StringBuilder seen = new StringBuilder();
        try (var reader = process.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.equals("db and infra:")) {
                    // Killed as it starts the stage: some objects applied, the waits and later stages not.
                    process.destroyForcibly();
                    break;
                }
            }
        }
        process.waitFor();
        assertThat(seen).as("the deploy got as far as db and infra").contains("db and infra:");
        assertThat(client.apps()
                        .deployments()
                        .inNamespace("api")
                        .withName("api")
                        .get())
                .as("killed before services")
                .isNull();

        Run rerun = mkplat("deploy");
        assertThat(rerun.exitCode()).as(rerun.out() + rerun.err()).isZero();
        assertThat(mkplat("status").exitCode()).isZero();
        Run third = mkplat("deploy", "--no-wait");
        assertThat(third.resultLines()).allMatch(line -> line.startsWith("  unchanged"));
        assertThat(inventory()).containsKeys("db", "infra", "auth", "api", "images", "monitoring");
    }

    @Test
    void destroyRemovesTheNamespacesKeepsTheDataAndTheNextDeployFindsIt() {
        assertThat(mkplat("deploy", "--no-wait").exitCode()).isZero();
        await("claims bound")
                .atMost(Duration.ofMinutes(1))
                .until(() -> client.persistentVolumeClaims().inAnyNamespace().list().getItems().stream()
                                .filter(claim -> Set.of("db", "infra")
                                        .contains(claim.getMetadata().getNamespace()))
                                .filter(claim ->
                                        "Bound".equals(claim.getStatus().getPhase()))
                                .count()
                        == 3);
        Map<String, String> secretsBefore = secretData();

        Run destroy = mkplat("destroy", "--yes");
        assertThat(destroy.exitCode()).as(destroy.out() + destroy.err()).isZero();
        for (String gone : List.of("api", "auth", "images", "monitoring")) {
            assertThat(client.namespaces().withName(gone).get()).as(gone).isNull();
        }
        assertThat(client.persistentVolumeClaims().inAnyNamespace().list().getItems())
                .extracting(claim -> claim.getMetadata().getNamespace() + "/"
                        + claim.getMetadata().getName())
                .contains("db/data-postgres-0", "infra/data-redis-0");
        assertThat(client.apps().statefulSets().inNamespace("db").list().getItems())
                .isEmpty();
        assertThat(client.secrets().inNamespace("db").withName("postgres-api").get())
                .isNotNull();

        assertThat(mkplat("deploy", "--no-wait").exitCode()).isZero();
        Map<String, String> secretsAfter = secretData();
        assertThat(secretsAfter.get("db/postgres-api"))
                .isEqualTo(secretsBefore.get("db/postgres-api"))
                .isEqualTo(secretsAfter.get("api/api-db"));
        assertThat(secretsAfter.get("infra/redis"))
                .isEqualTo(secretsBefore.get("infra/redis"))
                .isEqualTo(secretsAfter.get("auth/redis"));

        assertThat(mkplat("destroy", "--yes", "--purge-data").exitCode()).isZero();
        assertThat(NAMESPACES)
                .allSatisfy(namespace -> assertThat(
                                client.namespaces().withName(namespace).get())
                        .as(namespace)
                        .isNull());
        assertThat(client.configMaps()
                        .inNamespace("default")
                        .withName("mkplat-inventory")
                        .get())
                .isNull();
    }

    @Test
    void fieldOwnedByAnotherManagerIsAConflictUntilForced() {
        assertThat(mkplat("deploy", "--no-wait").exitCode()).isZero();
        ConfigMap theirs = new ConfigMapBuilder()
                .withNewMetadata()
                .withName("api-config")
                .withNamespace("api")
                .endMetadata()
                .addToData("LOG_LEVEL", "DEBUG")
                .build();
        client.resource(theirs).fieldManager("kubectl-edit").forceConflicts().serverSideApply();

        Run conflicted = mkplat("deploy", "--no-wait", "api");
        assertThat(conflicted.exitCode()).isEqualTo(1);
        assertThat(conflicted.out())
                .contains("  conflict    ConfigMap api/api-config: field .data.LOG_LEVEL managed by \"kubectl-edit\"");
        assertThat(conflicted.err())
                .contains("refused in stage 'secrets, configmaps and service accounts'")
                .contains("--force-conflicts");

        Run forced = mkplat("deploy", "--no-wait", "--force-conflicts", "api");
        assertThat(forced.exitCode()).isZero();
        assertThat(forced.out()).contains("  configured  ConfigMap api/api-config");
        assertThat(client.configMaps()
                        .inNamespace("api")
                        .withName("api-config")
                        .get()
                        .getData())
                .containsEntry("LOG_LEVEL", "INFO");
    }

    Run mkplat(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--dry-run")) {
            all.addAll(List.of("--kubeconfig", kubeconfig.toString()));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.create(new PrintWriter(out, true), new PrintWriter(err, true), environment)
                .execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * What mkplat last wrote to every object the inventory lists: its field manager's Apply entry
     * (time and fields). It changes exactly when mkplat writes; a controller updating status
     * (the disruption controller on a PDB during a rollout) leaves it alone, unlike the
     * resourceVersion.
     */
    Map<String, String> mkplatWrites() {
        return liveObjects(live -> live.getMetadata().getManagedFields().stream()
                .filter(entry -> "mkplat".equals(entry.getManager())
                        && "Apply".equals(entry.getOperation())
                        && entry.getSubresource() == null)
                .map(entry -> entry.getTime() + " " + entry.getFieldsV1().getAdditionalProperties())
                .collect(Collectors.joining(";")));
    }

    /**
     * The resourceVersion of every object the inventory lists whose kind no controller writes to
     * here (ConfigMaps, Secrets, ServiceAccounts, NetworkPolicies, Services, Namespaces, Ingresses):
     * any write at all, by anyone, shows in it. Plus the inventory's own.
     */
    Map<String, String> resourceVersions() {
        Map<String, String> versions = liveObjects(live -> live.getMetadata().getResourceVersion());
        versions.keySet()
                .removeIf(key ->
                        !key.matches("(ConfigMap|Secret|ServiceAccount|NetworkPolicy|Service|Namespace|Ingress) .*"));
        versions.put(
                "inventory",
                client.configMaps()
                        .inNamespace("default")
                        .withName("mkplat-inventory")
                        .get()
                        .getMetadata()
                        .getResourceVersion());
        return versions;
    }

    private Map<String, String> liveObjects(Function<GenericKubernetesResource, String> what) {
        Map<String, String> values = new TreeMap<>();
        for (List<String> lines : inventory().values()) {
            for (String line : lines) {
                ObjectRef ref = ObjectRef.decode(line);
                if (ref.apiVersion().equals(DeployStage.MONITORS_API)) {
                    continue; // the test cluster has no ServiceMonitor or PrometheusRule CRD; deploy skips them
                }
                var resources = client.genericKubernetesResources(ref.apiVersion(), ref.kind());
                GenericKubernetesResource live = ref.namespaced()
                        ? resources
                                .inNamespace(ref.namespace())
                                .withName(ref.name())
                                .get()
                        : resources.withName(ref.name()).get();
                if (live != null) {
                    values.put(ref.toString(), what.apply(live));
                }
            }
        }
        return values;
    }

    Map<String, List<String>> inventory() {
        ConfigMap inventory = client.configMaps()
                .inNamespace("default")
                .withName("mkplat-inventory")
                .get();
        Map<String, List<String>> components = new HashMap<>();
        inventory
                .getData()
                .forEach((component, lines) ->
                        components.put(component, lines.lines().toList()));
        return components;
    }

    Map<String, String> secretData() {
        return client
                .secrets()
                .inAnyNamespace()
                .withLabel("app.kubernetes.io/managed-by", "mkplat")
                .list()
                .getItems()
                .stream()
                .collect(Collectors.toMap(
                        secret -> secret.getMetadata().getNamespace() + "/"
                                + secret.getMetadata().getName(),
                        secret -> String.valueOf(new TreeMap<>(secret.getData()))));
    }

    static Set<String> changedKeys(Map<String, String> before, Map<String, String> after) {
        return after.keySet().stream()
                .filter(key -> !key.equals("inventory") && !after.get(key).equals(before.get(key)))
                .collect(Collectors.toSet());
    }

    /** The digests the services' Deployments run, as deploy pinned them (by reference, {@code image@sha256:...}). */
    private ImagePins deployedPins() {
        Map<String, ImagePins.Pin> pins = new HashMap<>();
        for (String service : List.of("api", "auth", "images")) {
            String image = client.apps()
                    .deployments()
                    .inNamespace(service)
                    .withName(service)
                    .get()
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .getFirst()
                    .getImage();
            int at = image.indexOf('@');
            if (at >= 0) {
                pins.put(service, new ImagePins.Pin(image.substring(at + 1), true));
            }
        }
        return new ImagePins(pins);
    }
}
