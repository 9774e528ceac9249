package dev.mkplat.auth.sessions;

import java.time.Instant;

/** What a successful login answers: the bearer token and when its session ends. */
public record IssuedToken(String token, Instant expiresAt) {
    @Override
    public String toString() {
        // The token is a credential; it must not reach a log through a stray toString.
        return "IssuedToken[expiresAt=" + expiresAt + "]";
    }
}
