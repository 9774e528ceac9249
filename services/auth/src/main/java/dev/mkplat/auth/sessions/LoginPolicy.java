package dev.mkplat.auth.sessions;

import java.time.Duration;

import dev.mkplat.service.ConfigValues;
import io.helidon.config.Config;

/**
 * The brute-force limits, from the {@code login} config node: at most {@code maxFailures}
 * ({@code LOGIN_MAX_FAILURES}) failed logins per username and per client address within
 * {@code window} ({@code LOGIN_WINDOW}); the next attempt locks that username or address out for
 * {@code lockout} ({@code LOGIN_LOCKOUT}).
 */
public record LoginPolicy(int maxFailures, Duration window, Duration lockout) {
    public LoginPolicy {
        if (maxFailures < 1) {
            throw new IllegalArgumentException("login.max.failures (LOGIN_MAX_FAILURES) must be at least 1, got " + maxFailures);
        }
        if (window.toMillis() < 1) {
            throw new IllegalArgumentException("login.window (LOGIN_WINDOW) must be positive, got " + window);
        }
        if (lockout.toMillis() < 1) {
            throw new IllegalArgumentException("login.lockout (LOGIN_LOCKOUT) must be positive, got " + lockout);
        }
    }

    public static LoginPolicy from(Config login) {
        return new LoginPolicy(
                login.get("max.failures").asInt().orElse(5),
                ConfigValues.duration(login.get("window"), Duration.ofMinutes(15)),
                ConfigValues.duration(login.get("lockout"), Duration.ofMinutes(15)));
    }
}
