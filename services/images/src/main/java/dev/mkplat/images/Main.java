package dev.mkplat.images;

import com.google.cloud.storage.Storage;
import dev.mkplat.images.storage.GcsSettings;
import dev.mkplat.images.storage.ImageStore;
import dev.mkplat.images.upload.UploadBudget;
import dev.mkplat.service.ConfigValues;
import dev.mkplat.service.ServiceServer;
import dev.mkplat.service.auth.TokenVerifier;
import dev.mkplat.service.health.HealthService;
import dev.mkplat.service.http.Routes;
import dev.mkplat.service.metrics.ServiceMetrics;
import dev.mkplat.service.tracing.Tracing;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the images service (port 8080). */
public final class Main {
    /** {@code IMAGES_MAX_SIZE}'s default: 10 MiB. */
    static final int DEFAULT_MAX_SIZE = 10 * 1024 * 1024;
    /** Room for a multipart form's boundaries and part headers on top of the image itself. */
    static final long MULTIPART_ALLOWANCE = 1024 * 1024;

    /** The default of {@code OTEL_SERVICE_NAME}: the name of the service in traces. */
    static final String SERVICE_NAME = "images";

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    // Byte arrays cannot be much larger, and nobody needs images this big.
    private static final long MAX_MAX_SIZE = 1024L * 1024 * 1024;

    private Main() {}

    public static void main(String[] args) {
        start(ServiceServer.loadConfig());
    }

    /** Builds the GCS client from {@code config} and starts the server; the client closes with it. */
    public static WebServer start(Config config) {
        GcsSettings gcs = GcsSettings.from(config.get("gcs"));
        Storage storage = gcs.createStorage();
        LOG.info(
                "images: bucket {} on {}",
                gcs.bucket(),
                gcs.emulatorHost().map(uri -> "the emulator at " + uri).orElse("Google Cloud Storage"));
        return start(config, storage, gcs.emulated(), true);
    }

    /**
     * Starts the server on an existing client (tests pass Google's in-memory storage). With
     * {@code createBucket} the bucket is created in the background, as against an emulator.
     */
    static WebServer start(Config config, Storage storage, boolean createBucket) {
        return start(config, storage, createBucket, false);
    }

    private static WebServer start(Config config, Storage storage, boolean createBucket, boolean ownsStorage) {
        int maxBytes = maxSize(config.get("images.max.size"));
        String bucket = GcsSettings.from(config.get("gcs")).bucket();
        ServiceMetrics metrics = new ServiceMetrics();
        Tracing tracing = Tracing.start(config, SERVICE_NAME);
        ImageStore store = ImageStore.open(storage, bucket, createBucket);
        TokenVerifier verifier = TokenVerifier.from(config.get("auth"), tracing);
        HealthService health = new HealthService(
                List.of(store.readinessCheck()),
                ConfigValues.duration(config.get("readiness.timeout"), Duration.ofSeconds(2)));
        UploadBudget budget = new UploadBudget(
                config.get("images.upload.budget").asLong().orElseGet(() -> UploadBudget.defaultBytes(maxBytes)));
        ImageService images = new ImageService(store, verifier, maxBytes, budget, metrics);
        Routes routes = new Routes();
        return ServiceServer.start(withPayloadRoom(config, maxBytes), metrics, routing -> {
            routing(routing, routes, metrics, tracing, health, images);
            routing.addFeature(new Shutdown(store, ownsStorage ? storage : null, tracing));
        });
    }

    /** The routes of the service, shared by {@link #start} and the tests. */
    static void routing(
            HttpRouting.Builder routing,
            Routes routes,
            ServiceMetrics metrics,
            Tracing tracing,
            HealthService health,
            ImageService images) {
        ServiceServer.commonRouting(routing, routes, metrics, tracing);
        routes.register(routing, HealthService.PATH, health);
        routes.register(routing, ImageService.PATH, images);
        ServiceServer.finish(routing, routes);
    }

    static int maxSize(Config node) {
        long value = node.asLong().orElse((long) DEFAULT_MAX_SIZE);
        if (value < 1 || value > MAX_MAX_SIZE) {
            throw new IllegalArgumentException("IMAGES_MAX_SIZE must be 1 to " + MAX_MAX_SIZE + " bytes, got " + value);
        }
        return (int) value;
    }

    /**
     * Helidon refuses bodies over {@code server.max-payload-size} before any handler runs; it must
     * leave room for an image of {@code IMAGES_MAX_SIZE} in a multipart form, so a limit raised
     * through {@code IMAGES_MAX_SIZE} alone raises it too.
     */
    static Config withPayloadRoom(Config config, int maxBytes) {
        long needed = maxBytes + MULTIPART_ALLOWANCE;
        long configured = config.get("server.max-payload-size").asLong().orElse(-1L);
        if (configured >= needed) {
            return config;
        }
        return Config.just(
                ConfigSources.create(Map.of("server.max-payload-size", Long.toString(needed))),
                ConfigSources.create(config));
    }

    /** Stops the background bucket creation, closes the client and flushes the spans when the server stops. */
    private record Shutdown(ImageStore store, Storage ownedStorage, Tracing tracing) implements HttpFeature {
        @Override
        public void setup(HttpRouting.Builder routing) {}

        @Override
        public void afterStop() {
            store.close();
            if (ownedStorage != null) {
                try {
                    ownedStorage.close();
                } catch (Exception e) {
                    LOG.warn("closing the GCS client failed: {}", e.toString());
                }
            }
            tracing.close();
        }
    }
}
