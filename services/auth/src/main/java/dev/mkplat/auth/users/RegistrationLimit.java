package dev.mkplat.auth.users;

import dev.mkplat.auth.redis.Redis;
import dev.mkplat.service.ConfigValues;
import dev.mkplat.service.http.DependencyUnavailableException;
import io.helidon.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code max} registrations per client address within {@code window}, counted in Redis so
 * that every replica sees one count.
 *
 * <p>Why: each registration costs an Argon2id hash (~0.1 s of a core and 19 MiB), so an unlimited
 * {@code /register} lets one client keep the service's CPUs busy, and fill the users table. The
 * count is per address (an IPv6 client per /64, see ClientAddress) in a fixed window that starts
 * with its first registration; the default leaves room for load tests that register their
 * virtual users from one machine.
 */
public final class RegistrationLimit {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrationLimit.class);
    private static final String PREFIX = "auth:register:ip:";

    // KEYS: the address's count. ARGV: max, window ms.
    // Returns -1 when admitted, else the milliseconds until the window ends.
    private static final String ADMIT = """
            local count = redis.call('INCR', KEYS[1])
            if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            if count > tonumber(ARGV[1]) then return redis.call('PTTL', KEYS[1]) end
            return -1
            """;

    private final Redis redis;
    private final Policy policy;

    /**
     * The limits, from the {@code register} config node.
     *
     * @param max    registrations per address per window ({@code REGISTER_MAX})
     * @param window the window ({@code REGISTER_WINDOW})
     */
    public record Policy(int max, Duration window) {
        public Policy {
            if (max < 1) {
                throw new IllegalArgumentException("register.max (REGISTER_MAX) must be at least 1, got " + max);
            }
            if (window.toMillis() < 1) {
                throw new IllegalArgumentException("register.window (REGISTER_WINDOW) must be positive, got " + window);
            }
        }

        public static Policy from(Config register) {
            return new Policy(
                    register.get("max").asInt().orElse(60),
                    ConfigValues.duration(register.get("window"), Duration.ofMinutes(10)));
        }
    }

    public RegistrationLimit(Redis redis, Policy policy) {
        this.redis = redis;
        this.policy = policy;
    }

    /**
     * Counts a registration from {@code clientAddress}: empty when admitted, else how long until it
     * may try again. When Redis is unavailable the registration is admitted uncounted: registering
     * needs only Postgres, and an outage of the counter should not close sign-up (logins, which need
     * Redis for their sessions, answer 503 meanwhile anyway).
     */
    public Optional<Duration> admit(String clientAddress) {
        Object reply;
        try {
            reply = redis.call(jedis -> jedis.eval(
                    ADMIT,
                    List.of(PREFIX + clientAddress),
                    List.of(
                            Integer.toString(policy.max()),
                            Long.toString(policy.window().toMillis()))));
        } catch (DependencyUnavailableException e) {
            LOG.warn("registration limit not enforced: {}", e.getMessage());
            return Optional.empty();
        }
        long millis = (Long) reply;
        if (millis < 0) {
            return Optional.empty();
        }
        // Retry-After is in whole seconds; round up so that a client that obeys it is admitted.
        return Optional.of(Duration.ofSeconds(Math.max(1, (millis + 999) / 1000)));
    }
}
