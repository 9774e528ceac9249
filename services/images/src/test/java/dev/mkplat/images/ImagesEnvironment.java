package dev.mkplat.images;

import com.google.cloud.storage.Storage;
import dev.mkplat.service.testing.AuthStandIn;
import dev.mkplat.service.testing.ServiceEnvironment;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import java.util.HashMap;
import java.util.Map;

/**
 * What an images test runs against: the auth stand-in and Google's in-memory storage, and images
 * servers started by {@link Main#start(Config, Storage, boolean)} on that storage. Tests against
 * the GCS emulator take {@link #config} and start the service with {@link Main#start(Config)}.
 */
final class ImagesEnvironment extends ServiceEnvironment {
    static final String BUCKET = "images-test";

    final AuthStandIn auth;
    final Storage storage;

    private ImagesEnvironment() {
        this.auth = dependency(AuthStandIn.create());
        this.storage = InMemoryStorage.create();
    }

    /** Starts the auth stand-in; {@link #start} starts images on the in-memory storage. */
    static ImagesEnvironment create() {
        return new ImagesEnvironment();
    }

    @Override
    protected Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("gcs.bucket", BUCKET);
        settings.put("auth.url", auth.url());
        // Generous: a loaded machine's first verify can take over a second; the outage tests' auth
        // refuses connections, so they do not wait for this.
        settings.put("auth.timeout", "5s");
        settings.put("readiness.timeout", "2s");
        return settings;
    }

    /**
     * Without {@code application.yaml}: its {@code server.max-payload-size} of 11 MiB would hide
     * the room the service makes for a smaller {@code images.max.size}, which the tests set.
     */
    @Override
    protected Config defaults(Map<String, String> values) {
        return Config.just(ConfigSources.create(values));
    }

    @Override
    protected WebServer startService(Config config) {
        return Main.start(config, storage, false);
    }
}
