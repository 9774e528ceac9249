package dev.mkplat.service.http;

import dev.mkplat.service.metrics.ServiceMetrics;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps every request: gives it a request id (the client's {@code X-Request-Id} when it is safe,
 * a new one otherwise) and returns it, then records one latency sample and one JSON access-log line.
 */
public final class RequestObserver implements Filter {
    private static final Logger ACCESS = LoggerFactory.getLogger("access");

    private final ServiceMetrics metrics;

    public RequestObserver(ServiceMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        RequestInfo info = RequestInfo.start(req);
        res.header(RequestInfo.REQUEST_ID, info.requestId());
        try {
            chain.proceed();
        } finally {
            long nanos = System.nanoTime() - start;
            String method = req.prologue().method().text();
            int status = res.status().code();
            metrics.observeRequest(method, info.route(), status, nanos);
            if (ACCESS.isInfoEnabled()) {
                ACCESS.atInfo()
                        .addKeyValue("method", method)
                        .addKeyValue("route", info.route())
                        .addKeyValue("path", req.path().absolute().rawPath())
                        .addKeyValue("status", status)
                        .addKeyValue("durationMs", Math.round(nanos / 1e4) / 100.0)
                        .addKeyValue("requestId", info.requestId())
                        .log("request");
            }
        }
    }
}
