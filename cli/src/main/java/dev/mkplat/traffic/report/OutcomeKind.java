package dev.mkplat.traffic.report;

/** How a request ended; everything but {@link #OK} counts as an error. */
public enum OutcomeKind {
    /** A 2xx or 3xx answer. */
    OK,
    /** A 4xx answer. */
    CLIENT_ERROR,
    /** A 5xx answer, or any status outside 200–499. */
    SERVER_ERROR,
    /** No complete answer within {@code --timeout}. */
    TIMEOUT,
    /** Could not connect, TLS failed, or the connection broke. */
    CONNECTION_ERROR;

    /** The kind for an HTTP status code. */
    public static OutcomeKind ofStatus(int status) {
        if (status >= 200 && status < 400) {
            return OK;
        }
        return status >= 400 && status < 500 ? CLIENT_ERROR : SERVER_ERROR;
    }
}
