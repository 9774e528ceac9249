package dev.mkplat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mkplat.cli.CliSession.Run;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.Environment;
import dev.mkplat.images.Crane;
import dev.mkplat.images.ImageBuild;
import dev.mkplat.images.ImageLoad;
import dev.mkplat.images.ImageRef;
import dev.mkplat.images.LocalImageSupply;
import dev.mkplat.images.OciLayout;
import dev.mkplat.images.RegistryLookup;
import dev.mkplat.images.ServiceArchive;
import dev.mkplat.images.SourceCheckout;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.KubeTarget;
import dev.mkplat.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mkplat images load|push|list} with the archives this checkout's image build wrote, against
 * the real local registry (scripts/registry) and the kwok test cluster: the pushed digests are the
 * archives' own.
 */
@TestCluster
class ImagesCommandIT {
    private static final String REGISTRY = System.getenv().getOrDefault("MKPLAT_REGISTRY", "127.0.0.1:5001");
    private static final Path CHECKOUT = Path.of("").toAbsolutePath().getParent();
    private static final Path CRANE = Path.of(System.getProperty("user.home"), ".cache/mkplat/crane/v0.22.1/bin/crane");

    @TempDir
    Path home;

    CliSession cli;
    RegistryLookup registry = new RegistryLookup(Duration.ofSeconds(5));

    @BeforeEach
    void session() {
        assumeTrue(
                !(registry.digest(ImageRef.parse(REGISTRY + "/mkplat/probe:none"))
                        instanceof RegistryLookup.Answer.Unknown),
                "no registry on " + REGISTRY + ": scripts/registry start");
        assumeTrue(Files.isExecutable(CRANE), "no crane in " + CRANE + ": scripts/images push builds it");
        cli = CliSession.in(CHECKOUT, home)
                .withVariable("MKPLAT_CRANE", CRANE.toString())
                .withVariable("MKPLAT_REGISTRY", REGISTRY);
        // Built once, by the command under test's sibling, when this checkout has no archives yet
        // (a clean clone in CI): the end-to-end tests on the real node reuse them.
        if (!new SourceCheckout(CHECKOUT).archives().stream().allMatch(ServiceArchive::built)) {
            Run build = CliSession.in(CHECKOUT, Path.of(System.getProperty("user.home")))
                    .run("images", "build");
            assertThat(build.exitCode()).as(build.toString()).isZero();
        }
    }

    @Test
    void pushKeepsTheArchivesDigests() {
        String prefix = REGISTRY + "/mkplat-it-" + UUID.randomUUID().toString().substring(0, 8);

        Run run = cli.run("images", "push", prefix);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        for (ServiceArchive archive : new SourceCheckout(CHECKOUT).archives()) {
            String digest = archive.digest().orElseThrow();
            ImageRef pushed =
                    ImageRef.parse(prefix + "/" + archive.service() + ":" + dev.mkplat.core.BuildVersion.version());
            assertThat(registry.digest(pushed)).isEqualTo(new RegistryLookup.Answer.Found(digest));
            assertThat(run.out()).contains("pushed " + pushed.tagged() + "@" + digest);
        }
        assertThat(run.out()).contains("set images.registry: " + prefix + " in mkplat.yaml");
    }

    @Test
    void loadIntoTheTestClusterPushesToItsRegistryUnderTheDockerHubPaths(Path kubeconfig) {
        Run run = cli.run("images", "load", "--kubeconfig", kubeconfig.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("cluster: the project's test cluster; pushing to its registry " + REGISTRY);
        for (ServiceArchive archive : new SourceCheckout(CHECKOUT).archives()) {
            ImageRef inMirror = ImageRef.parse(
                            "docker.io/mkplat/" + archive.service() + ":" + dev.mkplat.core.BuildVersion.version())
                    .in(REGISTRY);
            assertThat(registry.digest(inMirror))
                    .isEqualTo(new RegistryLookup.Answer.Found(archive.digest().orElseThrow()));
        }

        Run list = cli.run("images", "list", "--kubeconfig", kubeconfig.toString(), "--registry", REGISTRY);
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out())
                .containsPattern("cluster: context 'kwok-\\S+', 3 nodes")
                .containsPattern("docker\\.io/mkplat/api:\\S+\\s+api/api\\s+0/3\\s+yes sha256:")
                .containsPattern("IMAGE\\s+USED BY\\s+ON NODES\\s+IN " + java.util.regex.Pattern.quote(REGISTRY))
                .contains("postgres:17.11-bookworm");
    }

    @Test
    void theArchiveMinikubeAndKindLoadIsADockerTarballNamedAsDeployRendersIt() throws Exception {
        ServiceArchive api = new SourceCheckout(CHECKOUT).archives().getFirst();
        Path named = home.resolve("api.tar");
        OciLayout layout = OciLayout.unpack(api.archive(), home.resolve("layout"));
        layout.writeNamedArchive(named, "docker.io/mkplat/api:test");

        // crane reads a tarball as docker load does, through manifest.json
        Process validate = new ProcessBuilder(CRANE.toString(), "validate", "--tarball", named.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(validate.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(validate.waitFor()).as(output).isZero();
        assertThat(output).contains("PASS");
        assertThat(OciLayout.unpack(named, home.resolve("again")).manifestDigest())
                .isEqualTo(api.digest().orElseThrow());
    }

    @Test
    void deployPinsTheRegistrysDigestAndDiffShowsANewOne(
            Path kubeconfig, io.fabric8.kubernetes.client.KubernetesClient client) throws Exception {
        String prefix = REGISTRY + "/mkplat-it-" + UUID.randomUUID().toString().substring(0, 8);
        String version = dev.mkplat.core.BuildVersion.version();
        Files.writeString(home.resolve("mkplat.yaml"), "images:\n  registry: " + prefix + "\n");
        String config = home.resolve("mkplat.yaml").toString();
        assertThat(cli.run("images", "push", prefix, "--config", config).exitCode())
                .isZero();
        var archives = new SourceCheckout(CHECKOUT).archives();
        String apiDigest = archives.get(0).digest().orElseThrow();
        try {
            Run deploy =
                    cli.run("deploy", "api", "--no-wait", "--kubeconfig", kubeconfig.toString(), "--config", config);

            assertThat(deploy.exitCode()).as(deploy.toString()).isZero();
            assertThat(deploy.out())
                    .contains("images: api, auth, images pinned by the digest the registry has (reference@sha256:...)");
            assertThat(client.apps()
                            .deployments()
                            .inNamespace("api")
                            .withName("api")
                            .get()
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .getFirst()
                            .getImage())
                    .isEqualTo(prefix + "/api:" + version + "@" + apiDigest);
            Run same = cli.run("diff", "api", "--kubeconfig", kubeconfig.toString(), "--config", config);
            assertThat(same.out()).as(same.toString()).contains("diff: 0 would change");

            // A new build under the same tag: auth's archive stands in for a changed api.
            String newDigest = archives.get(1).digest().orElseThrow();
            new dev.mkplat.images.ArchivePush(dev.mkplat.images.Crane.locate(cli.environment()), registry, line -> {})
                    .push(archives.get(1), ImageRef.parse(prefix + "/api:" + version));
            Run changed = cli.run("diff", "api", "--kubeconfig", kubeconfig.toString(), "--config", config);

            assertThat(changed.out())
                    .as(changed.toString())
                    .contains("-          image: " + prefix + "/api:" + version + "@" + apiDigest)
                    .contains("+          image: " + prefix + "/api:" + version + "@" + newDigest)
                    .contains("diff: 1 would change");
        } finally {
            cli.run("destroy", "--yes", "--purge-data", "--kubeconfig", kubeconfig.toString(), "--config", config);
        }
    }

    @Test
    void pushRefusesARegistryWithoutAPath() {
        Run run = cli.run("images", "push", REGISTRY);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("mkplat: error: REGISTRY must be a host and a path");
    }

    @Test
    void upSuppliesTheImagesTheTestClusterLacksAndThenLeavesThemAlone(Path kubeconfig) {
        // A tag nobody pushed: the registry lacks all three.
        String tag = "it-" + UUID.randomUUID().toString().substring(0, 8);
        PlatformConfig.Images images = new PlatformConfig.Images("docker.io/mkplat", tag);
        Environment environment = Environment.of(CHECKOUT, home)
                .withVariable("MKPLAT_CRANE", CRANE.toString())
                .withVariable("MKPLAT_REGISTRY", REGISTRY);
        List<String> lines = new CopyOnWriteArrayList<>();
        LocalImageSupply supply = new LocalImageSupply(
                lines::add,
                registry,
                () -> new ImageBuild(lines::add, false),
                () -> new ImageLoad(lines::add, () -> Crane.locate(environment), registry));
        try (Cluster cluster =
                Cluster.connect(new KubeTarget(Optional.of(kubeconfig), Optional.empty()), Optional.empty())) {
            LocalImageSupply.Supplied supplied = supply.ensure(cluster, environment, images);
            assertThat(supplied).isInstanceOfSatisfying(LocalImageSupply.Supplied.Loaded.class, loaded -> {
                assertThat(loaded.services()).containsExactly("api", "auth", "images");
                assertThat(loaded.built()).isFalse();
            });
            Map<ImageRef, String> pushed = new HashMap<>();
            for (ServiceArchive archive : new SourceCheckout(CHECKOUT).archives()) {
                ImageRef inMirror =
                        ImageRef.parse(images.reference(archive.service())).in(REGISTRY);
                assertThat(registry.digest(inMirror))
                        .isEqualTo(
                                new RegistryLookup.Answer.Found(archive.digest().orElseThrow()));
                pushed.put(inMirror, archive.digest().orElseThrow());
            }
            // What deploy's pinning is then given instead of asking the registry again.
            assertThat(supplied.digests()).isEqualTo(pushed);
            assertThat(lines)
                    .first()
                    .asString()
                    .startsWith("images: the cluster lacks api, auth, images; building and loading them from ");

            lines.clear();
            assertThat(supply.ensure(cluster, environment, images))
                    .isEqualTo(new LocalImageSupply.Supplied.Present(pushed));
            assertThat(lines).isEmpty();
        }
    }
}
