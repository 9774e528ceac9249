package dev.mkplat.api;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.mkplat.service.testing.AuthStandIn;
import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.PostgresFixture;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;

import static org.awaitility.Awaitility.await;

/**
 * What an api integration test runs against: a real PostgreSQL, the auth stand-in, and the api
 * server started by {@link Main#start(Config)} with the service's {@code application.yaml} as the
 * defaults under the test's own settings.
 */
public final class ApiEnvironment implements AutoCloseable {
    private final PostgresFixture postgres;
    private final PostgresFixture.Database database;
    private final AuthStandIn auth;
    private final Map<String, String> settings;
    private WebServer server;
    private HttpTestClient client;

    private ApiEnvironment(PostgresFixture postgres, AuthStandIn auth, Map<String, String> overrides) {
        this.postgres = postgres;
        this.auth = auth;
        this.database = postgres.createDatabase("api");
        this.settings = new HashMap<>();
        settings.put("server.port", "0");
        settings.put("metrics.port", "0");
        settings.put("server.host", "127.0.0.1");
        settings.put("db.url", database.url());
        settings.put("db.user", database.user());
        settings.put("db.password", database.password());
        settings.put("db.pool.size", "4");
        settings.put("db.connect.timeout", "1s");
        settings.put("db.query.timeout", "2s");
        settings.put("auth.url", auth.url());
        settings.put("auth.timeout", "1s");
        settings.putAll(overrides);
    }

    /** Starts Postgres, the auth stand-in and api, and waits until api is ready. */
    public static ApiEnvironment start() {
        return start(Map.of());
    }

    /** As {@link #start()}, with config keys (e.g. {@code auth.cache.ttl}) overridden. */
    public static ApiEnvironment start(Map<String, String> overrides) {
        PostgresFixture postgres = PostgresFixture.create();
        AuthStandIn auth = AuthStandIn.create();
        ApiEnvironment environment = new ApiEnvironment(postgres, auth, overrides);
        environment.startApi();
        return environment;
    }

    public Config config() {
        return config(Map.of());
    }

    /** The api's config with some keys changed, e.g. to start a second server on another database. */
    public Config config(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(settings);
        merged.putAll(overrides);
        return Config.just(ConfigSources.create(merged), ConfigSources.classpath("application.yaml"));
    }

    /** The service's /metrics, scraped from its metrics port. */
    public String metrics() {
        return dev.mkplat.service.testing.MetricsScrape.of(server);
    }

    public HttpTestClient client() {
        return client;
    }

    public AuthStandIn auth() {
        return auth;
    }

    public PostgresFixture postgres() {
        return postgres;
    }

    public int port() {
        return server.port();
    }

    /** Stops the api server and starts a new one on the same database (the port may change). */
    public void restartApi() {
        server.stop();
        startApi();
    }

    private void startApi() {
        server = Main.start(config());
        client = new HttpTestClient("http://127.0.0.1:" + server.port());
        await().atMost(Duration.ofSeconds(60)).until(() -> client.get("/readyz").status() == 200);
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
        auth.close();
        postgres.close();
    }
}
