package dev.mkplat.service.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Per-request facts that the filter, the handlers and the error mapping share: the request id and
 * the route template that matched. It lives in the request's context.
 */
public final class RequestInfo {
    public static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
    /** The route label of requests that matched no route, so that scanners cannot blow up metric cardinality. */
    public static final String UNMATCHED = "unmatched";

    /** The longest client-supplied request id that is taken over. */
    private static final int MAX_CLIENT_ID_LENGTH = 64;

    private final String requestId;
    private volatile String route = UNMATCHED;

    private RequestInfo(String requestId) {
        this.requestId = requestId;
    }

    static RequestInfo start(ServerRequest req) {
        String id = req.headers()
                .first(REQUEST_ID)
                .filter(RequestInfo::isSafeClientId)
                .orElseGet(RequestInfo::newRequestId);
        RequestInfo info = new RequestInfo(id);
        req.context().register(info);
        return info;
    }

    /**
     * Only ids that are safe to echo into logs and headers are taken from the client:
     * 1 to 64 of {@code [A-Za-z0-9._:-]}. A loop rather than a regex: this runs on every request.
     */
    static boolean isSafeClientId(String value) {
        int length = value.length();
        if (length < 1 || length > MAX_CLIENT_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            boolean safe = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == ':'
                    || c == '-';
            if (!safe) {
                return false;
            }
        }
        return true;
    }

    /**
     * A random (version 4) UUID. Request ids only correlate log lines and responses: they must be
     * unique, not unguessable, so they come from {@link ThreadLocalRandom} rather than from
     * {@link UUID#randomUUID()}, whose shared SecureRandom took 2 % (GET /items/{id}) to 10 % (GET /)
     * of the service's CPU.
     */
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
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
