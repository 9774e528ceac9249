package dev.mkplat.auth.sessions;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import dev.mkplat.auth.redis.Redis;

/**
 * Brute-force protection, counted in Redis so that every replica sees the same counts.
 *
 * <p>An attempt is counted when it <em>starts</em>, against both the username and the client
 * address, and given back when it succeeds. Counting at the end instead would let a burst of
 * parallel guesses all pass the check before the first of them failed; this way at most
 * {@link LoginPolicy#maxFailures()} guesses per username or address are ever in flight or failed
 * within the window. The attempt after that locks the username or address out for the lockout
 * period, and while the lock lasts attempts are refused before any password is checked.
 *
 * <p>Each step is one Lua script, so the check and the count are atomic across replicas. Scripts
 * are sent with {@code EVAL} rather than {@code EVALSHA}: logins are not a hot path, and a Redis
 * restart (which forgets loaded scripts) then needs no special case.
 */
public final class LoginThrottle {
    private static final String PREFIX = "auth:login:";

    // KEYS: user failures, user lock, address failures, address lock.
    // ARGV: max failures, window ms, lockout ms.
    // Returns {status, retry-after ms}: status -1 admitted, 0 already locked, 1/2/3 locked now
    // (bit 1: the username, bit 2: the address).
    private static final String BEGIN = """
            local function remaining(key)
              local ttl = redis.call('PTTL', key)
              if ttl == -1 then return tonumber(ARGV[3]) end
              return ttl
            end
            local ttl = math.max(remaining(KEYS[2]), remaining(KEYS[4]))
            if ttl > 0 then return {0, ttl} end
            local locked = 0
            for i = 1, 3, 2 do
              local count = redis.call('INCR', KEYS[i])
              if redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
              if count > tonumber(ARGV[1]) then
                redis.call('SET', KEYS[i + 1], '1', 'PX', ARGV[3])
                redis.call('DEL', KEYS[i])
                locked = locked + (i == 1 and 1 or 2)
              end
            end
            if locked > 0 then return {locked, tonumber(ARGV[3])} end
            return {-1, 0}
            """;

    // KEYS: user failures, address failures. ARGV: 1 when the login succeeded.
    // A success forgives the username's earlier failures (whoever knows the password has no need
    // to guess it) but only gives back its own count on the address, so that an attacker cannot
    // reset the address count by logging in to an account of their own between guesses.
    private static final String END = """
            if ARGV[1] == '1' then
              redis.call('DEL', KEYS[1])
            elseif redis.call('DECR', KEYS[1]) <= 0 then
              redis.call('DEL', KEYS[1])
            end
            if redis.call('DECR', KEYS[2]) <= 0 then redis.call('DEL', KEYS[2]) end
            return 0
            """;

    private final Redis redis;
    private final LoginPolicy policy;

    public LoginThrottle(Redis redis, LoginPolicy policy) {
        this.redis = redis;
        this.policy = policy;
    }

    /**
     * The decision on one login attempt.
     *
     * @param admitted      true when the password may be checked
     * @param retryAfter    how long the lock lasts when refused
     * @param usernameLocked true when this attempt started a lockout of the username
     * @param addressLocked  true when this attempt started a lockout of the client address
     */
    public record Admission(boolean admitted, Duration retryAfter, boolean usernameLocked, boolean addressLocked) {
    }

    /** Checks the locks and counts the attempt of {@code username} from {@code clientAddress}. */
    public Admission begin(String username, String clientAddress) {
        List<String> keys = List.of(failures(userScope(username)), lock(userScope(username)),
                failures(addressScope(clientAddress)), lock(addressScope(clientAddress)));
        List<String> args = List.of(Integer.toString(policy.maxFailures()),
                Long.toString(policy.window().toMillis()), Long.toString(policy.lockout().toMillis()));
        List<?> reply = (List<?>) redis.call(jedis -> jedis.eval(BEGIN, keys, args));
        long status = (Long) reply.get(0);
        long retryAfterMillis = (Long) reply.get(1);
        if (status < 0) {
            return new Admission(true, Duration.ZERO, false, false);
        }
        // Retry-After is in whole seconds; round up so that a client that obeys it is not refused again.
        Duration retryAfter = Duration.ofSeconds((retryAfterMillis + 999) / 1000);
        return new Admission(false, retryAfter, (status & 1) != 0, (status & 2) != 0);
    }

    /** The attempt succeeded: forgive the username's failures and give back the address's count. */
    public void succeeded(String username, String clientAddress) {
        end(username, clientAddress, true);
    }

    /** The attempt could not be decided (a dependency failed): give its count back on both. */
    public void abandoned(String username, String clientAddress) {
        end(username, clientAddress, false);
    }

    private void end(String username, String clientAddress, boolean succeeded) {
        List<String> keys = List.of(failures(userScope(username)), failures(addressScope(clientAddress)));
        redis.call(jedis -> jedis.eval(END, keys, List.of(succeeded ? "1" : "0")));
    }

    // Usernames are unique regardless of case, so "Alice" and "alice" share one count.
    private static String userScope(String username) {
        return "user:" + username.toLowerCase(Locale.ROOT);
    }

    private static String addressScope(String clientAddress) {
        return "ip:" + clientAddress;
    }

    private static String failures(String scope) {
        return PREFIX + "failures:" + scope;
    }

    private static String lock(String scope) {
        return PREFIX + "lock:" + scope;
    }
}
