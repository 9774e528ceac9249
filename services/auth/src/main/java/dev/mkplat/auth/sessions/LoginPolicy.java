package dev.mkplat.auth.sessions;

import dev.mkplat.service.ConfigValues;
import io.helidon.config.Config;
import java.time.Duration;

/**
 * The brute-force limits, from the {@code login} config node: at most {@code maxFailures}
 * ({@code LOGIN_MAX_FAILURES}) failed logins per client address, and {@code maxUserFailures}
 * ({@code LOGIN_MAX_USER_FAILURES}) per username from all addresses together, within
 * {@code window} ({@code LOGIN_WINDOW}); the next attempt locks that address or username out for
 * {@code lockout} ({@code LOGIN_LOCKOUT}).
 */
public record LoginPolicy(int maxFailures, int maxUserFailures, Duration window, Duration lockout) {
    public LoginPolicy {
        if (maxFailures < 1) {
            throw new IllegalArgumentException(
                    "login.max.failures (LOGIN_MAX_FAILURES) must be at least 1, got " + maxFailures);
        }
        if (maxUserFailures < maxFailures) {
            throw new IllegalArgumentException("login.max.user.failures (LOGIN_MAX_USER_FAILURES) must be at least "
                    + "login.max.failures (" + maxFailures + "), got " + maxUserFailures);
        }
        if (window.toMillis() < 1) {
            throw new IllegalArgumentException("login.window (LOGIN_WINDOW) must be positive, got " + window);
        }
        if (lockout.toMillis() < 1) {
            throw new IllegalArgumentException("login.lockout (LOGIN_LOCKOUT) must be positive, got " + lockout);
        }
    }

    public static LoginPolicy from(Config login) {
        int maxFailures = login.get("max.failures").asInt().orElse(5);
        return new LoginPolicy(
                maxFailures,
                login.get("max.user.failures").asInt().orElse(Math.max(20, maxFailures)),
                ConfigValues.duration(login.get("window"), Duration.ofMinutes(15)),
                ConfigValues.duration(login.get("lockout"), Duration.ofMinutes(15)));
    }
}
