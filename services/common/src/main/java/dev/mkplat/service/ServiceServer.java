package dev.mkplat.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mkplat.service.http.Json;
import dev.mkplat.service.http.JsonDirectHandler;
import dev.mkplat.service.http.RequestObserver;
import dev.mkplat.service.http.Routes;
import dev.mkplat.service.logging.Slf4jLoggingProvider;
import dev.mkplat.service.metrics.ServiceMetrics;
import dev.mkplat.service.tracing.Tracing;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Starts a service the same way for all three: configuration from {@code application.yaml}
 * overridden by environment variables ({@code DB_URL} overrides {@code db.url}), JSON logs, JSON
 * errors even for requests the server rejects before routing.
 */
public final class ServiceServer {
    public static final String METRICS_PATH = "/metrics";
    /** The name of the socket that serves {@link #METRICS_PATH}. */
    public static final String METRICS_SOCKET = "metrics";

    public static final String OPENAPI_PATH = "/openapi";

    private ServiceServer() {}

    /** Helidon's default sources: system properties, then environment variables, then {@code application.yaml}. */
    public static Config loadConfig() {
        routeJulToSlf4j();
        return Config.create();
    }

    /**
     * Starts a server on {@code config}'s {@code server} node with {@code routing}, and
     * {@code /metrics} of {@code metrics} on a socket of its own, {@value #METRICS_SOCKET}, on
     * {@code metrics.port} ({@code METRICS_PORT}; 0 or unset: any free port).
     *
     * <p>Why a port of its own: the service port is what the Ingress publishes, and metrics
     * (routes, counts, JVM details) are for Prometheus inside the cluster only. The metrics socket
     * has no access log and does not count in the request metrics, so scrapes do not show up as traffic.
     */
    public static WebServer start(Config config, ServiceMetrics metrics, Consumer<HttpRouting.Builder> routing) {
        routeJulToSlf4j();
        DirectHandler json = new JsonDirectHandler();
        int metricsPort = config.get("metrics.port").asInt().orElse(0);
        String host = config.get("server.host").asString().orElse("0.0.0.0");
        Routes metricsRoutes = new Routes();
        return WebServer.builder()
                .config(config.get("server"))
                .directHandlers(handlers -> {
                    for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
                        handlers.addHandler(type, json);
                    }
                })
                .routing(routing)
                .putSocket(METRICS_SOCKET, socket -> socket.port(metricsPort).host(host))
                .routing(METRICS_SOCKET, rules -> {
                    metricsRoutes.register(
                            rules, METRICS_PATH, metricsRules -> metricsRules.get("/", metrics::scrapeHandler));
                    metricsRoutes.fallback(rules);
                })
                .build()
                .start();
    }

    /**
     * The routes every service has besides its own on the service port: the request observer
     * (request id, server span, access log, latency) and {@code /openapi} (the service's
     * {@code openapi.yaml}). {@code /metrics} is on the metrics socket ({@link #start}).
     */
    public static void commonRouting(
            HttpRouting.Builder routing, Routes routes, ServiceMetrics metrics, Tracing tracing) {
        routing.addFilter(new RequestObserver(metrics, tracing));
        byte[] openapi = classpathResource("openapi.yaml");
        byte[] openapiJson = yamlAsJson(openapi);
        routes.register(
                routing,
                OPENAPI_PATH,
                rules -> rules.get("/", (req, res) -> {
                    // YAML unless the client prefers JSON; both are in the document's own /openapi entry.
                    boolean json = req.headers()
                            .bestAccepted(MediaTypes.APPLICATION_YAML, MediaTypes.APPLICATION_JSON)
                            .filter(MediaTypes.APPLICATION_JSON::equals)
                            .isPresent();
                    res.header(HeaderNames.CONTENT_TYPE, json ? "application/json" : "application/yaml");
                    res.send(json ? openapiJson : openapi);
                }));
    }

    /** Registers the fallback for unknown routes; call it after every other route. */
    public static void finish(HttpRules rules, Routes routes) {
        routes.fallback(rules);
    }

    /** The OpenAPI document as JSON, for clients that ask for it (Swagger UI and most generators read either). */
    static byte[] yamlAsJson(byte[] yaml) {
        Object document =
                new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(yaml, StandardCharsets.UTF_8));
        try {
            return Json.MAPPER.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("openapi.yaml cannot be written as JSON", e);
        }
    }

    static byte[] classpathResource(String name) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void routeJulToSlf4j() {
        Slf4jLoggingProvider.install();
    }
}
