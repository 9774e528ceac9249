package dev.mkplat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.config.PlatformConfig.StorageMode;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.testing.GoldenFile;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rendered bundle, exactly as {@code deploy --dry-run} prints it, pinned in golden files: one
 * row per configuration worth seeing (after linkerd's {@code install_test.go}), so that a new
 * option adds a row, not a test. A change to the manifests or the renderer shows here as a diff to
 * review; regenerate with {@code ./mvnw -pl cli test -Dtest=DryRunGoldenTest -Dmkplat.golden.update=true}.
 */
class DryRunGoldenTest {
    /** The defaults, with the image tag pinned: it is the CLI's version, and a version bump should not rewrite the files. */
    private static final PlatformConfig PINNED = pinned(PlatformConfig.defaults());

    static Stream<Arguments> configurations() {
        PlatformConfig d = PINNED;
        String domain = "dev.example.test";
        return Stream.of(
                Arguments.of("default", d),
                Arguments.of(
                        "gcs",
                        new PlatformConfig(
                                d.domain(),
                                d.hosts(),
                                d.replicas(),
                                d.images(),
                                new PlatformConfig.Storage(
                                        StorageMode.GCS,
                                        "mkplat-images",
                                        Optional.of(
                                                GoldenFile.resource("dev/mkplat/deploy/golden/gcs-credentials.json"))),
                                d.monitoring(),
                                d.timeouts())),
                // No key file: Application Default Credentials, through the metadata server.
                Arguments.of(
                        "gcs-metadata-server",
                        new PlatformConfig(
                                d.domain(),
                                d.hosts(),
                                d.replicas(),
                                d.images(),
                                new PlatformConfig.Storage(StorageMode.GCS, "mkplat-images", Optional.empty()),
                                d.monitoring(),
                                d.timeouts())),
                Arguments.of(
                        "monitoring-off",
                        new PlatformConfig(
                                d.domain(),
                                d.hosts(),
                                d.replicas(),
                                d.images(),
                                d.storage(),
                                new PlatformConfig.Monitoring(
                                        false, d.monitoring().chartVersion()),
                                d.timeouts())),
                Arguments.of(
                        "custom-domain",
                        new PlatformConfig(
                                domain,
                                PlatformConfig.Hosts.defaults(domain),
                                d.replicas(),
                                d.images(),
                                d.storage(),
                                d.monitoring(),
                                d.timeouts())),
                Arguments.of(
                        "replicas",
                        new PlatformConfig(
                                d.domain(),
                                d.hosts(),
                                new PlatformConfig.Replicas(3, 6),
                                d.images(),
                                d.storage(),
                                d.monitoring(),
                                d.timeouts())),
                Arguments.of(
                        "tracing",
                        d.withTraces(new PlatformConfig.Traces(
                                Optional.of(URI.create("http://otel-collector.observability.svc.cluster.local:4318")),
                                0.25))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void dryRunMatchesItsGoldenFile(String name, PlatformConfig config) throws IOException {
        ManifestBundle bundle = ManifestBundle.bundled();
        String rendered = PlatformDryRun.yaml(bundle, config, PlatformScope.choose(bundle, config, List.of()));
        GoldenFile.assertMatches("dev/mkplat/deploy/golden/deploy-dry-run-" + name + ".yaml", rendered);
        assertThat(rendered).doesNotContainPattern("password: (?!<redacted>)").contains("password: <redacted>");
    }

    private static PlatformConfig pinned(PlatformConfig config) {
        return new PlatformConfig(
                config.domain(),
                config.hosts(),
                config.replicas(),
                new PlatformConfig.Images(config.images().registry(), "TAG"),
                config.storage(),
                config.monitoring(),
                config.timeouts());
    }
}
