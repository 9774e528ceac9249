package dev.mkplat.local;

import dev.mkplat.service.testing.GcsEmulatorFixture;
import dev.mkplat.service.testing.PostgresFixture;
import dev.mkplat.service.testing.RedisFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Starts PostgreSQL (databases {@code api} and {@code auth}, each with its own role), Redis (with a
 * password) and fake-gcs-server, then writes one env file per service into the directory given as
 * the first argument ({@code api.env}, {@code auth.env}, {@code images.env}) and waits until the
 * process is stopped, when it stops them all. Data lives in temp directories and is gone after.
 */
public final class LocalDependencies {
    private LocalDependencies() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: LocalDependencies ENV_DIR   (fake-gcs-server from MKPLAT_GCS_EMULATOR)");
            System.exit(2);
        }
        Path envDir = Path.of(args[0]);
        String emulatorBinary = System.getenv("MKPLAT_GCS_EMULATOR");
        if (emulatorBinary == null || !Files.isExecutable(Path.of(emulatorBinary))) {
            System.err.println(
                    "run-local: MKPLAT_GCS_EMULATOR must name the fake-gcs-server binary (scripts/gcs-emulator path)");
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

        log("starting fake-gcs-server ...");
        GcsEmulatorFixture gcs =
                GcsEmulatorFixture.on(Path.of(emulatorBinary), null, envDir).start();
        running.add(gcs);

        writeEnv(envDir.resolve("api.env"), database(apiDb));
        Map<String, String> auth = database(authDb);
        auth.put("REDIS_HOST", redis.host());
        auth.put("REDIS_PORT", Integer.toString(redis.port()));
        auth.put("REDIS_PASSWORD", redis.password());
        writeEnv(envDir.resolve("auth.env"), auth);
        Map<String, String> images = new LinkedHashMap<>();
        images.put("GCS_EMULATOR_HOST", gcs.url());
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
        Path temp = Files.createTempFile(
                file.getParent(),
                ".env",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, text);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void log(String message) {
        System.err.println("run-local: " + message);
    }
}
