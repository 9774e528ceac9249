package dev.mkplat.service.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A real PostgreSQL server for tests. By default an embedded one (zonky binaries from Maven
 * Central), which the test may {@link #stop()} and {@link #start()} again on the same port and
 * data. With {@code MKPLAT_TEST_JDBC_URL} (an admin URL such as
 * {@code jdbc:postgresql://localhost:5432/postgres?user=postgres&password=secret}) an external
 * server is used instead; it cannot be stopped, so outage tests are skipped there.
 */
public final class PostgresFixture implements AutoCloseable {
    /** Environment variable that points the tests at an external server. */
    public static final String EXTERNAL_URL_ENV = "MKPLAT_TEST_JDBC_URL";

    private final String externalUrl;
    private final Path dataDirectory;
    private int port;
    private EmbeddedPostgres embedded;

    private PostgresFixture(String externalUrl, Path dataDirectory) {
        this.externalUrl = externalUrl;
        this.dataDirectory = dataDirectory;
    }

    /** Starts an embedded server, or connects to the one named by {@value #EXTERNAL_URL_ENV}. */
    public static PostgresFixture create() {
        String external = System.getenv(EXTERNAL_URL_ENV);
        if (external != null && !external.isBlank()) {
            return new PostgresFixture(external, null);
        }
        try {
            PostgresFixture fixture = new PostgresFixture(null, Files.createTempDirectory("mkplat-pg-"));
            fixture.start();
            return fixture;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when this fixture can simulate an outage (embedded server). */
    public boolean canStop() {
        return externalUrl == null;
    }

    /** Starts (or restarts) the embedded server on the same port, keeping its data. */
    public synchronized void start() {
        if (embedded != null) {
            return;
        }
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off");
            if (port != 0) {
                builder.setPort(port);
            }
            embedded = builder.start();
            port = embedded.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    /** Stops the embedded server (data kept), so that clients see connection refused. */
    public synchronized void stop() {
        if (!canStop()) {
            throw new IllegalStateException(
                    "an external PostgreSQL (" + EXTERNAL_URL_ENV + ") cannot be stopped by the tests");
        }
        if (embedded == null) {
            return;
        }
        try {
            embedded.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            embedded = null;
        }
    }

    /** Creates a fresh database owned by a fresh role and returns its coordinates. */
    public Database createDatabase(String prefix) {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String name = prefix + "_" + suffix;
        String password = UUID.randomUUID().toString();
        try (Connection admin = DriverManager.getConnection(adminUrl());
                Statement sql = admin.createStatement()) {
            sql.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'");
            sql.execute("CREATE DATABASE " + name + " OWNER " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return new Database(databaseUrl(name), name, password);
    }

    /** A database for a test: its JDBC URL (without credentials), role and password. */
    public record Database(String url, String user, String password) {
        /** A new connection as this database's role, for a test to look at or seed the data directly. */
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }

    private String adminUrl() {
        return externalUrl != null ? externalUrl : "jdbc:postgresql://localhost:" + port + "/postgres?user=postgres";
    }

    private String databaseUrl(String name) {
        if (externalUrl == null) {
            return "jdbc:postgresql://localhost:" + port + "/" + name;
        }
        // Same server as the admin URL, other database, no credentials in the URL.
        String withoutQuery = externalUrl.replaceFirst("\\?.*$", "");
        return withoutQuery.substring(0, withoutQuery.lastIndexOf('/') + 1) + name;
    }

    @Override
    public void close() {
        if (canStop()) {
            stop();
        }
    }
}
