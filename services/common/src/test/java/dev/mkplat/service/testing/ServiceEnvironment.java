package dev.mkplat.service.testing;

import static org.awaitility.Awaitility.await;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a service's tests run against, the same shape for the three services: the real
 * dependencies a subclass starts in its {@code create()}, the service's configuration pointed at
 * them ({@link #config}), and servers started as in production and waited for until ready
 * ({@link #start}). {@link #close} stops the servers first, then the dependencies, newest first.
 */
public abstract class ServiceEnvironment implements AutoCloseable {
    /** How long a server may take to answer {@code /readyz} with 200: migrations run in the background. */
    public static final Duration READY_WITHIN = Duration.ofSeconds(60);

    private final Deque<AutoCloseable> dependencies = new ArrayDeque<>();
    private final List<WebServer> servers = new ArrayList<>();

    /** The keys that point the service at this environment's dependencies, e.g. {@code db.url}. */
    protected abstract Map<String, String> settings();

    /** Starts the service on {@code config} the way its {@code Main} does. */
    protected abstract WebServer startService(Config config);

    /** What the settings override: by default the service's own {@code application.yaml}. */
    protected Config defaults(Map<String, String> values) {
        return Config.just(ConfigSources.create(values), ConfigSources.classpath("application.yaml"));
    }

    /** Closes {@code dependency} when the environment closes, after the servers and the newer dependencies. */
    protected final <T extends AutoCloseable> T dependency(T dependency) {
        dependencies.push(dependency);
        return dependency;
    }

    /** The service's configuration against these dependencies; {@code overrides} are key, value pairs. */
    public Config config(String... overrides) {
        if (overrides.length % 2 != 0) {
            throw new IllegalArgumentException("overrides are key, value pairs");
        }
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < overrides.length; i += 2) {
            map.put(overrides[i], overrides[i + 1]);
        }
        return config(map);
    }

    /** The same, with the overrides as a map. */
    public Config config(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("server.port", "0");
        values.put("metrics.port", "0");
        values.put("server.host", "127.0.0.1");
        values.putAll(settings());
        values.putAll(overrides);
        return defaults(values);
    }

    /** Starts a server with {@code overrides} and waits until it is ready; {@link #close} stops it. */
    public WebServer start(String... overrides) {
        return start(config(overrides));
    }

    /** Starts a server on {@code config} and waits until it is ready; {@link #close} stops it. */
    public WebServer start(Config config) {
        WebServer server = startService(config);
        servers.add(server);
        HttpTestClient client = client(server);
        await().atMost(READY_WITHIN).until(() -> client.get("/readyz").status() == 200);
        return server;
    }

    /** A client for {@code server}'s service port. */
    public static HttpTestClient client(WebServer server) {
        return new HttpTestClient("http://127.0.0.1:" + server.port());
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (WebServer server : servers) {
            if (server.isRunning()) {
                server.stop();
            }
        }
        while (!dependencies.isEmpty()) {
            try {
                dependencies.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing a test dependency failed", e);
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
