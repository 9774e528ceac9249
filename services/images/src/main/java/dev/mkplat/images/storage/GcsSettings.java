package dev.mkplat.images.storage;

import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.FixedHeaderProvider;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import dev.mkplat.service.ConfigValues;
import io.helidon.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the images live and how to reach it, from the {@code gcs} config node:
 * {@code bucket} ({@code GCS_BUCKET}), {@code project.id} ({@code GCS_PROJECT_ID}),
 * {@code credentials.file} ({@code GCS_CREDENTIALS_FILE}), {@code emulator.host}
 * ({@code GCS_EMULATOR_HOST}), {@code timeout} ({@code GCS_TIMEOUT}) and {@code connect.timeout}
 * ({@code GCS_CONNECT_TIMEOUT}).
 *
 * @param emulatorHost when present, an emulator such as fake-gcs-server: no credentials, and the
 *                     bucket is created at start
 * @param timeout      the socket read timeout of one call, and the total time spent retrying one
 *                     operation: an unreachable GCS is a 503 after at most about this long
 */
public record GcsSettings(
        String bucket,
        Optional<String> projectId,
        Optional<Path> credentialsFile,
        Optional<URI> emulatorHost,
        Duration connectTimeout,
        Duration timeout) {
    public static final String DEFAULT_BUCKET = "mkplat-images";
    /** The project id used against an emulator when none is configured (the emulator ignores it). */
    public static final String EMULATOR_PROJECT = "mkplat-local";

    static final String USER_AGENT = "mkplat-images";

    public static GcsSettings from(Config gcs) {
        return new GcsSettings(
                text(gcs.get("bucket")).orElse(DEFAULT_BUCKET),
                text(gcs.get("project.id")),
                text(gcs.get("credentials.file")).map(Path::of),
                text(gcs.get("emulator.host")).map(GcsSettings::emulatorUri),
                ConfigValues.duration(gcs.get("connect.timeout"), Duration.ofSeconds(2)),
                ConfigValues.duration(gcs.get("timeout"), Duration.ofSeconds(5)));
    }

    /** True when talking to an emulator. */
    public boolean emulated() {
        return emulatorHost.isPresent();
    }

    /**
     * A client with short timeouts and few retries. The {@code STORAGE_EMULATOR_HOST} variable that
     * other languages' clients read does nothing in Java, so the emulator is set as the host here.
     */
    public Storage createStorage() {
        HttpStorageOptions.Builder options = StorageOptions.http()
                // Names the client in GCS's request logs (and silences the client's "Application
                // name is not set" warning on every request).
                .setHeaderProvider(FixedHeaderProvider.create("user-agent", USER_AGENT))
                .setTransportOptions(HttpTransportOptions.newBuilder()
                        .setConnectTimeout(millis(connectTimeout))
                        .setReadTimeout(millis(timeout))
                        .build())
                .setRetrySettings(RetrySettings.newBuilder()
                        .setMaxAttempts(3)
                        .setInitialRetryDelayDuration(Duration.ofMillis(100))
                        .setRetryDelayMultiplier(2.0)
                        .setMaxRetryDelayDuration(Duration.ofSeconds(1))
                        .setTotalTimeoutDuration(timeout)
                        .build());
        if (emulatorHost.isPresent()) {
            options.setHost(emulatorHost.get().toString())
                    .setProjectId(projectId.orElse(EMULATOR_PROJECT))
                    .setCredentials(NoCredentials.getInstance());
        } else {
            projectId.ifPresent(options::setProjectId);
            // Without a file: Application Default Credentials (the GKE workload identity, or
            // GOOGLE_APPLICATION_CREDENTIALS), looked up by the client itself.
            credentialsFile.ifPresent(file -> options.setCredentials(readCredentials(file)));
        }
        return options.build().getService();
    }

    private static GoogleCredentials readCredentials(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return GoogleCredentials.fromStream(in);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "GCS_CREDENTIALS_FILE " + file + " cannot be read as a service-account JSON key: " + e.getMessage(),
                    e);
        }
    }

    private static URI emulatorUri(String host) {
        // Accept "localhost:4443" as well as "http://localhost:4443".
        String url = host.contains("://") ? host : "http://" + host;
        URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        if (uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException(
                    "GCS_EMULATOR_HOST must look like http://localhost:4443, got '" + host + "'");
        }
        return uri;
    }

    private static Optional<String> text(Config node) {
        return node.asString().asOptional().map(String::trim).filter(value -> !value.isEmpty());
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, duration.toMillis()));
    }
}
