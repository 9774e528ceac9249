package dev.mkplat.api;

import dev.mkplat.api.items.ItemService;
import dev.mkplat.api.items.ItemStore;
import dev.mkplat.service.ServiceServer;
import dev.mkplat.service.auth.TokenVerifier;
import dev.mkplat.service.db.Database;
import dev.mkplat.service.db.DatabaseConfig;
import dev.mkplat.service.health.HealthService;
import dev.mkplat.service.http.Routes;
import dev.mkplat.service.metrics.ServiceMetrics;
import dev.mkplat.service.tracing.Tracing;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the api service: {@code GET /}, health, metrics, OpenAPI and the {@code /items} resource,
 * configured from {@code application.yaml} and environment variables.
 */
public final class Main {
    /** Where Flyway finds the schema of the items table: a folder of its own, because Flyway scans
     * every jar on the classpath and two services started in one JVM (the cross-service test)
     * would otherwise see each other's V1. */
    static final String MIGRATIONS = "classpath:db/migration/api";
    /**
     * The whole readiness probe must answer within this, below the kubelet's default probe timeout
     * of 1 s, so that a hung Postgres makes the pod unready instead of failing the probe by timeout.
     */
    static final Duration READINESS_DEADLINE = Duration.ofMillis(800);

    /** The default of {@code OTEL_SERVICE_NAME}: the name of the service in traces. */
    static final String SERVICE_NAME = "api";

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        WebServer server = start(ServiceServer.loadConfig());
        LOG.info("api {} listening on port {}", ServiceInfo.fromBuild().version(), server.port());
    }

    /**
     * Builds the dependencies from {@code config} and starts the server. The database pool is
     * closed when the server stops, so a stopped server leaves nothing running behind it.
     */
    public static WebServer start(Config config) {
        ServiceMetrics metrics = new ServiceMetrics();
        Tracing tracing = Tracing.start(config, SERVICE_NAME);
        Database database = Database.start(DatabaseConfig.from(config.get("db")), MIGRATIONS, metrics);
        try {
            TokenVerifier verifier = TokenVerifier.from(config.get("auth"), tracing);
            Routes routes = new Routes();
            return ServiceServer.start(config, metrics, routing -> {
                routing(routing, routes, metrics, tracing, database, verifier);
                routing.addFeature(closeOnStop(database, tracing));
            });
        } catch (RuntimeException e) {
            database.close();
            tracing.close();
            throw e;
        }
    }

    /** Every route of the service, in the order they must be registered (the 404/405 fallback last). */
    static void routing(
            HttpRouting.Builder routing,
            Routes routes,
            ServiceMetrics metrics,
            Tracing tracing,
            Database database,
            TokenVerifier verifier) {
        ServiceServer.commonRouting(routing, routes, metrics, tracing);
        routes.register(routing, InfoService.PATH, new InfoService(ServiceInfo.fromBuild()));
        routes.register(
                routing, HealthService.PATH, new HealthService(List.of(database.readinessCheck()), READINESS_DEADLINE));
        routes.register(routing, ItemService.PATH, new ItemService(new ItemStore(database), verifier, metrics));
        ServiceServer.finish(routing, routes);
    }

    private static HttpFeature closeOnStop(Database database, Tracing tracing) {
        return new HttpFeature() {
            @Override
            public void setup(HttpRouting.Builder routing) {
                // No routes: this feature exists only for the server's stop event.
            }

            @Override
            public void afterStop() {
                database.close();
                tracing.close();
            }
        };
    }
}
