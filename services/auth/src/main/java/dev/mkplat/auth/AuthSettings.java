package dev.mkplat.auth;

import dev.mkplat.auth.sessions.LoginPolicy;
import dev.mkplat.auth.users.RegistrationLimit;
import dev.mkplat.service.ConfigValues;
import io.helidon.config.Config;
import java.time.Duration;

/**
 * The auth service's own settings: the session TTL ({@code SESSION_TTL}), the brute-force limits
 * ({@code LOGIN_*}), the registration limit ({@code REGISTER_*}) and whether {@code X-Forwarded-For} names the client ({@code TRUST_FORWARDED}).
 */
record AuthSettings(
        Duration sessionTtl,
        LoginPolicy loginPolicy,
        RegistrationLimit.Policy registrationPolicy,
        boolean trustForwarded) {
    static AuthSettings from(Config config) {
        return new AuthSettings(
                ConfigValues.duration(config.get("session.ttl"), Duration.ofHours(1)),
                LoginPolicy.from(config.get("login")),
                RegistrationLimit.Policy.from(config.get("register")),
                config.get("trust.forwarded").asBoolean().orElse(false));
    }
}
