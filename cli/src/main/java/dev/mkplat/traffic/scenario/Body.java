package dev.mkplat.traffic.scenario;

import java.util.Optional;

/** What a request carries: nothing, templated text, or a small generated PNG (for image uploads). */
public sealed interface Body {
    /** The Content-Type to send, if the body has one. */
    Optional<String> contentType();

    /** No body. */
    record None() implements Body {
        @Override
        public Optional<String> contentType() {
            return Optional.empty();
        }
    }

    /** Text rendered from a template; JSON by default. */
    record Text(Template template, String type) implements Body {
        @Override
        public Optional<String> contentType() {
            return Optional.of(type);
        }
    }

    /** A small PNG generated once per run, sent as the raw request body. */
    record Png() implements Body {
        @Override
        public Optional<String> contentType() {
            return Optional.of("image/png");
        }
    }

    Body NONE = new None();
}
