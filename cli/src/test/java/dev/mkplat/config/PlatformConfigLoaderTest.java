package dev.mkplat.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mkplat.config.PlatformConfig.StorageMode;
import dev.mkplat.core.BuildVersion;
import dev.mkplat.slo.LatencyObjective;
import dev.mkplat.slo.Slo;
import dev.mkplat.slo.Slos;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
                .containsExactly(
                        "api.dev.example.test",
                        "auth.dev.example.test",
                        "images.dev.example.test",
                        "grafana.dev.example.test");
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
        assertThat(config.timeouts())
                .isEqualTo(new PlatformConfig.Timeouts(Duration.ofMinutes(10), Duration.ofSeconds(90)));
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
        assertThat(failure("replicas:\n  min: 2.5\n").getMessage())
                .startsWith("mkplat.yaml:2:8: replicas.min: expected a whole number");
        assertThat(failure("monitoring:\n  enabled: yes\n").getMessage())
                .isEqualTo("mkplat.yaml:2:12: monitoring.enabled: expected true or false");
        assertThat(failure("replicas: 3\n").getMessage())
                .startsWith("mkplat.yaml:1:11: replicas: expected a mapping of keys (min, max)");
        assertThat(failure("domain: [a, b]\n").getMessage())
                .startsWith("mkplat.yaml:1:9: domain: expected a single value");
    }

    /** A CA constrained to a public suffix could sign for everyone's sites under it. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"com", "co.uk", "uk", "github.io", "s3.amazonaws.com"})
    void aPublicSuffixIsRefusedAsTheDomain(String suffix) {
        assertThat(failure("# the platform's domain\ndomain: " + suffix + "\n").getMessage())
                .isEqualTo(
                        "mkplat.yaml:2:9: domain: '" + suffix
                                + "' is a public suffix, under which anyone can register names; "
                                + "the platform CA would be able to sign for all of them (use test, or a name of your own like dev.example.com)");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "test",
                "dev.test",
                "localhost",
                "my.localhost",
                "internal",
                "corp.internal",
                "example.com",
                "dev.example.co.uk",
                "me.github.io"
            })
    void privateNamesAndRegistrableDomainsAreFine(String domain) {
        assertThat(PlatformConfigLoader.parse(FILE, "domain: " + domain + "\n").domain())
                .isEqualTo(domain);
    }

    @Test
    void invalidValuesAreReportedAtTheValue() {
        assertThat(failure("replicas:\n  min: 3\n  max: 2\n").getMessage())
                .isEqualTo("mkplat.yaml:3:8: replicas.max: must be at least replicas.min (3), was 2");
        assertThat(failure("domain: Not_A_Domain\n").getMessage())
                .startsWith("mkplat.yaml:1:9: domain: 'Not_A_Domain' is not a lowercase DNS name");
        assertThat(failure("hosts:\n  api: api.example.com\n").getMessage())
                .isEqualTo(
                        "mkplat.yaml:2:8: hosts.api: 'api.example.com' is outside the domain 'test' (it must end in .test)");
        assertThat(failure("storage:\n  mode: s3\n").getMessage())
                .isEqualTo("mkplat.yaml:2:9: storage.mode: 's3' is not one of emulator, gcs");
        assertThat(failure("timeouts:\n  deploy: 5 minutes\n").getMessage())
                .isEqualTo("mkplat.yaml:2:11: timeouts.deploy: '5 minutes' is not a duration like 90s, 5m or 1h30m");
        assertThat(failure("timeouts:\n  deploy: 1m\n  stage: 2m\n").getMessage())
                .startsWith("mkplat.yaml:3:10: timeouts.stage:");
    }

    @Test
    void gcsModeWithoutAKeyFileUsesApplicationDefaultCredentials() {
        PlatformConfig.Storage storage = PlatformConfigLoader.parse(FILE, "storage:\n  mode: gcs\n  bucket: team\n")
                .storage();
        assertThat(storage.mode()).isEqualTo(PlatformConfig.StorageMode.GCS);
        assertThat(storage.credentialsFile()).isEmpty();
        assertThat(failure("storage:\n  mode: gcs\n  credentialsFile: missing.json\n")
                        .getMessage())
                .startsWith("mkplat.yaml:3:20: storage.credentialsFile: ")
                .endsWith("missing.json does not exist or is not readable");
    }

    @Test
    void syntaxErrorsAndDuplicatesHaveALocation() {
        ConfigException broken = failure("domain: test\nhosts:\n  api: 'unclosed\n");
        assertThat(broken.getMessage()).matches("mkplat\\.yaml:\\d+:\\d+: not valid YAML: .+");
        assertThat(broken.line()).isGreaterThanOrEqualTo(3);
        assertThat(failure("domain: test\ndomain: other\n").getMessage())
                .startsWith("mkplat.yaml:2:")
                .contains("duplicate key");
        assertThat(failure("- a\n- b\n").getMessage())
                .isEqualTo(
                        "mkplat.yaml:1:1: expected a mapping of keys (domain, hosts, replicas, images, storage, monitoring, timeouts, slos, tracing, alerting, logs), found a list");
    }

    @Test
    void theDefaultFileLoadsToTheDefaults(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("mkplat.yaml"), DefaultConfigFile.text());
        assertThat(PlatformConfigLoader.load(file, FILE)).isEqualTo(PlatformConfig.defaults());
        assertThat(DefaultConfigFile.text())
                .contains("slos:\n  api:\n    availability: 99.5\n    latency:\n      percentile: 99\n");
    }

    @Test
    void slosKeepEachServicesDefaultsForWhatIsLeftOut() {
        PlatformConfig config = PlatformConfigLoader.parse(FILE, """
                slos:
                  api:
                    availability: 99.9
                    latency:
                      threshold: 100ms
                  images:
                    window: 30d
                    latency: {percentile: 95}
                """);
        assertThat(config.slos().api())
                .isEqualTo(new Slo("api", 99.9, new LatencyObjective(99, Duration.ofMillis(100)), Duration.ofDays(28)));
        assertThat(config.slos().auth()).isEqualTo(Slos.AUTH);
        assertThat(config.slos().images())
                .isEqualTo(
                        new Slo("images", 99.5, new LatencyObjective(95, Duration.ofSeconds(1)), Duration.ofDays(30)));
        assertThat(PlatformConfig.defaults().slos().all())
                .extracting(Slo::service)
                .containsExactly("api", "auth", "images");
        assertThat(config.slos().api().availabilityBudget()).isEqualByComparingTo("0.001");
        assertThat(config.slos().images().latencyBudget()).isEqualByComparingTo("0.05");
    }

    @Test
    void tracingExportsNothingByDefaultAndTakesAnEndpointAndARatio() {
        assertThat(PlatformConfig.defaults().traces()).isEqualTo(new PlatformConfig.Traces(Optional.empty(), 1.0));
        PlatformConfig config = PlatformConfigLoader.parse(FILE, """
                tracing:
                  endpoint: http://otel-collector.observability.svc.cluster.local:4318
                  sampleRatio: 0.1
                """);
        assertThat(config.traces())
                .isEqualTo(new PlatformConfig.Traces(
                        Optional.of(URI.create("http://otel-collector.observability.svc.cluster.local:4318")), 0.1));
        assertThat(PlatformConfigLoader.parse(FILE, "tracing:\n  sampleRatio: 0\n")
                        .traces())
                .isEqualTo(new PlatformConfig.Traces(Optional.empty(), 0.0));
    }

    @Test
    void tracingIsCheckedWithItsLocation() {
        assertThat(failure("tracing:\n  endpoint: otel-collector:4318\n").getMessage())
                .startsWith(
                        "mkplat.yaml:2:13: tracing.endpoint: 'otel-collector:4318' is not an OTLP/HTTP endpoint like http://");
        assertThat(failure("tracing:\n  endpoint: grpc://collector:4317\n").getMessage())
                .startsWith("mkplat.yaml:2:13: tracing.endpoint:");
        assertThat(failure("tracing:\n  endpoint: http://user:secret@collector:4318\n")
                        .getMessage())
                .startsWith("mkplat.yaml:2:13: tracing.endpoint:");
        assertThat(failure("tracing:\n  sampleRatio: 1.5\n").getMessage())
                .isEqualTo(
                        "mkplat.yaml:2:16: tracing.sampleRatio: 1.5 is not a ratio from 0 to 1 (0.1 keeps a tenth of the traces that start at a service)");
        ConfigException typo = failure("tracing:\n  sampleRate: 0.5\n");
        assertThat(typo.getMessage()).isEqualTo("mkplat.yaml:2:3: unknown key 'sampleRate' in tracing");
        assertThat(typo.hint()).contains("did you mean 'sampleRatio'?");
    }

    @Test
    void alertingTakesReceiversButNoCredential() {
        assertThat(PlatformConfig.defaults().alerting().routes()).isFalse();
        PlatformConfig config = PlatformConfigLoader.parse(FILE, """
                alerting:
                  email:
                    to: oncall@example.test
                    from: alertmanager@example.test
                    smarthost: smtp.example.test:587
                    username: alertmanager@example.test
                  webhook: {}
                """);
        assertThat(config.alerting())
                .isEqualTo(new PlatformConfig.Alerting(
                        Optional.of(new PlatformConfig.Email(
                                "oncall@example.test",
                                "alertmanager@example.test",
                                "smtp.example.test:587",
                                Optional.of("alertmanager@example.test"),
                                true)),
                        Optional.of(new PlatformConfig.Webhook(true)),
                        "alertmanager-credentials"));
        // A password has no key of its own: it would be one more copy of it on disk.
        ConfigException password = failure("alerting:\n  email:\n    password: hunter2\n");
        assertThat(password.getMessage()).isEqualTo("mkplat.yaml:3:5: unknown key 'password' in alerting.email");
        assertThat(password.getMessage()).doesNotContain("hunter2");
    }

    @Test
    void alertingIsCheckedWithItsLocation() {
        assertThat(failure("alerting:\n  email:\n    from: a@example.test\n    smarthost: smtp:25\n")
                        .getMessage())
                .isEqualTo("mkplat.yaml:2:3: alerting.email.to: required");
        assertThat(failure("alerting:\n  email:\n    to: oncall\n    from: a@example.test\n    smarthost: smtp:25\n")
                        .getMessage())
                .isEqualTo("mkplat.yaml:3:9: alerting.email.to: 'oncall' is not an e-mail address");
        assertThat(failure(
                                "alerting:\n  email:\n    to: o@example.test\n    from: a@example.test\n    smarthost: smtp.example.test\n")
                        .getMessage())
                .startsWith("mkplat.yaml:5:16: alerting.email.smarthost: 'smtp.example.test' is not host:port");
        assertThat(failure("alerting:\n  credentialsSecret: Alert_Creds\n").getMessage())
                .startsWith("mkplat.yaml:2:22: alerting.credentialsSecret: 'Alert_Creds' is not a Secret name");
    }

    @Test
    void logsNameTheStoresGrafanaReadsAndNothingByDefault() {
        assertThat(PlatformConfig.defaults().logs()).isEqualTo(PlatformConfig.Logs.defaults());
        assertThat(PlatformConfig.Logs.defaults().loki()).isEmpty();
        PlatformConfig config = PlatformConfigLoader.parse(FILE, """
                logs:
                  loki: http://loki-gateway.loki.svc.cluster.local
                  traceStore:
                    type: jaeger
                    url: http://jaeger-query.tracing.svc.cluster.local:16686
                """);
        assertThat(config.logs())
                .isEqualTo(new PlatformConfig.Logs(
                        Optional.of(URI.create("http://loki-gateway.loki.svc.cluster.local")),
                        Optional.of(new PlatformConfig.TraceStore(
                                PlatformConfig.TraceStoreType.JAEGER,
                                URI.create("http://jaeger-query.tracing.svc.cluster.local:16686")))));
    }

    @Test
    void logsAreCheckedWithTheirLocation() {
        assertThat(failure("logs:\n  loki: loki:3100\n").getMessage())
                .startsWith("mkplat.yaml:2:9: logs.loki: 'loki:3100' is not Loki's HTTP URL like http://");
        assertThat(failure("logs:\n  loki: http://admin:secret@loki:3100\n").getMessage())
                .startsWith("mkplat.yaml:2:9: logs.loki:");
        assertThat(failure("logs:\n  traceStore:\n    type: zipkin\n    url: http://zipkin:9411\n")
                        .getMessage())
                .isEqualTo("mkplat.yaml:3:11: logs.traceStore.type: 'zipkin' is not a trace store (tempo or jaeger)");
        assertThat(failure("logs:\n  traceStore:\n    type: tempo\n").getMessage())
                .isEqualTo("mkplat.yaml:2:3: logs.traceStore.url: required (the trace store's HTTP query URL)");
        ConfigException typo = failure("logs:\n  lokiUrl: http://loki:3100\n");
        assertThat(typo.getMessage()).isEqualTo("mkplat.yaml:2:3: unknown key 'lokiUrl' in logs");
    }

    @Test
    void slosAreCheckedWithTheirLocation() {
        assertThat(failure("slos:\n  web:\n    availability: 99\n").getMessage())
                .isEqualTo("mkplat.yaml:2:3: unknown key 'web' in slos");
        ConfigException typo = failure("slos:\n  api:\n    availabilty: 99\n");
        assertThat(typo.getMessage()).isEqualTo("mkplat.yaml:3:5: unknown key 'availabilty' in slos.api");
        assertThat(typo.hint()).contains("did you mean 'availability'?");
        assertThat(failure("slos:\n  api:\n    availability: '99.5'\n").getMessage())
                .isEqualTo("mkplat.yaml:3:19: slos.api.availability: expected a number");
        assertThat(failure("slos:\n  api:\n    availability: 100\n").getMessage())
                .startsWith("mkplat.yaml:3:19: slos.api.availability: 100.0 is not a percentage below 100");
        assertThat(failure("slos:\n  auth:\n    availability: 90\n").getMessage())
                .isEqualTo(
                        "mkplat.yaml:3:19: slos.auth.availability: 90.0 is too low for a 28d window: its page alert fires at 13.44 times the"
                                + " error budget, more than every request failing; use more than 92.56");
        assertThat(failure("slos:\n  api:\n    latency:\n      percentile: 99.99\n      threshold: 300ms\n")
                        .getMessage())
                .isEqualTo(
                        "mkplat.yaml:5:18: slos.api.latency.threshold: '300ms' is not a bucket boundary of http_server_request_duration_seconds;"
                                + " use one of 1ms, 5ms, 10ms, 25ms, 50ms, 100ms, 250ms, 500ms, 1s, 2s500ms, 5s, 10s");
        assertThat(failure("slos:\n  api:\n    latency:\n      percentile: -1\n")
                        .getMessage())
                .startsWith("mkplat.yaml:4:19: slos.api.latency.percentile: -1.0 is not a percentage below 100");
        assertThat(failure("slos:\n  images:\n    window: 4w\n").getMessage())
                .isEqualTo("mkplat.yaml:3:13: slos.images.window: '4w' is not a number of days like 28d");
        assertThat(failure("slos:\n  images:\n    window: 3d\n").getMessage())
                .startsWith("mkplat.yaml:3:13: slos.images.window: 3d is outside 7d..90d");
        assertThat(failure("slos:\n  api: 99.5\n").getMessage())
                .startsWith("mkplat.yaml:2:8: slos.api: expected a mapping of keys (availability, latency, window)");
    }

    @Test
    void locateUsesTheExplicitFileOrTheOneInTheWorkingDirectory(@TempDir Path dir) throws Exception {
        assertThat(PlatformConfigLoader.locate(Optional.empty(), dir)).isEmpty();
        Files.writeString(dir.resolve("mkplat.yaml"), "domain: test\n");
        assertThat(PlatformConfigLoader.locate(Optional.empty(), dir)).contains(dir.resolve("mkplat.yaml"));
        assertThat(PlatformConfigLoader.locate(Optional.of(Path.of("mkplat.yaml")), dir))
                .contains(dir.resolve("mkplat.yaml"));
        assertThatThrownBy(() -> PlatformConfigLoader.locate(Optional.of(dir.resolve("missing.yaml")), dir))
                .hasMessageContaining("missing.yaml does not exist");
    }
}
