package dev.mkplat.auth.redis;

import dev.mkplat.service.ConfigValues;
import io.helidon.config.Config;
import java.time.Duration;

/**
 * How to reach Redis, from the {@code redis} config node: {@code REDIS_HOST}, {@code REDIS_PORT},
 * {@code REDIS_PASSWORD}, {@code REDIS_TIMEOUT} and {@code REDIS_POOL_SIZE} in the environment.
 *
 * @param timeout  connect timeout, socket (read) timeout and the longest wait for a pooled connection
 * @param poolSize connections kept open; requests beyond it wait up to {@code timeout}
 */
public record RedisSettings(String host, int port, String password, Duration timeout, int poolSize) {
    public RedisSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("redis.host (REDIS_HOST) must be set");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("redis.port (REDIS_PORT) must be a TCP port, got " + port);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("redis.timeout (REDIS_TIMEOUT) must be positive, got " + timeout);
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("redis.pool.size (REDIS_POOL_SIZE) must be at least 1, got " + poolSize);
        }
    }

    public static RedisSettings from(Config redis) {
        return new RedisSettings(
                redis.get("host").asString().orElse("localhost"),
                redis.get("port").asInt().orElse(6379),
                redis.get("password").asString().orElse(""),
                ConfigValues.duration(redis.get("timeout"), Duration.ofSeconds(1)),
                redis.get("pool.size").asInt().orElse(32));
    }

    @Override
    public String toString() {
        // Never print the password: this record ends up in startup logs.
        return "RedisSettings[host=" + host + ", port=" + port + ", timeout=" + timeout + ", poolSize=" + poolSize
                + "]";
    }
}
