package dev.mkplat.auth.sessions;

import dev.mkplat.auth.redis.Redis;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import redis.clients.jedis.params.SetParams;

/**
 * Sessions in Redis. A token is 256 random bits in base64url without padding (43 characters).
 * Redis holds only the SHA-256 of the token as the key, so a dump of Redis (or a look over an
 * operator's shoulder) yields no usable token; the value is the expiry and the username, and the
 * key expires on its own after the session TTL.
 */
public final class SessionStore {
    static final String KEY_PREFIX = "auth:session:";
    /** The length of the tokens this store issues: 32 bytes in base64url without padding. */
    static final int TOKEN_LENGTH = 43;

    private static final int TOKEN_BYTES = 32;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final HexFormat HEX = HexFormat.of();
    /** Cloned per use: cheaper than MessageDigest.getInstance, whose provider lookup cost more than the hash. */
    private static final MessageDigest SHA_256 = sha256Prototype();

    private final Redis redis;
    private final Duration ttl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public SessionStore(Redis redis, Duration ttl, Clock clock) {
        if (ttl.toMillis() < 1) {
            throw new IllegalArgumentException("session.ttl (SESSION_TTL) must be positive, got " + ttl);
        }
        this.redis = redis;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Starts a session for {@code username} and returns its token. */
    public IssuedToken create(String username) {
        while (true) {
            byte[] bytes = new byte[TOKEN_BYTES];
            random.nextBytes(bytes);
            String token = BASE64URL.encodeToString(bytes);
            Instant expiresAt = clock.instant().plus(ttl).truncatedTo(ChronoUnit.MILLIS);
            String value = expiresAt.toEpochMilli() + " " + username;
            // NX: a collision of 256 random bits will not happen, but if it did it must not hand one
            // user's session to another.
            String reply = redis.call(jedis ->
                    jedis.set(key(token), value, SetParams.setParams().nx().px(ttl.toMillis())));
            if ("OK".equals(reply)) {
                return new IssuedToken(token, expiresAt);
            }
        }
    }

    /** The session of {@code token}, if it is live. One Redis GET: this is the hot path of every other service. */
    public Optional<Session> find(String token) {
        if (!isTokenShaped(token)) {
            return Optional.empty();
        }
        String value = redis.call(jedis -> jedis.get(key(token)));
        if (value == null) {
            return Optional.empty();
        }
        int space = value.indexOf(' ');
        if (space < 1) {
            throw new IllegalStateException("malformed session value in Redis");
        }
        Instant expiresAt = Instant.ofEpochMilli(Long.parseLong(value, 0, space, 10));
        if (!expiresAt.isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(new Session(value.substring(space + 1), expiresAt));
    }

    /** Ends the session of {@code token}; false when there was none. */
    public boolean delete(String token) {
        if (!isTokenShaped(token)) {
            return false;
        }
        return redis.call(jedis -> jedis.del(key(token))) > 0;
    }

    public Duration ttl() {
        return ttl;
    }

    /**
     * Whether {@code token} has the exact shape of the tokens this store issues: 43 of
     * {@code [A-Za-z0-9_-]}. A loop rather than a regex, as every {@code /verify} runs it.
     */
    static boolean isTokenShaped(String token) {
        if (token.length() != TOKEN_LENGTH) {
            return false;
        }
        for (int i = 0; i < TOKEN_LENGTH; i++) {
            char c = token.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    static String key(String token) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
        return KEY_PREFIX + HEX.formatHex(digest.digest(token.getBytes(StandardCharsets.US_ASCII)));
    }

    private static MessageDigest sha256Prototype() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
