package dev.mkplat.e2e;

import static org.awaitility.Awaitility.await;

import dev.mkplat.service.ServiceServer;
import dev.mkplat.service.testing.GcsEmulatorFixture;
import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.PostgresFixture;
import dev.mkplat.service.testing.RedisFixture;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The three services on loopback with real PostgreSQL, Redis and fake-gcs-server, each service
 * with its own HTTP and metrics ports, ready when built. {@code extra} settings (per service, by
 * config key) tune them for a test, for example a short session TTL.
 */
final class LocalPlatform implements AutoCloseable {
    private final List<AutoCloseable> fixtures = new ArrayList<>();
    private final Map<String, WebServer> servers = new LinkedHashMap<>();

    private LocalPlatform() {}

    /** Starts everything; {@code extra} maps a service name (auth, api, images) to config keys and values. */
    static LocalPlatform start(Path emulator, Path logDir, Map<String, Map<String, String>> extra) {
        LocalPlatform platform = new LocalPlatform();
        try {
            PostgresFixture postgres = platform.keep(PostgresFixture.create());
            RedisFixture redis = platform.keep(RedisFixture.create());
            GcsEmulatorFixture gcs =
                    platform.keep(GcsEmulatorFixture.on(emulator, null, logDir).start());

            Map<String, String> auth = server(extra, "auth");
            database(auth, postgres.createDatabase("auth"));
            auth.put("redis.host", redis.host());
            auth.put("redis.port", Integer.toString(redis.port()));
            auth.put("redis.password", redis.password());
            platform.servers.put("auth", dev.mkplat.auth.Main.start(config(auth)));
            String authUrl = platform.url("auth");

            Map<String, String> api = server(extra, "api");
            database(api, postgres.createDatabase("api"));
            api.putIfAbsent("auth.url", authUrl);
            platform.servers.put("api", dev.mkplat.api.Main.start(config(api)));

            Map<String, String> images = server(extra, "images");
            images.put("gcs.emulator.host", gcs.url());
            images.putIfAbsent("gcs.bucket", "mkplat-e2e");
            images.putIfAbsent("auth.url", authUrl);
            platform.servers.put("images", dev.mkplat.images.Main.start(config(images)));

            for (String name : platform.servers.keySet()) {
                HttpTestClient client = platform.client(name);
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> client.get("/readyz").status() == 200);
            }
            return platform;
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T keep(T fixture) {
        fixtures.add(fixture);
        return fixture;
    }

    String url(String service) {
        return "http://127.0.0.1:" + servers.get(service).port();
    }

    HttpTestClient client(String service) {
        return new HttpTestClient(url(service));
    }

    /** The port of the service's own metrics socket, which Prometheus scrapes. */
    int metricsPort(String service) {
        return servers.get(service).port(ServiceServer.METRICS_SOCKET);
    }

    /** Stops one service, as a crashed pod would be gone. */
    void stop(String service) {
        servers.get(service).stop();
    }

    private static Map<String, String> server(Map<String, Map<String, String>> extra, String service) {
        Map<String, String> values = new HashMap<>();
        values.put("server.port", "0");
        values.put("metrics.port", "0");
        values.put("server.host", "127.0.0.1");
        values.putAll(extra.getOrDefault(service, Map.of()));
        return values;
    }

    private static void database(Map<String, String> values, PostgresFixture.Database db) {
        values.put("db.url", db.url());
        values.put("db.user", db.user());
        values.put("db.password", db.password());
    }

    private static Config config(Map<String, String> values) {
        return Config.just(ConfigSources.create(values));
    }

    @Override
    public void close() {
        for (WebServer server : servers.values().stream().toList().reversed()) {
            if (server.isRunning()) {
                server.stop();
            }
        }
        for (AutoCloseable fixture : fixtures.reversed()) {
            try {
                fixture.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
