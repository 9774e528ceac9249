package dev.mkplat.service.http;

import dev.mkplat.service.metrics.ServiceMetrics;
import dev.mkplat.service.tracing.Tracing;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Wraps every request: gives it a request id (the client's {@code X-Request-Id} when it is safe,
 * a new one otherwise) and returns it, runs it in a server span that continues the caller's trace
 * (W3C {@code traceparent}), then records one latency sample and one JSON access-log line that
 * carries the span's {@code traceId} and {@code spanId}.
 */
public final class RequestObserver implements Filter {
    private static final Logger ACCESS = LoggerFactory.getLogger("access");

    private final ServiceMetrics metrics;
    private final Tracing tracing;

    public RequestObserver(ServiceMetrics metrics, Tracing tracing) {
        this.metrics = metrics;
        this.tracing = tracing;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        RequestInfo info = RequestInfo.start(req);
        res.header(RequestInfo.REQUEST_ID, info.requestId());
        String method = req.prologue().method().text();
        Span span = tracing.tracer()
                .spanBuilder(method)
                .setParent(tracing.extract(req.headers()))
                .setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", method)
                .setAttribute("url.path", req.path().absolute().rawPath())
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            chain.proceed();
        } finally {
            long nanos = System.nanoTime() - start;
            int status = res.status().code();
            metrics.observeRequest(method, info.route(), status, nanos);
            // The name semantic conventions give a server span: the method and the route template.
            span.updateName(method + " " + info.route());
            span.setAttribute("http.route", info.route());
            span.setAttribute("http.response.status_code", status);
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            if (ACCESS.isInfoEnabled()) {
                SpanContext context = span.getSpanContext();
                LoggingEventBuilder line = ACCESS.atInfo()
                        .addKeyValue("method", method)
                        .addKeyValue("route", info.route())
                        .addKeyValue("path", req.path().absolute().rawPath())
                        .addKeyValue("status", status)
                        .addKeyValue("durationMs", Math.round(nanos / 1e4) / 100.0)
                        .addKeyValue("requestId", info.requestId());
                if (context.isValid()) {
                    line = line.addKeyValue("traceId", context.getTraceId()).addKeyValue("spanId", context.getSpanId());
                }
                line.log("request");
            }
            span.end();
        }
    }
}
