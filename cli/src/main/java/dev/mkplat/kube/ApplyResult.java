package dev.mkplat.kube;

import java.util.Objects;

/**
 * The result of applying, pruning or deleting one object.
 *
 * @param ref     the object
 * @param outcome what happened
 * @param detail  why, for conflicts and failures (for example the other field manager); empty otherwise
 */
public record ApplyResult(ObjectRef ref, ApplyOutcome outcome, String detail) {
    public ApplyResult {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(outcome, "outcome");
        detail = detail == null ? "" : detail;
    }

    public static ApplyResult of(ObjectRef ref, ApplyOutcome outcome) {
        return new ApplyResult(ref, outcome, "");
    }

    /** {@code configured  Deployment api/api}, with the detail after a colon when there is one. */
    public String line() {
        String line = String.format("%-11s %s", outcome.label(), ref);
        return detail.isEmpty() ? line : line + ": " + detail;
    }
}
