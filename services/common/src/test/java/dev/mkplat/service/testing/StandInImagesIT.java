package dev.mkplat.service.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The stand-in images that {@code scripts/images standins} makes for offline machines, run by runc
 * the way the manifests run the real ones: the manifests' own image names, users, environment,
 * commands, init script, mounts and probe commands, read from manifests/db and manifests/infra.
 * Only the ports differ: the containers share the host's network, so each listens on a free port.
 */
class StandInImagesIT {
    /** The directory with postgres.tar, redis.tar and fake-gcs-server.tar; scripts/test sets it. */
    static final String STANDINS_ENV = "MKPLAT_TEST_STANDINS";

    private static final Path MANIFESTS = Path.of("..", "..", "manifests");

    @TempDir
    Path work;

    @Test
    void postgresInitialisesLikeTheOfficialImageAndAnswersTheProbe() throws Exception {
        Map<String, Object> container = container(MANIFESTS.resolve("db/statefulset.yaml"), "postgres");
        ImageArchive image = standIn("postgres", "docker.io/library/" + container.get("image"));

        int port = ServiceImage.freePort();
        Path data = owned(work.resolve("data"), 999, 999);
        Path secrets = owned(work.resolve("secrets"), 0, 999);
        String admin = secret(secrets, "admin-password", 999);
        String api = secret(secrets, "api-password", 999);
        secret(secrets, "auth-password", 999);
        Path initdb = Files.createDirectories(work.resolve("initdb"));
        configMapData(MANIFESTS.resolve("db/configmap-initdb.yaml"))
                .forEach((name, text) -> write(initdb.resolve(name), text));

        List<String> args = new ArrayList<>(strings(container.get("args")));
        args.addAll(List.of("-c", "port=" + port));
        RuncContainer.Spec spec = RuncContainer.of(image)
                .args(args.toArray(String[]::new))
                .user("999:999")
                .mount(data, "/var/lib/postgresql/data", false)
                .mount(initdb, "/docker-entrypoint-initdb.d", true)
                .mount(secrets, "/run/secrets/postgres", true)
                .tmpfs("/var/run/postgresql");
        env(container).forEach(spec::env);
        try (RuncContainer postgres = spec.start(work)) {
            // The manifests' probe, on this container's port.
            String[] probe = strings(probeCommand(container)).stream()
                    .map(a -> a.equals("--port=5432") ? "--port=" + port : a)
                    .toArray(String[]::new);
            awaitProbe(postgres, "999:999", probe);

            String url = "jdbc:postgresql://127.0.0.1:" + port + "/";
            try (Connection c = DriverManager.getConnection(url + "api", "api", api);
                    Statement s = c.createStatement()) {
                assertThat(query(s, "SHOW max_connections")).isEqualTo("120");
                assertThat(query(s, "SHOW data_checksums")).isEqualTo("on");
            }
            // The init script revoked CONNECT from PUBLIC on the other service's database.
            assertThatThrownBy(() -> DriverManager.getConnection(url + "auth", "api", api)
                            .close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
            try (Connection c = DriverManager.getConnection(url + "postgres", "postgres", admin);
                    Statement s = c.createStatement()) {
                assertThat(query(s, "SHOW data_directory")).isEqualTo("/var/lib/postgresql/data/pgdata");
            }
            assertThat(postgres.stop(30)).as("exit after SIGTERM").isZero();
        }
        assertThat(data.resolve("pgdata/PG_VERSION")).content().isEqualToIgnoringNewLines("17");
    }

    @Test
    void redisTakesItsPasswordOnStdinAndAnswersTheProbe() throws Exception {
        Map<String, Object> container = container(MANIFESTS.resolve("infra/redis-statefulset.yaml"), "redis");
        ImageArchive image = standIn("redis", "docker.io/library/" + container.get("image"));

        int port = ServiceImage.freePort();
        Path data = owned(work.resolve("data"), 999, 1000);
        Path config = Files.createDirectories(work.resolve("config"));
        configMapData(MANIFESTS.resolve("infra/redis-configmap.yaml"))
                .forEach((name, text) -> write(config.resolve(name), text.replace("port 6379", "port " + port)));
        Path secrets = owned(work.resolve("secrets"), 0, 1000);
        String password = secret(secrets, "password", 1000);

        RuncContainer.Spec spec = RuncContainer.of(image)
                .user("999:1000")
                .command(strings(container.get("command")).toArray(String[]::new))
                .args(strings(container.get("args")).toArray(String[]::new))
                .mount(data, "/data", false)
                .mount(config, "/etc/redis", true)
                .mount(secrets, "/run/secrets/redis", true);
        try (RuncContainer redis = spec.start(work)) {
            String[] probe = strings(probeCommand(container)).stream()
                    .map(a -> a.replace("-p 6379", "-p " + port))
                    .toArray(String[]::new);
            awaitProbe(redis, "999:1000", probe);
            String cli = "REDISCLI_AUTH=\"$(cat /run/secrets/redis/password)\" redis-cli -h 127.0.0.1 -p " + port + " ";
            assertThat(redis.exec("999:1000", "sh", "-c", cli + "set standin yes")
                            .output())
                    .contains("OK");
            assertThat(redis.exec("999:1000", "sh", "-c", cli + "config get appendonly")
                            .output())
                    .contains("yes");
            // Without the password: refused, so requirepass from stdin took effect.
            assertThat(redis.exec(
                                    "999:1000",
                                    "redis-cli",
                                    "-h",
                                    "127.0.0.1",
                                    "-p",
                                    Integer.toString(port),
                                    "get",
                                    "standin")
                            .output())
                    .contains("NOAUTH");
            assertThat(redis.log()).doesNotContain(password);
            assertThat(redis.stop(30)).as("exit after SIGTERM").isZero();
        }
        assertThat(Files.list(data).map(p -> p.getFileName().toString())).contains("appendonlydir");
    }

    @Test
    void fakeGcsServerRunsWithTheManifestsArguments() throws Exception {
        Map<String, Object> container =
                container(MANIFESTS.resolve("infra/gcs-emulator-statefulset.yaml"), "gcs-emulator");
        ImageArchive image = standIn("fake-gcs-server", "docker.io/" + container.get("image"));

        int port = ServiceImage.freePort();
        Path storage = owned(work.resolve("storage"), 10001, 10001);
        List<String> args = strings(container.get("args")).stream()
                .map(a -> a.equals("-port=4443") ? "-port=" + port : a)
                .toList();
        RuncContainer.Spec spec = RuncContainer.of(image)
                .user("10001:10001")
                .command(strings(container.get("command")).toArray(String[]::new))
                .args(args.toArray(String[]::new))
                .mount(storage, "/storage", false);
        try (RuncContainer gcs = spec.start(work)) {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            await("the emulator's health check")
                    .atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(300))
                    .ignoreExceptions()
                    .until(() -> http.send(get(port, "/_internal/healthcheck"), HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200);
            HttpRequest create = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/storage/v1/b"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"standin\"}"))
                    .build();
            assertThat(http.send(create, HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
            assertThat(gcs.running()).isTrue();
        }
        // -backend=filesystem -filesystem-root=/storage: the bucket is a directory on the volume.
        assertThat(storage.resolve("standin")).isDirectory();
    }

    // --- the stand-ins and the manifests ---------------------------------------------------

    /** The stand-in archive {@code name}, which must carry the name the manifest pulls. */
    private ImageArchive standIn(String name, String manifestImage) {
        String dir = System.getenv(STANDINS_ENV);
        boolean present = dir != null && !dir.isBlank();
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(
                    "CI=true: the stand-in images must be tested; set " + STANDINS_ENV + "=$(scripts/images standins)");
        }
        assumeTrue(
                present,
                STANDINS_ENV + " is not set: the stand-in images are not tested. scripts/test sets it "
                        + "(scripts/images standins builds them; needs root and apt-get)");
        RuncContainer.assumeAvailable();
        ImageArchive image = ImageArchive.open(Path.of(dir, name + ".tar"), work.resolve("image"));
        assertThat(image.refName()).as("the name the manifest pulls").isEqualTo(manifestImage);
        return image;
    }

    /** The container named {@code name} in the pod template of the workload in {@code file}. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(Path file, String name) throws IOException {
        for (Object doc : loadAll(file)) {
            Map<String, Object> spec =
                    (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) doc).get("spec"));
            Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
            for (Object c : (List<Object>) pod.get("containers")) {
                if (name.equals(((Map<String, Object>) c).get("name"))) {
                    return (Map<String, Object>) c;
                }
            }
        }
        throw new AssertionError("no container " + name + " in " + file);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> configMapData(Path file) throws IOException {
        return (Map<String, String>) ((Map<String, Object>) loadAll(file).getFirst()).get("data");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Object e : (List<Object>) container.get("env")) {
            Map<String, Object> entry = (Map<String, Object>) e;
            env.put((String) entry.get("name"), (String) entry.get("value"));
        }
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Object probeCommand(Map<String, Object> container) {
        return ((Map<String, Object>) ((Map<String, Object>) container.get("readinessProbe")).get("exec"))
                .get("command");
    }

    private static List<Object> loadAll(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            List<Object> docs = new ArrayList<>();
            new Yaml().loadAll(in).forEach(d -> {
                if (d != null) {
                    docs.add(d);
                }
            });
            return docs;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object list) {
        return (List<String>) list;
    }

    // --- helpers ---------------------------------------------------------------------------

    private static void awaitProbe(RuncContainer container, String user, String... probe) {
        await("the probe " + String.join(" ", probe))
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    if (!container.running()) {
                        throw new AssertionError("the container exited; its output:\n" + container.log());
                    }
                    return container.exec(user, probe).exitCode() == 0;
                });
    }

    private static HttpRequest get(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(3))
                .GET()
                .build();
    }

    private static String query(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A directory owned by uid:gid, as fsGroup and an emptyDir or a volume would give it. */
    private static Path owned(Path dir, int uid, int gid) throws IOException {
        Files.createDirectories(dir);
        Files.setAttribute(dir, "unix:uid", uid);
        Files.setAttribute(dir, "unix:gid", gid);
        return dir;
    }

    /** A Secret file readable by group {@code gid} only (mode 0440), with a fresh 32-character value. */
    private static String secret(Path dir, String name, int gid) throws IOException {
        String value = UUID.randomUUID().toString().replace("-", "");
        Path file = dir.resolve(name);
        Files.writeString(file, value);
        Files.setAttribute(file, "unix:gid", gid);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("r--r-----"));
        return value;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
