package dev.mkplat.service.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP responses. Every error is
 * {@code {"error": "...", "requestId": "..."}}; a dependency outage is 503 with {@code Retry-After};
 * anything unexpected is 500 with no detail for the client and a stack trace in the log.
 */
public final class ErrorResponses {
    /** How long clients are asked to wait when a dependency is down. */
    public static final Duration DEPENDENCY_RETRY_AFTER = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {}

    /** Sends the JSON error for {@code failure}, unless the response is already on its way. */
    public static void send(ServerRequest req, ServerResponse res, Throwable failure) {
        String requestId = RequestInfo.of(req).requestId();
        if (res.isSent()) {
            LOG.warn("request {} failed after the response was sent", requestId, failure);
            return;
        }
        Status status;
        String message;
        Duration retryAfter = null;
        switch (failure) {
            case ApiException api -> {
                status = api.status();
                message = api.getMessage();
                retryAfter = api.retryAfter().orElse(null);
            }
            case DependencyUnavailableException down -> {
                status = Status.SERVICE_UNAVAILABLE_503;
                message = down.getMessage();
                retryAfter = DEPENDENCY_RETRY_AFTER;
                LOG.warn("request {}: {}: {}", requestId, down.getMessage(), rootMessage(down));
            }
            case HttpException http
            when http.status().code() < 500 -> {
                status = http.status();
                message = http.getMessage();
            }
            default -> {
                status = Status.INTERNAL_SERVER_ERROR_500;
                message = "internal error";
                LOG.error("request {} failed", requestId, failure);
            }
        }
        if (status == Status.UNAUTHORIZED_401) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"mkplat\"");
        }
        if (retryAfter != null) {
            res.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        send(res, status, message, requestId);
    }

    /** Sends a JSON error with an explicit status and message. */
    public static void send(ServerResponse res, Status status, String message, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("requestId", requestId);
        Json.send(res, status, body);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? "" : root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
