package dev.mkplat.auth;

import java.time.Duration;

import dev.mkplat.auth.sessions.LoginPolicy;
import dev.mkplat.service.ConfigValues;
import io.helidon.config.Config;

/**
 * The auth service's own settings: the session TTL ({@code SESSION_TTL}), the brute-force limits
 * ({@code LOGIN_*}) and whether {@code X-Forwarded-For} names the client ({@code TRUST_FORWARDED}).
 */
record AuthSettings(Duration sessionTtl, LoginPolicy loginPolicy, boolean trustForwarded) {
    static AuthSettings from(Config config) {
        return new AuthSettings(
                ConfigValues.duration(config.get("session.ttl"), Duration.ofHours(1)),
                LoginPolicy.from(config.get("login")),
                config.get("trust.forwarded").asBoolean().orElse(false));
    }
}
