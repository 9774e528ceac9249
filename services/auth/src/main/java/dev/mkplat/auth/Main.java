package dev.mkplat.auth;

import dev.mkplat.auth.sessions.LoginMetrics;
import dev.mkplat.auth.sessions.LoginThrottle;
import dev.mkplat.auth.sessions.SessionService;
import dev.mkplat.auth.sessions.SessionStore;
import dev.mkplat.auth.users.RegistrationLimit;
import dev.mkplat.auth.users.RegistrationService;
import dev.mkplat.auth.users.UserStore;
import dev.mkplat.service.ServiceServer;
import dev.mkplat.service.health.HealthService;
import dev.mkplat.service.http.Routes;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the auth service: {@code GET /}, health, metrics, OpenAPI, registration and sessions,
 * configured from {@code application.yaml} and environment variables.
 */
public final class Main {
    /**
     * The whole readiness probe must answer within this, below the kubelet's default probe timeout
     * of 1 s, so that a hung Postgres or Redis makes the pod unready instead of failing the probe by
     * timeout.
     */
    static final Duration READINESS_DEADLINE = Duration.ofMillis(800);

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        WebServer server = start(ServiceServer.loadConfig());
        LOG.info("auth listening on port {}", server.port());
    }

    /**
     * Builds the dependencies from {@code config} and starts the server. They are closed when the
     * server stops, so a stopped server leaves no pools or threads behind.
     */
    public static WebServer start(Config config) {
        AuthDependencies dependencies = AuthDependencies.open(config);
        try {
            LOG.info(
                    "session ttl {}, {}, forwarded addresses {}",
                    dependencies.settings().sessionTtl(),
                    dependencies.settings().loginPolicy(),
                    dependencies.settings().trustForwarded() ? "trusted" : "ignored");
            Routes routes = new Routes();
            return ServiceServer.start(config, dependencies.metrics(), routing -> {
                routing(routing, routes, dependencies);
                routing.addFeature(closeOnStop(dependencies));
            });
        } catch (RuntimeException e) {
            dependencies.close();
            throw e;
        }
    }

    /** Every route of the service, in the order they must be registered (the 404/405 fallback last). */
    static void routing(HttpRouting.Builder routing, Routes routes, AuthDependencies dependencies) {
        AuthSettings settings = dependencies.settings();
        UserStore users = new UserStore(dependencies.database());
        SessionStore sessions = new SessionStore(dependencies.redis(), settings.sessionTtl(), Clock.systemUTC());
        LoginThrottle throttle = new LoginThrottle(dependencies.redis(), settings.loginPolicy());

        ServiceServer.commonRouting(routing, routes, dependencies.metrics(), dependencies.tracing());
        routes.register(routing, GreetingService.PATH, new GreetingService());
        routes.register(
                routing,
                HealthService.PATH,
                new HealthService(
                        List.of(
                                dependencies.database().readinessCheck(),
                                dependencies.redis().readinessCheck()),
                        READINESS_DEADLINE));
        routes.register(
                routing,
                RegistrationService.PATH,
                new RegistrationService(
                        users,
                        dependencies.hashing(),
                        new RegistrationLimit(dependencies.redis(), settings.registrationPolicy()),
                        settings.trustForwarded()));
        routes.register(
                routing,
                SessionService.PATH,
                new SessionService(
                        users,
                        dependencies.hashing(),
                        sessions,
                        throttle,
                        new LoginMetrics(dependencies.metrics()),
                        settings.trustForwarded()));
        ServiceServer.finish(routing, routes);
    }

    private static HttpFeature closeOnStop(AuthDependencies dependencies) {
        return new HttpFeature() {
            @Override
            public void setup(HttpRouting.Builder routing) {
                // No routes: this feature exists only for the server's stop event.
            }

            @Override
            public void afterStop() {
                dependencies.close();
            }
        };
    }
}
