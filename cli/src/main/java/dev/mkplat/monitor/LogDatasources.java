package dev.mkplat.monitor;

import dev.mkplat.config.PlatformConfig.Logs;
import dev.mkplat.config.PlatformConfig.TraceStoreType;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Grafana's data sources for {@code logs:} in mkplat.yaml, as chart values
 * ({@code grafana.additionalDataSources}, which kube-prometheus-stack writes into the data source
 * ConfigMap that Grafana provisions next to its Prometheus).
 *
 * <p>Loki gets a derived field on the access log's {@code traceId}, so that a log line in Explore
 * links to its trace in the trace store; the trace store links a span back to the logs of its
 * service ({@code service.name} is the namespace) around that trace. The dashboards find Loki
 * through a data source variable of type loki, not through these uids, so a Loki data source a
 * user made himself serves them as well.
 */
public final class LogDatasources {
    /** The uid of the Loki data source mkplat provisions. */
    public static final String LOKI_UID = "mkplat-loki";
    /** The uid of the trace store's data source, that the derived field links to. */
    public static final String TRACES_UID = "mkplat-traces";
    /**
     * The trace id in a service's JSON log line: {@code "traceId":"<32 hex digits>"}, as the
     * services' access log writes it (no space after the colon).
     */
    public static final String TRACE_ID_REGEX = "\"traceId\":\"([0-9a-f]{32})\"";
    /**
     * Grafana's variable for the matched trace id, with the {@code $} doubled: Grafana expands
     * environment variables ({@code $NAME}, {@code ${NAME}}) in provisioning files, and {@code $$}
     * is its escape for a literal {@code $}.
     */
    static final String MATCHED_VALUE = "$${__value.raw}";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private LogDatasources() {}

    /** The chart values for {@code logs}, to merge over the bundled ones; empty without a store. */
    public static ObjectNode values(Logs logs) {
        ObjectNode values = NODES.objectNode();
        if (logs.loki().isEmpty() && logs.traceStore().isEmpty()) {
            return values;
        }
        ArrayNode sources = values.putObject("grafana").putArray("additionalDataSources");
        logs.loki().ifPresent(loki -> {
            ObjectNode source = datasource(sources, "Loki", LOKI_UID, "loki", loki.toString());
            ObjectNode json = source.putObject("jsonData");
            logs.traceStore().ifPresent(store -> {
                ObjectNode field = json.putArray("derivedFields").addObject();
                field.put("name", "traceId");
                field.put("matcherType", "regex");
                field.put("matcherRegex", TRACE_ID_REGEX);
                field.put("datasourceUid", TRACES_UID);
                field.put("url", MATCHED_VALUE);
                field.put("urlDisplayLabel", "Trace in " + name(store.type()));
            });
        });
        logs.traceStore().ifPresent(store -> {
            ObjectNode source = datasource(
                    sources,
                    name(store.type()),
                    TRACES_UID,
                    store.type().yamlName(),
                    store.url().toString());
            if (logs.loki().isPresent()) {
                // Tempo's and Jaeger's data sources take the same trace-to-logs settings.
                ObjectNode toLogs = source.putObject("jsonData").putObject("tracesToLogsV2");
                toLogs.put("datasourceUid", LOKI_UID);
                ObjectNode tag = toLogs.putArray("tags").addObject();
                tag.put("key", "service.name");
                tag.put("value", "namespace");
                toLogs.put("filterByTraceID", true);
                toLogs.put("spanStartTimeShift", "-5m");
                toLogs.put("spanEndTimeShift", "5m");
            }
        });
        return values;
    }

    private static ObjectNode datasource(ArrayNode sources, String name, String uid, String type, String url) {
        ObjectNode source = sources.addObject();
        source.put("name", name);
        source.put("uid", uid);
        source.put("type", type);
        source.put("access", "proxy");
        source.put("url", url);
        // Provisioned from mkplat.yaml: an edit in Grafana's UI would be lost at the next install.
        source.put("editable", false);
        return source;
    }

    private static String name(TraceStoreType type) {
        return switch (type) {
            case TEMPO -> "Tempo";
            case JAEGER -> "Jaeger";
        };
    }
}
