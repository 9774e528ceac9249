package dev.mkplat.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import dev.mkplat.config.PlatformConfig.StorageMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.mkplat.core.BuildVersion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PlatformConfigLoaderTest {
    private static final Path FILE = Path.of("mkplat.yaml");

    private static ConfigException failure(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> PlatformConfigLoader.parse(FILE, yaml));
    }

    @Test
    void emptyOrCommentOnlyFileMeansDefaults() {
        assertThat(PlatformConfigLoader.parse(FILE, "")).isEqualTo(PlatformConfig.defaults());
        assertThat(PlatformConfigLoader.parse(FILE, "# nothing yet\n")).isEqualTo(PlatformConfig.defaults());
    }

    @Test
    void defaultsMatchTheContract() {
        PlatformConfig config = PlatformConfig.defaults();
        assertThat(config.domain()).isEqualTo("test");
        assertThat(config.hosts().all()).containsExactly("api.test", "auth.test", "images.test", "monitoring.test");
        assertThat(config.replicas()).isEqualTo(new PlatformConfig.Replicas(2, 5));
        assertThat(config.images().registry()).isEqualTo("docker.io/mkplat");
        assertThat(config.images().tag()).isEqualTo(BuildVersion.version()).startsWith("0.");
        assertThat(config.storage().mode()).isEqualTo(StorageMode.EMULATOR);
        assertThat(config.storage().bucket()).isEqualTo("mkplat-images");
        assertThat(config.storage().credentialsFile()).isEmpty();
        assertThat(config.monitoring()).isEqualTo(new PlatformConfig.Monitoring(true, "75.13.0"));
        assertThat(config.timeouts().deploy()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void domainChangesTheDefaultHostsButNotExplicitOnes() {
        PlatformConfig config = PlatformConfigLoader.parse(FILE, """
                domain: dev.example.test
                hosts:
                  monitoring: grafana.dev.example.test
                """);
        assertThat(config.hosts().all())
                .containsExactly("api.dev.example.test", "auth.dev.example.test", "images.dev.example.test", "grafana.dev.example.test");
    }

    @Test
    void everyKeyIsRead(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("sa.json"), "{}");
        Path file = dir.resolve("mkplat.yaml");
        Files.writeString(file, """
                replicas: {min: 1, max: 3}
                images:
                  registry: localhost:5000/me
                  tag: 1.10
                storage:
                  mode: gcs
                  bucket: my-bucket
                  credentialsFile: sa.json
                monitoring:
                  enabled: false
                  chartVersion: 76.0.1
                timeouts:
                  deploy: 10m
                  stage: 1m30s
                """);
        PlatformConfig config = PlatformConfigLoader.load(file, file);
        assertThat(config.replicas()).isEqualTo(new PlatformConfig.Replicas(1, 3));
        assertThat(config.images().reference("api")).isEqualTo("localhost:5000/me/api:1.10");
        assertThat(config.storage().mode()).isEqualTo(StorageMode.GCS);
        assertThat(config.storage().credentialsFile()).contains(key);
        assertThat(config.monitoring().enabled()).isFalse();
        assertThat(config.monitoring().chartVersion()).isEqualTo("76.0.1");
        assertThat(config.timeouts()).isEqualTo(new PlatformConfig.Timeouts(Duration.ofMinutes(10), Duration.ofSeconds(90)));
    }

    @Test
    void unknownKeyIsReportedAtItsLineAndColumnWithASuggestion() {
        ConfigException e = failure("""
                domain: test
                replicas:
                  min: 2
                  maxx: 4
                """);
        assertThat(e.getMessage()).isEqualTo("mkplat.yaml:4:3: unknown key 'maxx' in replicas");
        assertThat(e.hint()).contains("did you mean 'max'?");
        assertThat(e.exitCode().code()).isEqualTo(2);
    }

    @Test
    void unknownTopLevelKeyListsTheKnownOnes() {
        ConfigException e = failure("domain: test\nfrobnicate: true\n");
        assertThat(e.getMessage()).isEqualTo("mkplat.yaml:2:1: unknown key 'frobnicate'");
        assertThat(e.hint().orElseThrow()).contains("domain", "hosts", "replicas", "timeouts");
    }

    @Test
    void wrongTypeIsReportedAtTheValue() {
        ConfigException e = failure("""
                replicas:
                  min: two
                """);
        assertThat(e.getMessage()).isEqualTo("mkplat.yaml:2:8: replicas.min: expected a whole number");
        assertThat(failure("replicas:\n  min: 2.5\n").getMessage()).startsWith("mkplat.yaml:2:8: replicas.min: expected a whole number");
        assertThat(failure("monitoring:\n  enabled: yes\n").getMessage()).isEqualTo("mkplat.yaml:2:12: monitoring.enabled: expected true or false");
        assertThat(failure("replicas: 3\n").getMessage()).startsWith("mkplat.yaml:1:11: replicas: expected a mapping of keys (min, max)");
        assertThat(failure("domain: [a, b]\n").getMessage()).startsWith("mkplat.yaml:1:9: domain: expected a single value");
    }

    @Test
    void invalidValuesAreReportedAtTheValue() {
        assertThat(failure("replicas:\n  min: 3\n  max: 2\n").getMessage())
                .isEqualTo("mkplat.yaml:3:8: replicas.max: must be at least replicas.min (3), was 2");
        assertThat(failure("domain: Not_A_Domain\n").getMessage()).startsWith("mkplat.yaml:1:9: domain: 'Not_A_Domain' is not a lowercase DNS name");
        assertThat(failure("hosts:\n  api: api.example.com\n").getMessage())
                .isEqualTo("mkplat.yaml:2:8: hosts.api: 'api.example.com' is outside the domain 'test' (it must end in .test)");
        assertThat(failure("storage:\n  mode: s3\n").getMessage()).isEqualTo("mkplat.yaml:2:9: storage.mode: 's3' is not one of emulator, gcs");
        assertThat(failure("storage:\n  mode: gcs\n").getMessage()).startsWith("mkplat.yaml:1:1: storage.credentialsFile: required");
        assertThat(failure("timeouts:\n  deploy: 5 minutes\n").getMessage())
                .isEqualTo("mkplat.yaml:2:11: timeouts.deploy: '5 minutes' is not a duration like 90s, 5m or 1h30m");
        assertThat(failure("timeouts:\n  deploy: 1m\n  stage: 2m\n").getMessage()).startsWith("mkplat.yaml:3:10: timeouts.stage:");
    }

    @Test
    void syntaxErrorsAndDuplicatesHaveALocation() {
        ConfigException broken = failure("domain: test\nhosts:\n  api: 'unclosed\n");
        assertThat(broken.getMessage()).matches("mkplat\\.yaml:\\d+:\\d+: not valid YAML: .+");
        assertThat(broken.line()).isGreaterThanOrEqualTo(3);
        assertThat(failure("domain: test\ndomain: other\n").getMessage()).startsWith("mkplat.yaml:2:").contains("duplicate key");
        assertThat(failure("- a\n- b\n").getMessage()).isEqualTo(
                "mkplat.yaml:1:1: expected a mapping of keys (domain, hosts, replicas, images, storage, monitoring, timeouts), found a list");
    }

    @Test
    void locateUsesTheExplicitFileOrTheOneInTheWorkingDirectory(@TempDir Path dir) throws Exception {
        assertThat(PlatformConfigLoader.locate(Optional.empty(), dir)).isEmpty();
        Files.writeString(dir.resolve("mkplat.yaml"), "domain: test\n");
        assertThat(PlatformConfigLoader.locate(Optional.empty(), dir)).contains(dir.resolve("mkplat.yaml"));
        assertThat(PlatformConfigLoader.locate(Optional.of(Path.of("mkplat.yaml")), dir)).contains(dir.resolve("mkplat.yaml"));
        assertThatThrownBy(() -> PlatformConfigLoader.locate(Optional.of(dir.resolve("missing.yaml")), dir))
                .hasMessageContaining("missing.yaml does not exist");
    }
}
