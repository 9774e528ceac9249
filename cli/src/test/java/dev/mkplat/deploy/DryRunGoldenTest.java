package dev.mkplat.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.render.ManifestBundle;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rendered bundle under the default configuration, exactly as {@code deploy --dry-run} prints
 * it, pinned in a golden file. A change to the manifests or the renderer shows here as a diff to
 * review; regenerate with {@code ./mvnw -pl cli test -Dtest=DryRunGoldenTest -Dmkplat.golden.update=true}.
 */
class DryRunGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/dev/mkplat/deploy/golden/deploy-dry-run-default.yaml");

    @Test
    void dryRunOfTheDefaultConfigMatchesTheGoldenFile() throws IOException {
        PlatformConfig defaults = PlatformConfig.defaults();
        // The image tag is the CLI's version; pin it so that a version bump does not rewrite the file.
        PlatformConfig pinned = new PlatformConfig(defaults.domain(), defaults.hosts(), defaults.replicas(),
                new PlatformConfig.Images(defaults.images().registry(), "TAG"), defaults.storage(), defaults.monitoring(), defaults.timeouts());
        String rendered = PlatformDryRun.yaml(ManifestBundle.bundled(), pinned, PlatformScope.choose(ManifestBundle.bundled(), pinned, List.of()));
        if (Boolean.getBoolean("mkplat.golden.update")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, rendered);
        }
        assertThat(GOLDEN).as("golden file; regenerate with -Dmkplat.golden.update=true").exists();
        assertThat(rendered).isEqualTo(Files.readString(GOLDEN));
        assertThat(rendered).doesNotContainPattern("password: (?!<redacted>)").contains("password: <redacted>");
    }
}
