package dev.mkplat.auth;

import dev.mkplat.service.testing.PostgresFixture;
import dev.mkplat.service.testing.RedisFixture;
import dev.mkplat.service.testing.ServiceEnvironment;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import java.util.HashMap;
import java.util.Map;

/**
 * What an auth test runs against: a real PostgreSQL and a real Redis, and auth servers started by
 * {@link Main#start} exactly as in production, with the test's settings over {@code application.yaml}.
 */
final class AuthEnvironment extends ServiceEnvironment {
    final PostgresFixture postgres;
    final RedisFixture redis;
    final PostgresFixture.Database database;

    private AuthEnvironment() {
        this.postgres = dependency(PostgresFixture.create());
        this.redis = dependency(RedisFixture.create());
        this.database = postgres.createDatabase("auth");
    }

    /** Starts PostgreSQL and Redis; {@link #start} starts auth on them. */
    static AuthEnvironment create() {
        return new AuthEnvironment();
    }

    @Override
    protected Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("db.url", database.url());
        settings.put("db.user", database.user());
        settings.put("db.password", database.password());
        settings.put("db.connect.timeout", "1s");
        settings.put("db.query.timeout", "2s");
        settings.putAll(redisSettings(redis));
        return settings;
    }

    @Override
    protected WebServer startService(Config config) {
        return Main.start(config);
    }

    /** The service's configuration against another Redis; {@code overrides} are key, value pairs. */
    Config config(RedisFixture otherRedis, String... overrides) {
        Map<String, String> values = new HashMap<>(redisSettings(otherRedis));
        for (int i = 0; i < overrides.length; i += 2) {
            values.put(overrides[i], overrides[i + 1]);
        }
        return config(values);
    }

    private static Map<String, String> redisSettings(RedisFixture redis) {
        return Map.of(
                "redis.host", redis.host(),
                "redis.port", Integer.toString(redis.port()),
                "redis.password", redis.password(),
                "redis.timeout", "1s");
    }
}
