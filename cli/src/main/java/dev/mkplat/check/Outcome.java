package dev.mkplat.check;

import java.util.Objects;
import java.util.Optional;

/**
 * What one check found.
 *
 * @param passed whether the check passed
 * @param detail what was found, for example {@code v1.33.1} or {@code no IngressClass "nginx"}
 * @param hint   a hint more specific than the check's own (for example the exact hosts line), if any
 */
public record Outcome(boolean passed, String detail, Optional<String> hint) {
    public Outcome {
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(hint, "hint");
    }

    public static Outcome passed(String detail) {
        return new Outcome(true, detail, Optional.empty());
    }

    public static Outcome failed(String detail) {
        return new Outcome(false, detail, Optional.empty());
    }

    /** A failure whose remedy depends on what was found. */
    public static Outcome failed(String detail, String hint) {
        return new Outcome(false, detail, Optional.of(hint));
    }

    /** A pass that still carries advice (for example the hosts line to add on another machine). */
    public static Outcome passed(String detail, String hint) {
        return new Outcome(true, detail, Optional.of(hint));
    }
}
