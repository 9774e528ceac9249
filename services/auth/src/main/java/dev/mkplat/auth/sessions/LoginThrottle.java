package dev.mkplat.auth.sessions;

import dev.mkplat.auth.redis.Redis;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Brute-force protection, counted in Redis so that every replica sees the same counts.
 *
 * <p>Two scopes are counted: the client address (at most {@link LoginPolicy#maxFailures()}
 * failures, across all usernames) and the username (at most {@link LoginPolicy#maxUserFailures()},
 * from all addresses together). Only <em>failures</em> count. An attempt that starts takes a
 * reservation in both scopes, and while failures plus reservations have reached a scope's limit,
 * further attempts wait for a reservation to end rather than run: so parallel guesses can never
 * get more than the limit checked, yet twenty devices of one user, or twenty people behind one NAT,
 * who all log in at once are only queued, never locked. A success hands its reservation back and
 * forgives the username's failures; a failure turns its reservation into a failure.
 *
 * <p>An attacker at one address is stopped by the address lock long before the username's limit,
 * so the owner of a targeted username still gets in from anywhere else; the username as a whole
 * is locked only when failures come from many addresses (the trade-off is in the README).
 *
 * <p>Each step is one Lua script, so the check and the count are atomic across replicas. Scripts
 * are sent with {@code EVAL} rather than {@code EVALSHA}: logins are not a hot path, and a Redis
 * restart (which forgets loaded scripts) then needs no special case.
 */
public final class LoginThrottle {
    private static final String PREFIX = "auth:login:";
    /** How long an attempt waits for a reservation before it is refused as busy. */
    private static final Duration BUSY_WAIT = Duration.ofSeconds(15);
    /**
     * How long a reservation outlives the last attempt of its scope: it is handed back at the end
     * of every attempt, so this matters only when a replica died in the middle of one.
     */
    private static final Duration RESERVATION_TTL = Duration.ofSeconds(30);

    // KEYS: user failures, user lock, user reservations, address failures, address lock, address reservations.
    // ARGV: max user failures, max address failures, lockout ms, reservation ttl ms.
    // Returns {status, retry-after ms}: -1 admitted, -2 busy (wait and retry), 0 already locked,
    // 1/2/3 locked now (bit 1: the username, bit 2: the address).
    private static final String BEGIN = """
            local function remaining(key)
              local ttl = redis.call('PTTL', key)
              if ttl == -1 then return tonumber(ARGV[3]) end
              return ttl
            end
            local function count(key) return tonumber(redis.call('GET', key) or '0') end
            local ttl = math.max(remaining(KEYS[2]), remaining(KEYS[5]))
            if ttl > 0 then return {0, ttl} end
            local locked = 0
            for scope = 0, 1 do
              if count(KEYS[scope * 3 + 1]) >= tonumber(ARGV[scope + 1]) then
                redis.call('SET', KEYS[scope * 3 + 2], '1', 'PX', ARGV[3])
                redis.call('DEL', KEYS[scope * 3 + 1])
                locked = locked + scope + 1
              end
            end
            if locked > 0 then return {locked, tonumber(ARGV[3])} end
            for scope = 0, 1 do
              if count(KEYS[scope * 3 + 1]) + count(KEYS[scope * 3 + 3]) >= tonumber(ARGV[scope + 1]) then
                return {-2, 0}
              end
            end
            for scope = 0, 1 do
              redis.call('INCR', KEYS[scope * 3 + 3])
              redis.call('PEXPIRE', KEYS[scope * 3 + 3], ARGV[4])
            end
            return {-1, 0}
            """;

    // KEYS: user failures, user reservations, address failures, address reservations.
    // ARGV: outcome (success, failure, abandoned), window ms.
    // A success forgives the username's earlier failures (whoever knows the password has no need
    // to guess it) but not the address's, so that an attacker cannot reset the address count by
    // logging in to an account of their own between guesses.
    private static final String END = """
            for scope = 0, 1 do
              if redis.call('DECR', KEYS[scope * 2 + 2]) <= 0 then redis.call('DEL', KEYS[scope * 2 + 2]) end
            end
            if ARGV[1] == 'failure' then
              for scope = 0, 1 do
                redis.call('INCR', KEYS[scope * 2 + 1])
                if redis.call('PTTL', KEYS[scope * 2 + 1]) < 0 then redis.call('PEXPIRE', KEYS[scope * 2 + 1], ARGV[2]) end
              end
            elseif ARGV[1] == 'success' then
              redis.call('DEL', KEYS[1])
            end
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
     * @param admitted       true when the password may be checked
     * @param retryAfter     how long the lock lasts, or a second when refused as busy
     * @param usernameLocked true when this attempt started a lockout of the username
     * @param addressLocked  true when this attempt started a lockout of the client address
     * @param busy           true when refused because too many attempts were in progress for too long, not locked
     */
    public record Admission(
            boolean admitted, Duration retryAfter, boolean usernameLocked, boolean addressLocked, boolean busy) {}

    /**
     * Checks the locks and reserves the attempt of {@code username} from {@code clientAddress}.
     * Every admitted attempt must end with {@link #succeeded}, {@link #failed} or {@link #abandoned}.
     */
    public Admission begin(String username, String clientAddress) {
        List<String> keys = List.of(
                failures(userScope(username)),
                lock(userScope(username)),
                reservations(userScope(username)),
                failures(addressScope(clientAddress)),
                lock(addressScope(clientAddress)),
                reservations(addressScope(clientAddress)));
        List<String> args = List.of(
                Integer.toString(policy.maxUserFailures()),
                Integer.toString(policy.maxFailures()),
                Long.toString(policy.lockout().toMillis()),
                Long.toString(RESERVATION_TTL.toMillis()));
        long deadline = System.nanoTime() + BUSY_WAIT.toNanos();
        while (true) {
            List<?> reply = (List<?>) redis.call(jedis -> jedis.eval(BEGIN, keys, args));
            long status = (Long) reply.get(0);
            long retryAfterMillis = (Long) reply.get(1);
            if (status == -1) {
                return new Admission(true, Duration.ZERO, false, false, false);
            }
            if (status >= 0) {
                // Retry-After is in whole seconds; round up so that a client that obeys it is not refused again.
                Duration retryAfter = Duration.ofSeconds((retryAfterMillis + 999) / 1000);
                return new Admission(false, retryAfter, (status & 1) != 0, (status & 2) != 0, false);
            }
            if (System.nanoTime() - deadline >= 0) {
                return new Admission(false, Duration.ofSeconds(1), false, false, true);
            }
            pause();
        }
    }

    /** The attempt succeeded: hand back its reservation and forgive the username's failures. */
    public void succeeded(String username, String clientAddress) {
        end(username, clientAddress, "success");
    }

    /** The password was wrong (or the user unknown): the reservation becomes a failure in both scopes. */
    public void failed(String username, String clientAddress) {
        end(username, clientAddress, "failure");
    }

    /** The attempt could not be decided (a dependency failed): hand back its reservation, count nothing. */
    public void abandoned(String username, String clientAddress) {
        end(username, clientAddress, "abandoned");
    }

    private void end(String username, String clientAddress, String outcome) {
        List<String> keys = List.of(
                failures(userScope(username)),
                reservations(userScope(username)),
                failures(addressScope(clientAddress)),
                reservations(addressScope(clientAddress)));
        redis.call(jedis -> jedis.eval(
                END, keys, List.of(outcome, Long.toString(policy.window().toMillis()))));
    }

    // A login takes tens of milliseconds of Argon2id; polling at about that pace, with jitter so
    // that waiting attempts do not retry in lockstep.
    private static void pause() {
        try {
            Thread.sleep(10 + ThreadLocalRandom.current().nextInt(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a login reservation", e);
        }
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

    private static String reservations(String scope) {
        return PREFIX + "reservations:" + scope;
    }
}
