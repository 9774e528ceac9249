package dev.mkplat.service.db;

import dev.mkplat.service.ConfigValues;
import io.helidon.config.Config;
import java.time.Duration;

/**
 * Connection settings of a service's database, from the {@code db} config node
 * ({@code DB_URL}, {@code DB_USER}, {@code DB_PASSWORD}, {@code DB_POOL_SIZE},
 * {@code DB_CONNECT_TIMEOUT}, {@code DB_QUERY_TIMEOUT} in the environment).
 */
public record DatabaseConfig(
        String url, String user, String password, int poolSize, Duration connectTimeout, Duration queryTimeout) {
    public DatabaseConfig {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("db.url (DB_URL) must be a jdbc:postgresql: URL, got " + url);
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("db.pool.size (DB_POOL_SIZE) must be at least 1, got " + poolSize);
        }
    }

    public static DatabaseConfig from(Config db) {
        return new DatabaseConfig(
                db.get("url").asString().orElse(null),
                db.get("user").asString().orElse("postgres"),
                db.get("password").asString().orElse(""),
                db.get("pool.size").asInt().orElse(10),
                ConfigValues.duration(db.get("connect.timeout"), Duration.ofSeconds(2)),
                ConfigValues.duration(db.get("query.timeout"), Duration.ofSeconds(5)));
    }

    @Override
    public String toString() {
        // Never print the password: this record ends up in startup logs and exceptions.
        return "DatabaseConfig[url=" + url + ", user=" + user + ", poolSize=" + poolSize + "]";
    }
}
