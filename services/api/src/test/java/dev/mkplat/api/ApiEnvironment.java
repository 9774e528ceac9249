package dev.mkplat.api;

import dev.mkplat.service.testing.AuthStandIn;
import dev.mkplat.service.testing.PostgresFixture;
import dev.mkplat.service.testing.ServiceEnvironment;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import java.util.HashMap;
import java.util.Map;

/**
 * What an api test runs against: a real PostgreSQL and the auth stand-in, and api servers started
 * by {@link Main#start(Config)} with the test's settings over the service's {@code application.yaml}.
 */
public final class ApiEnvironment extends ServiceEnvironment {
    private final PostgresFixture postgres;
    private final PostgresFixture.Database database;
    private final AuthStandIn auth;

    private ApiEnvironment() {
        this.postgres = dependency(PostgresFixture.create());
        this.auth = dependency(AuthStandIn.create());
        this.database = postgres.createDatabase("api");
    }

    /** Starts PostgreSQL and the auth stand-in; {@link #start} starts api on them. */
    public static ApiEnvironment create() {
        return new ApiEnvironment();
    }

    @Override
    protected Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("db.url", database.url());
        settings.put("db.user", database.user());
        settings.put("db.password", database.password());
        settings.put("db.pool.size", "4");
        settings.put("db.connect.timeout", "1s");
        settings.put("db.query.timeout", "2s");
        settings.put("auth.url", auth.url());
        settings.put("auth.timeout", "1s");
        return settings;
    }

    @Override
    protected WebServer startService(Config config) {
        return Main.start(config);
    }

    public AuthStandIn auth() {
        return auth;
    }

    public PostgresFixture postgres() {
        return postgres;
    }
}
