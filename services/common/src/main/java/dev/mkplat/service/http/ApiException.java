package dev.mkplat.service.http;

import io.helidon.http.Status;
import java.time.Duration;
import java.util.Optional;

/**
 * A request that cannot be served for a reason the client can act on. Handlers throw it;
 * {@link ErrorResponses} turns it into a JSON error with its status.
 */
public final class ApiException extends RuntimeException {
    private final Status status;
    private final Duration retryAfter;

    private ApiException(Status status, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(Status.BAD_REQUEST_400, message, null);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(Status.UNAUTHORIZED_401, message, null);
    }

    public static ApiException notFound(String message) {
        return new ApiException(Status.NOT_FOUND_404, message, null);
    }

    public static ApiException conflict(String message) {
        return new ApiException(Status.CONFLICT_409, message, null);
    }

    public static ApiException payloadTooLarge(String message) {
        return new ApiException(Status.REQUEST_ENTITY_TOO_LARGE_413, message, null);
    }

    public static ApiException unsupportedMediaType(String message) {
        return new ApiException(Status.UNSUPPORTED_MEDIA_TYPE_415, message, null);
    }

    public static ApiException tooManyRequests(String message, Duration retryAfter) {
        return new ApiException(Status.TOO_MANY_REQUESTS_429, message, retryAfter);
    }

    /** 503 for a refusal that is the server's load, not a dependency's outage: the client may retry after {@code retryAfter}. */
    public static ApiException unavailable(String message, Duration retryAfter) {
        return new ApiException(Status.SERVICE_UNAVAILABLE_503, message, retryAfter);
    }

    public Status status() {
        return status;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
