package dev.mkplat.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The initdb script of db/configmap-initdb.yaml against a real PostgreSQL 17 (the major version the
 * StatefulSet runs), executed as the official image's entrypoint does: psql with ON_ERROR_STOP as
 * the superuser. Each service's role reaches its own database and no other. The script needs the
 * {@code psql} client (its backquote and \if meta-commands), which the PostgreSQL binaries used
 * here do not include: the test is skipped where no psql is installed.
 */
class PostgresInitScriptIT {
    private static final String MOUNT = "/run/secrets/postgres/";
    private static final String API_PASSWORD = "apiPassw0rdApiPassw0rdApiPassw0r";
    private static final String AUTH_PASSWORD = "authPassw0rdAuthPassw0rdAuthPass";

    @TempDir
    Path secrets;

    private EmbeddedPostgres postgres;

    @BeforeEach
    void start() throws IOException {
        Assumptions.assumeTrue(psql() != null, "no psql client on this machine (apt-get install postgresql-client)");
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterEach
    void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void eachRoleReachesItsOwnDatabaseOnly() throws Exception {
        assertThat(runScript(API_PASSWORD, AUTH_PASSWORD).exitCode()).isZero();

        try (Connection api = connect("api", "api");
                Statement statement = api.createStatement()) {
            statement.execute("CREATE TABLE items (id bigint PRIMARY KEY)");
        }
        try (Connection auth = connect("auth", "auth");
                Statement statement = auth.createStatement()) {
            statement.execute("CREATE TABLE users (id bigint PRIMARY KEY)");
        }
        assertNoConnect("api", "auth");
        assertNoConnect("auth", "api");
        assertNoConnect("api", "postgres");
        assertNoConnect("auth", "postgres");

        try (Connection admin = connect("postgres", "postgres");
                Statement statement = admin.createStatement();
                ResultSet roles = statement.executeQuery(
                        "SELECT rolname, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolpassword IS NOT NULL"
                                + " FROM pg_authid WHERE rolname IN ('api', 'auth') ORDER BY rolname")) {
            for (String role : List.of("api", "auth")) {
                assertThat(roles.next()).isTrue();
                assertThat(roles.getString(1)).isEqualTo(role);
                assertThat(List.of(
                                roles.getBoolean(2),
                                roles.getBoolean(3),
                                roles.getBoolean(4),
                                roles.getBoolean(5),
                                roles.getBoolean(6)))
                        .as(role + " has no special attributes")
                        .containsOnly(false);
                assertThat(roles.getBoolean(7)).as(role + " has a password").isTrue();
            }
        }
    }

    @Test
    void theRolesGetThePasswordsFromTheSecretFiles() throws Exception {
        assertThat(runScript(API_PASSWORD, AUTH_PASSWORD).exitCode()).isZero();

        try (Connection admin = connect("postgres", "postgres");
                Statement statement = admin.createStatement();
                ResultSet result = statement.executeQuery(
                        "SELECT rolname, rolpassword FROM pg_authid WHERE rolname IN ('api', 'auth') ORDER BY rolname")) {
            for (String role : List.of("api", "auth")) {
                assertThat(result.next()).isTrue();
                // SCRAM verifiers, never the clear text.
                assertThat(result.getString(2))
                        .startsWith("SCRAM-SHA-256$")
                        .doesNotContain(API_PASSWORD)
                        .doesNotContain(AUTH_PASSWORD);
            }
        }
    }

    @Test
    void aMissingOrShortPasswordStopsTheInitialisation() throws Exception {
        Run run = runScript("short", AUTH_PASSWORD);

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output())
                .contains("mkplat: the api or auth database password is missing or shorter than 16 characters");
        try (Connection admin = connect("postgres", "postgres");
                Statement statement = admin.createStatement();
                ResultSet roles =
                        statement.executeQuery("SELECT count(*) FROM pg_roles WHERE rolname IN ('api', 'auth')")) {
            roles.next();
            assertThat(roles.getInt(1)).as("nothing was created").isZero();
        }
    }

    private record Run(int exitCode, String output) {}

    private Run runScript(String apiPassword, String authPassword) throws IOException, InterruptedException {
        Files.writeString(secrets.resolve("api-password"), apiPassword);
        Files.writeString(secrets.resolve("auth-password"), authPassword);
        String script = Bundle.get()
                .require("ConfigMap", "db", "postgres-initdb")
                .as(ConfigMap.class)
                .getData()
                .get("10-databases.sql");
        assertThat(script).contains(MOUNT);
        Path file = secrets.resolve("10-databases.sql");
        Files.writeString(file, script.replace(MOUNT, secrets.toAbsolutePath() + "/"));

        // As docker-entrypoint.sh's docker_process_sql runs it.
        Process process = new ProcessBuilder(
                        psql(),
                        "-v",
                        "ON_ERROR_STOP=1",
                        "--no-psqlrc",
                        "--no-password",
                        "--host=localhost",
                        "--port=" + postgres.getPort(),
                        "--username=postgres",
                        "--dbname=postgres",
                        "-f",
                        file.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.exitValue(), output);
    }

    private Connection connect(String user, String database) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + database,
                Map.of("user", user, "password", "unused-locally").entrySet().stream()
                        .collect(
                                java.util.Properties::new,
                                (p, e) -> p.setProperty(e.getKey(), e.getValue()),
                                java.util.Properties::putAll));
    }

    private void assertNoConnect(String user, String database) {
        assertThatThrownBy(() -> connect(user, database).close())
                .as(user + " connecting to " + database)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("permission denied for database \"" + database + "\"");
    }

    private static String psql() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "psql");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
