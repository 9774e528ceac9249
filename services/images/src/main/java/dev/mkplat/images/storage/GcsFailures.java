package dev.mkplat.images.storage;

import com.google.cloud.BaseServiceException;
import dev.mkplat.service.http.DependencyUnavailableException;
import java.io.IOException;

/**
 * How failures of the GCS client become HTTP answers. The client reports a refused connection or
 * a timeout as code 0 with an {@link IOException} cause, and an overloaded or broken backend as
 * 429 or 5xx: all of these (and a bucket we are not allowed to use) are "gcs unavailable", a 503
 * with Retry-After, never a 500. Only a missing object is the client's business (404).
 */
public final class GcsFailures {
    /** The name of the dependency in 503 errors and readiness output. */
    public static final String DEPENDENCY = "gcs";

    private GcsFailures() {}

    /** Whether {@code failure} (or a cause) is GCS answering 404. */
    public static boolean isNotFound(Throwable failure) {
        return code(failure) == 404;
    }

    /** The HTTP code of the first GCS exception in {@code failure}'s causes, or -1. */
    public static int code(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BaseServiceException gcs) {
                return gcs.getCode();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return -1;
    }

    /** The 503 for a GCS call that failed. */
    public static DependencyUnavailableException unavailable(Throwable failure) {
        return new DependencyUnavailableException(DEPENDENCY, failure);
    }

    /** A short reason for logs and readiness output. */
    public static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }
}
