package dev.mkplat.auth;

import dev.mkplat.auth.password.Argon2idHasher;
import dev.mkplat.auth.password.PasswordHashing;
import dev.mkplat.auth.redis.Redis;
import dev.mkplat.auth.redis.RedisSettings;
import dev.mkplat.service.db.Database;
import dev.mkplat.service.db.DatabaseConfig;
import dev.mkplat.service.metrics.ServiceMetrics;
import dev.mkplat.service.tracing.Tracing;
import io.helidon.config.Config;
import java.util.List;

/**
 * What the routes of one server instance share: metrics, tracing, the Postgres pool, the Redis pool
 * and the password hashing threads. None of them needs its dependency to be up to be created, so the
 * service starts (unready) while Postgres or Redis is down.
 */
record AuthDependencies(
        AuthSettings settings,
        ServiceMetrics metrics,
        Tracing tracing,
        Database database,
        Redis redis,
        PasswordHashing hashing)
        implements AutoCloseable {
    /** Where Flyway finds the schema of the users table, in a folder of its own (see api's Main). */
    static final String MIGRATIONS = "classpath:db/migration/auth";
    /** The default of {@code OTEL_SERVICE_NAME}: the name of the service in traces. */
    static final String SERVICE_NAME = "auth";

    static AuthDependencies open(Config config) {
        AuthSettings settings = AuthSettings.from(config);
        DatabaseConfig databaseConfig = DatabaseConfig.from(config.get("db"));
        RedisSettings redisSettings = RedisSettings.from(config.get("redis"));
        ServiceMetrics metrics = new ServiceMetrics();
        Tracing tracing = Tracing.start(config, SERVICE_NAME);
        PasswordHashing hashing = PasswordHashing.forThisMachine(new Argon2idHasher(Argon2idHasher.OWASP));
        Redis redis = Redis.connect(redisSettings);
        Database database = Database.start(databaseConfig, MIGRATIONS, metrics);
        return new AuthDependencies(settings, metrics, tracing, database, redis, hashing);
    }

    /** Closes everything, even when one of them fails to close. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (AutoCloseable resource : List.<AutoCloseable>of(hashing, redis, database, tracing)) {
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the auth service's dependencies failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
