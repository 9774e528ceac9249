package dev.mkplat.service.http;

import java.util.UUID;
import java.util.regex.Pattern;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * Per-request facts that the filter, the handlers and the error mapping share: the request id and
 * the route template that matched. It lives in the request's context.
 */
public final class RequestInfo {
    public static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
    /** The route label of requests that matched no route, so that scanners cannot blow up metric cardinality. */
    public static final String UNMATCHED = "unmatched";

    // Only ids that are safe to echo into logs and headers are taken from the client.
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final String requestId;
    private volatile String route = UNMATCHED;

    private RequestInfo(String requestId) {
        this.requestId = requestId;
    }

    static RequestInfo start(ServerRequest req) {
        String id = req.headers().first(REQUEST_ID)
                .filter(value -> CLIENT_ID.matcher(value).matches())
                .orElseGet(() -> UUID.randomUUID().toString());
        RequestInfo info = new RequestInfo(id);
        req.context().register(info);
        return info;
    }

    /** The info of this request; one is made on the spot if the filter did not run (tests of a bare route). */
    public static RequestInfo of(ServerRequest req) {
        return req.context().get(RequestInfo.class).orElseGet(() -> start(req));
    }

    public String requestId() {
        return requestId;
    }

    public String route() {
        return route;
    }

    void route(String template) {
        this.route = template;
    }
}
