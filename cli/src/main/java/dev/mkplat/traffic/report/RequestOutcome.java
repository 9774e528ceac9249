package dev.mkplat.traffic.report;

/**
 * What one request got back.
 *
 * @param status the HTTP status, or 0 without an answer
 * @param body the answer's body when the caller asked to keep it, else empty
 * @param error why there was no answer (for the report), or null
 */
public record RequestOutcome(OutcomeKind kind, int status, byte[] body, String error) {
    private static final byte[] NO_BODY = new byte[0];

    public static RequestOutcome answered(int status, byte[] body) {
        return new RequestOutcome(OutcomeKind.ofStatus(status), status, body == null ? NO_BODY : body, null);
    }

    public static RequestOutcome failed(OutcomeKind kind, String error) {
        return new RequestOutcome(kind, 0, NO_BODY, error);
    }

    public boolean ok() {
        return kind == OutcomeKind.OK;
    }
}
