package dev.mkplat.service.metrics;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * The metrics of one service instance. Each service owns one (tests create several in one JVM, so
 * nothing here is global) and registers its domain counters on {@link #registry()}.
 */
public final class ServiceMetrics {
    /** Request latency in seconds, by method, route template and status code. */
    public static final String HTTP_REQUEST_DURATION = "http_server_request_duration_seconds";
    /** Latency of database statements in seconds, by statement name. */
    public static final String DB_QUERY_DURATION = "db_query_duration_seconds";

    /** The method label of requests with a method outside the standard ones (RFC 9110 and PATCH). */
    public static final String OTHER_METHOD = "OTHER";

    private static final Set<String> STANDARD_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    private static final double[] LATENCY_BUCKETS = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
    };

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram httpRequests;
    private final Histogram dbQueries;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public ServiceMetrics() {
        httpRequests = Histogram.builder()
                .name(HTTP_REQUEST_DURATION)
                .help("HTTP request latency, by method, route template and status")
                .unit(Unit.SECONDS)
                .labelNames("method", "route", "status")
                .classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS)
                // No tracing here, so no exemplars: sampling them cost a third of each observation.
                .withoutExemplars()
                .register(registry);
        dbQueries = Histogram.builder()
                .name(DB_QUERY_DURATION)
                .help("Database statement latency, by statement name")
                .unit(Unit.SECONDS)
                .labelNames("query")
                .classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS)
                .withoutExemplars()
                .register(registry);
        JvmMetrics.builder().register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** A counter registered on this service's registry. */
    public Counter counter(String name, String help, String... labelNames) {
        return Counter.builder().name(name).help(help).labelNames(labelNames).register(registry);
    }

    /**
     * Records one request. {@code route} must already be a template or {@code unmatched}; the
     * method is mapped here onto a closed set, because the server accepts any token as a method and
     * each new label value would be a new series kept for the life of the process.
     */
    public void observeRequest(String method, String route, int status, long nanos) {
        httpRequests
                .labelValues(methodLabel(method), route, Integer.toString(status))
                .observe(nanos / 1e9);
    }

    /** The label of a request method: one of the standard methods, or {@link #OTHER_METHOD}. */
    static String methodLabel(String method) {
        return STANDARD_METHODS.contains(method) ? method : OTHER_METHOD;
    }

    public void observeQuery(String query, long nanos) {
        dbQueries.labelValues(query).observe(nanos / 1e9);
    }

    /** Serves the registry in the Prometheus text format. */
    public void scrapeHandler(ServerRequest req, ServerResponse res) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        res.header(HeaderNames.CONTENT_TYPE, writer.getContentType());
        res.send(out.toByteArray());
    }
}
