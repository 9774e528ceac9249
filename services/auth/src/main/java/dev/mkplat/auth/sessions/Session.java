package dev.mkplat.auth.sessions;

import java.time.Instant;

/**
 * A live session as {@code GET /verify} reports it. Other services rely on exactly these two
 * fields (see {@code dev.mkplat.service.auth.TokenVerifier}).
 */
public record Session(String username, Instant expiresAt) {}
