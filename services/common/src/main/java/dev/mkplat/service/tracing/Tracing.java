package dev.mkplat.service.tracing;

import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service's tracer and propagator, made by the OpenTelemetry SDK's autoconfiguration from the
 * standard {@code OTEL_*} settings.
 *
 * <p>What differs from the SDK's defaults: spans are exported only when
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) is set, over
 * OTLP/HTTP (protobuf; a collector's port 4318) rather than gRPC, and never metrics or logs (Prometheus scrapes the metrics, the logs are JSON lines on stdout). Without
 * an endpoint spans still get their ids, so that the access log carries a trace id and an incoming
 * {@code traceparent} is passed on. Sampling is the SDK's default, {@code parentbased_always_on};
 * {@code OTEL_TRACES_SAMPLER=parentbased_traceidratio} with {@code OTEL_TRACES_SAMPLER_ARG=0.1}
 * keeps a tenth of the traces that start here and follows the caller's decision for the others.
 *
 * <p>The settings are read through the service's configuration as well as from the environment:
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} is {@code otel.exporter.otlp.endpoint} there, so that
 * {@code application.yaml} or a test's configuration can set them too (the configuration wins).
 */
public final class Tracing implements AutoCloseable {
    /** The instrumentation scope of the spans the services make. */
    public static final String INSTRUMENTATION_SCOPE = "dev.mkplat.service";

    static final String ENDPOINT = "otel.exporter.otlp.endpoint";
    static final String TRACES_ENDPOINT = "otel.exporter.otlp.traces.endpoint";
    static final String TRACES_EXPORTER = "otel.traces.exporter";
    static final String GCP_RESOURCE_PROVIDER = "io.opentelemetry.contrib.gcp.resource.GCPResourceProvider";

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            return headers.stream().map(header -> header.name()).toList();
        }

        @Override
        public String get(Headers headers, String key) {
            return headers == null
                    ? null
                    : headers.first(HeaderNames.create(key)).orElse(null);
        }
    };

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    private final OpenTelemetrySdk sdk;

    private Tracing(OpenTelemetry openTelemetry, OpenTelemetrySdk sdk) {
        this.openTelemetry = openTelemetry;
        this.tracer = openTelemetry.getTracer(INSTRUMENTATION_SCOPE);
        this.sdk = sdk;
    }

    /**
     * The SDK for the service {@code serviceName} (the default of {@code OTEL_SERVICE_NAME}),
     * configured by the {@code otel} node of {@code config} over the environment.
     */
    public static Tracing start(Config config, String serviceName) {
        Map<String, String> configured = new HashMap<>();
        config.get("otel")
                .detach()
                .asMap()
                .ifPresent(map -> map.forEach((key, value) -> configured.put("otel." + key, value)));
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> Map.of(
                        "otel.service.name", serviceName,
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none",
                        // The SDK's default is gRPC, which needs a sender the services leave out.
                        "otel.exporter.otlp.protocol", "http/protobuf",
                        // google-cloud-storage (images) brings GCP's resource detector, which asks
                        // the metadata server: off the cloud a wait for nothing, and off loopback.
                        "otel.java.disabled.resource.providers", GCP_RESOURCE_PROVIDER))
                .addPropertiesCustomizer(properties -> configured)
                .addPropertiesCustomizer(Tracing::exportOnlyWithEndpoint)
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        return new Tracing(sdk, sdk);
    }

    /** No spans, no ids, nothing passed on: for tests of routes that are not about tracing. */
    public static Tracing none() {
        return new Tracing(OpenTelemetry.noop(), null);
    }

    /** Whether spans leave the process; false without an OTLP endpoint. */
    static Map<String, String> exportOnlyWithEndpoint(ConfigProperties properties) {
        boolean endpoint = !properties.getString(ENDPOINT, "").isBlank()
                || !properties.getString(TRACES_ENDPOINT, "").isBlank();
        return endpoint ? Map.of() : Map.of(TRACES_EXPORTER, "none");
    }

    public Tracer tracer() {
        return tracer;
    }

    /** The context a request's {@code traceparent} and {@code tracestate} describe; the root context without them. */
    public Context extract(Headers headers) {
        return propagator().extract(Context.root(), headers, HEADERS);
    }

    /** Writes the current context's {@code traceparent} and {@code tracestate} to {@code carrier}. */
    public <C> void inject(C carrier, TextMapSetter<C> setter) {
        propagator().inject(Context.current(), carrier, setter);
    }

    private TextMapPropagator propagator() {
        return openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** Exports the spans still buffered, then stops the exporter. */
    @Override
    public void close() {
        if (sdk != null) {
            sdk.shutdown().join(10, TimeUnit.SECONDS);
        }
    }
}
