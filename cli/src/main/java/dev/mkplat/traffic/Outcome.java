package dev.mkplat.traffic;

/**
 * What one request got back.
 *
 * @param status the HTTP status, or 0 without an answer
 * @param body the answer's body when the caller asked to keep it, else empty
 * @param error why there was no answer (for the report), or null
 */
public record Outcome(OutcomeKind kind, int status, byte[] body, String error) {
    private static final byte[] NO_BODY = new byte[0];

    public static Outcome answered(int status, byte[] body) {
        return new Outcome(OutcomeKind.ofStatus(status), status, body == null ? NO_BODY : body, null);
    }

    public static Outcome failed(OutcomeKind kind, String error) {
        return new Outcome(kind, 0, NO_BODY, error);
    }

    public boolean ok() {
        return kind == OutcomeKind.OK;
    }
}
