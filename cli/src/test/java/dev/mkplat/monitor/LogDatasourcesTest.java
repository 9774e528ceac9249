package dev.mkplat.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.config.PlatformConfig.Logs;
import dev.mkplat.config.PlatformConfig.TraceStore;
import dev.mkplat.config.PlatformConfig.TraceStoreType;
import dev.mkplat.config.PlatformConfigLoader;
import dev.mkplat.render.StackChart;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Grafana's Loki and trace store data sources from mkplat.yaml's logs:, as kube-prometheus-stack values. */
class LogDatasourcesTest {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final URI LOKI = URI.create("http://loki-gateway.loki.svc.cluster.local");
    private static final TraceStore TEMPO =
            new TraceStore(TraceStoreType.TEMPO, URI.create("http://tempo.tempo.svc.cluster.local:3200"));
    /** api's access log line of the trace in docs/observability.md, as the service wrote it. */
    private static final String LOG_LINE =
            "{\"ts\":\"2026-12-03T10:53:58.276Z\",\"level\":\"INFO\",\"logger\":\"access\",\"msg\":\"request\",\"method\":\"POST\",\"route\":\"/items\",\"path\":\"/items\",\"status\":201,\"durationMs\":384.59,\"requestId\":\"cbc92d5c-4ced-498d-821f-a3a1d28c1407\",\"traceId\":\"db1f2f7ab8c1a948a4e740d6dae1b2d5\",\"spanId\":\"e582764ba85b1a1c\"}";

    @TempDir
    Path dir;

    @Test
    void withoutAStoreGrafanaKeepsTheChartsDataSources() {
        assertThat(LogDatasources.values(Logs.defaults()).isEmpty()).isTrue();
        JsonNode merged = YAML.readTree(
                StackValues.merge(StackChart.bundled().values(), Optional.empty(), PlatformConfig.defaults())
                        .yaml());
        assertThat(merged.path("grafana").has("additionalDataSources")).isFalse();
    }

    @Test
    void lokiAndTempoAreProvisionedAsTheChartValuesSay() {
        assertThat(YAML.writeValueAsString(LogDatasources.values(new Logs(Optional.of(LOKI), Optional.of(TEMPO)))))
                .isEqualTo("""
                        ---
                        grafana:
                          additionalDataSources:
                          - name: "Loki"
                            uid: "mkplat-loki"
                            type: "loki"
                            access: "proxy"
                            url: "http://loki-gateway.loki.svc.cluster.local"
                            editable: false
                            jsonData:
                              derivedFields:
                              - name: "traceId"
                                matcherType: "regex"
                                matcherRegex: "\\"traceId\\":\\"([0-9a-f]{32})\\""
                                datasourceUid: "mkplat-traces"
                                url: "$${__value.raw}"
                                urlDisplayLabel: "Trace in Tempo"
                          - name: "Tempo"
                            uid: "mkplat-traces"
                            type: "tempo"
                            access: "proxy"
                            url: "http://tempo.tempo.svc.cluster.local:3200"
                            editable: false
                            jsonData:
                              tracesToLogsV2:
                                datasourceUid: "mkplat-loki"
                                tags:
                                - key: "service.name"
                                  value: "namespace"
                                filterByTraceID: true
                                spanStartTimeShift: "-5m"
                                spanEndTimeShift: "5m"
                        """);
    }

    @Test
    void theDerivedFieldFindsTheTraceIdOfAServicesLogLine() {
        JsonNode field = sources(new Logs(Optional.of(LOKI), Optional.of(TEMPO)))
                .get(0)
                .path("jsonData")
                .path("derivedFields")
                .get(0);
        Matcher matcher = Pattern.compile(field.path("matcherRegex").asString()).matcher(LOG_LINE);
        assertThat(matcher.find()).isTrue();
        assertThat(matcher.group(1)).isEqualTo("db1f2f7ab8c1a948a4e740d6dae1b2d5");
        // Not the spanId, nor the requestId: only the one 32-digit trace id.
        assertThat(matcher.find()).isFalse();
        // Grafana expands $NAME and ${NAME} in provisioning files; $$ is its literal $.
        assertThat(field.path("url").asString().replace("$$", "$")).isEqualTo("${__value.raw}");
        assertThat(field.path("datasourceUid").asString()).isEqualTo(LogDatasources.TRACES_UID);
    }

    @Test
    void theChartsTemplatingLeavesTheDataSourcesAlone() {
        // kube-prometheus-stack passes additionalDataSources through tpl: {{ would be a template.
        assertThat(YAML.writeValueAsString(LogDatasources.values(new Logs(Optional.of(LOKI), Optional.of(TEMPO)))))
                .doesNotContain("{{");
    }

    @Test
    void eachStoreAloneGetsItsDataSourceWithoutLinksToTheMissingOne() {
        JsonNode lokiOnly = sources(new Logs(Optional.of(LOKI), Optional.empty()));
        assertThat(lokiOnly).hasSize(1);
        assertThat(lokiOnly.get(0).path("type").asString()).isEqualTo("loki");
        assertThat(lokiOnly.get(0).path("jsonData").has("derivedFields")).isFalse();

        TraceStore jaeger = new TraceStore(
                TraceStoreType.JAEGER, URI.create("http://jaeger-query.tracing.svc.cluster.local:16686"));
        JsonNode jaegerOnly = sources(new Logs(Optional.empty(), Optional.of(jaeger)));
        assertThat(jaegerOnly).hasSize(1);
        assertThat(jaegerOnly.get(0).path("type").asString()).isEqualTo("jaeger");
        assertThat(jaegerOnly.get(0).path("uid").asString()).isEqualTo(LogDatasources.TRACES_UID);
        assertThat(jaegerOnly.get(0).path("jsonData").has("tracesToLogsV2")).isFalse();

        JsonNode both = sources(new Logs(Optional.of(LOKI), Optional.of(jaeger)));
        assertThat(both.get(0)
                        .path("jsonData")
                        .path("derivedFields")
                        .get(0)
                        .path("urlDisplayLabel")
                        .asString())
                .isEqualTo("Trace in Jaeger");
        assertThat(both.get(1)
                        .path("jsonData")
                        .path("tracesToLogsV2")
                        .path("datasourceUid")
                        .asString())
                .isEqualTo(LogDatasources.LOKI_UID);
    }

    @Test
    void mkplatYamlReachesTheValuesAndAUsersDataSourcesStillWin() throws Exception {
        Path file = Files.writeString(dir.resolve("mkplat.yaml"), """
                logs:
                  loki: http://loki-gateway.loki.svc.cluster.local
                  traceStore: {type: tempo, url: 'http://tempo.tempo.svc.cluster.local:3200'}
                """);
        PlatformConfig config = PlatformConfigLoader.load(file, file);
        JsonNode merged = YAML.readTree(StackValues.merge(StackChart.bundled().values(), Optional.empty(), config)
                .yaml());
        JsonNode sources = merged.path("grafana").path("additionalDataSources");
        assertThat(sources.values())
                .extracting(source -> source.path("uid").asString())
                .containsExactly(LogDatasources.LOKI_UID, LogDatasources.TRACES_UID);
        // The bundled Grafana settings are merged into, not replaced.
        assertThat(merged.path("grafana")
                        .path("sidecar")
                        .path("dashboards")
                        .path("enabled")
                        .asBoolean())
                .isTrue();

        Path user = Files.writeString(dir.resolve("values.yaml"), """
                grafana:
                  additionalDataSources:
                  - name: My Loki
                    type: loki
                    url: http://loki.example.test
                """);
        JsonNode overridden =
                YAML.readTree(StackValues.merge(StackChart.bundled().values(), Optional.of(user), config)
                        .yaml());
        assertThat(overridden.path("grafana").path("additionalDataSources").values())
                .extracting(source -> source.path("name").asString())
                .containsExactly("My Loki");
    }

    private static JsonNode sources(Logs logs) {
        return YAML.readTree(YAML.writeValueAsString(LogDatasources.values(logs)))
                .path("grafana")
                .path("additionalDataSources");
    }
}
