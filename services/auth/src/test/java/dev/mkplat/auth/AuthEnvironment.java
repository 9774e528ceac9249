package dev.mkplat.auth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.PostgresFixture;
import dev.mkplat.service.testing.RedisFixture;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;

import static org.awaitility.Awaitility.await;

/**
 * A real PostgreSQL and a real Redis for one test class, and auth servers started on them with
 * {@link Main#start} exactly as in production, with the test's settings over application.yaml.
 */
final class AuthTestEnvironment implements AutoCloseable {
    final PostgresFixture postgres;
    final RedisFixture redis;
    final PostgresFixture.Database database;
    /** Servers {@link #start} made, stopped by {@link #close} before the fixtures they use. */
    private final List<WebServer> servers = new ArrayList<>();

    private AuthTestEnvironment(PostgresFixture postgres, RedisFixture redis) {
        this.postgres = postgres;
        this.redis = redis;
        this.database = postgres.createDatabase("auth");
    }

    static AuthTestEnvironment create() {
        return new AuthTestEnvironment(PostgresFixture.create(), RedisFixture.create());
    }

    /** The service's configuration against these fixtures; {@code overrides} are key, value pairs. */
    Config config(String... overrides) {
        return config(redis, overrides);
    }

    /** The same, but against another Redis. */
    Config config(RedisFixture otherRedis, String... overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("server.port", "0");
        values.put("metrics.port", "0");
        values.put("server.host", "127.0.0.1");
        values.put("db.url", database.url());
        values.put("db.user", database.user());
        values.put("db.password", database.password());
        values.put("db.connect.timeout", "1s");
        values.put("db.query.timeout", "2s");
        values.put("redis.host", otherRedis.host());
        values.put("redis.port", Integer.toString(otherRedis.port()));
        values.put("redis.password", otherRedis.password());
        values.put("redis.timeout", "1s");
        for (int i = 0; i < overrides.length; i += 2) {
            values.put(overrides[i], overrides[i + 1]);
        }
        return Config.builder()
                .sources(ConfigSources.create(values), ConfigSources.classpath("application.yaml"))
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .build();
    }

    /** Starts a server and waits until it is ready (the migrations run in the background). */
    WebServer start(String... overrides) {
        WebServer server = startReady(config(overrides));
        servers.add(server);
        return server;
    }

    static WebServer startReady(Config config) {
        WebServer server = Main.start(config);
        HttpTestClient client = client(server);
        await().atMost(Duration.ofSeconds(60)).until(() -> client.get("/readyz").status() == 200);
        return server;
    }

    static HttpTestClient client(WebServer server) {
        return new HttpTestClient("http://127.0.0.1:" + server.port());
    }

    @Override
    public void close() {
        try {
            servers.forEach(WebServer::stop);
            redis.close();
        } finally {
            postgres.close();
        }
    }
}
