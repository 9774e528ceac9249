package dev.mkplat.local;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.mkplat.service.testing.PostgresFixture;
import dev.mkplat.service.testing.RedisFixture;

/**
 * Starts PostgreSQL (databases {@code api} and {@code auth}, each with its own role), Redis (with a
 * password) and fake-gcs-server, then writes one env file per service into the directory given as
 * the first argument ({@code api.env}, {@code auth.env}, {@code images.env}) and waits until the
 * process is stopped, when it stops them all. Data lives in temp directories and is gone after.
 */
public final class LocalDependencies {
    private LocalDependencies() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: LocalDependencies ENV_DIR   (fake-gcs-server from MKPLAT_GCS_EMULATOR)");
            System.exit(2);
        }
        Path envDir = Path.of(args[0]);
        String emulatorBinary = System.getenv("MKPLAT_GCS_EMULATOR");
        if (emulatorBinary == null || !Files.isExecutable(Path.of(emulatorBinary))) {
            System.err.println("run-local: MKPLAT_GCS_EMULATOR must name the fake-gcs-server binary (scripts/gcs-emulator path)");
            System.exit(2);
        }
        Files.createDirectories(envDir);

        List<AutoCloseable> running = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable closeable : running.reversed()) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    System.err.println("run-local: stopping " + closeable + ": " + e);
                }
            }
            stopped.countDown();
        }));

        log("starting PostgreSQL 17 ...");
        PostgresFixture postgres = PostgresFixture.create();
        running.add(postgres);
        PostgresFixture.Database apiDb = postgres.createDatabase("api");
        PostgresFixture.Database authDb = postgres.createDatabase("auth");

        log("starting Redis ...");
        RedisFixture redis = RedisFixture.create();
        running.add(redis);

        int gcsPort = freePort();
        log("starting fake-gcs-server on port " + gcsPort + " ...");
        Process gcs = new ProcessBuilder(emulatorBinary, "-scheme", "http", "-host", "127.0.0.1",
                "-port", Integer.toString(gcsPort), "-backend", "memory", "-log-level", "warn")
                .redirectErrorStream(true)
                .redirectOutput(envDir.resolve("gcs-emulator.log").toFile())
                .start();
        running.add(gcs::destroy);
        awaitHttp(URI.create("http://127.0.0.1:" + gcsPort + "/storage/v1/b"), Duration.ofSeconds(30));

        writeEnv(envDir.resolve("api.env"), database(apiDb));
        Map<String, String> auth = database(authDb);
        auth.put("REDIS_HOST", redis.host());
        auth.put("REDIS_PORT", Integer.toString(redis.port()));
        auth.put("REDIS_PASSWORD", redis.password());
        writeEnv(envDir.resolve("auth.env"), auth);
        Map<String, String> images = new LinkedHashMap<>();
        images.put("GCS_EMULATOR_HOST", "http://127.0.0.1:" + gcsPort);
        images.put("GCS_BUCKET", "mkplat-images");
        images.put("GCS_PROJECT_ID", "mkplat-local");
        writeEnv(envDir.resolve("images.env"), images);
        Files.writeString(envDir.resolve("ready"), Instant.now().toString());
        log("dependencies ready; env files in " + envDir);
        stopped.await();
    }

    private static Map<String, String> database(PostgresFixture.Database db) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DB_URL", db.url());
        env.put("DB_USER", db.user());
        env.put("DB_PASSWORD", db.password());
        return env;
    }

    private static void writeEnv(Path file, Map<String, String> env) throws IOException {
        StringBuilder text = new StringBuilder();
        env.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        // Passwords are in these files: readable by the owner only.
        Path temp = Files.createTempFile(file.getParent(), ".env", ".tmp",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, text);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void awaitHttp(URI uri, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.setReadTimeout(1000);
                if (connection.getResponseCode() < 500) {
                    return;
                }
            } catch (IOException notYet) {
                // The emulator is still starting.
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("fake-gcs-server did not answer at " + uri + " within " + timeout.toSeconds() + " s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void log(String message) {
        System.err.println("run-local: " + message);
    }
}
