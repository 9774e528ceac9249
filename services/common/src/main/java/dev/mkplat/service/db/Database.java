package dev.mkplat.service.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mkplat.service.health.DependencyCheck;
import dev.mkplat.service.http.DependencyUnavailableException;
import dev.mkplat.service.metrics.ServiceMetrics;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's Postgres database. It starts even when Postgres is down (the pod then stays unready
 * instead of crash-looping), applies the Flyway migrations as soon as Postgres answers, and turns
 * every connection failure into {@link DependencyUnavailableException}.
 */
public final class Database implements AutoCloseable {
    /** The name of the dependency in readiness output and 503 errors. */
    public static final String DEPENDENCY = "postgres";

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final Duration MIGRATION_RETRY = Duration.ofSeconds(2);
    // SQLSTATEs that mean "the server is not there or not accepting us", not "the statement is wrong".
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57014", "57P01", "57P02", "57P03", "53300", "53400");

    private final HikariDataSource dataSource;
    private final ServiceMetrics metrics;
    private final DatabaseConfig config;
    private final String migrations;
    private final Thread migrator;
    private volatile boolean migrated;
    private volatile String pendingReason = "schema migrations not applied yet";
    private volatile boolean closed;

    private Database(DatabaseConfig config, String migrations, ServiceMetrics metrics) {
        this.config = config;
        this.migrations = migrations;
        this.metrics = metrics;
        this.dataSource = new HikariDataSource(hikari(config));
        this.migrator = Thread.ofVirtual().name("flyway-migrate").unstarted(this::migrateUntilDone);
    }

    /**
     * Opens the pool and starts applying the migrations found at {@code migrations}
     * (a Flyway location such as {@code classpath:db/migration}). Returns at once.
     */
    public static Database start(DatabaseConfig config, String migrations, ServiceMetrics metrics) {
        Database database = new Database(config, migrations, metrics);
        database.migrator.start();
        return database;
    }

    private static HikariConfig hikari(DatabaseConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("postgres");
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(Math.min(2, config.poolSize()));
        hikari.setConnectionTimeout(Math.max(250, config.connectTimeout().toMillis()));
        hikari.setValidationTimeout(
                Math.max(250, Math.min(1000, config.connectTimeout().toMillis())));
        hikari.setKeepaliveTime(Duration.ofSeconds(30).toMillis());
        // -1: start without a database; connections are made on demand once it is there.
        hikari.setInitializationFailTimeout(-1);
        long connectSeconds = Math.max(1, config.connectTimeout().toSeconds());
        hikari.addDataSourceProperty("connectTimeout", Long.toString(connectSeconds));
        hikari.addDataSourceProperty("loginTimeout", Long.toString(connectSeconds));
        // The statement timeout is the server's statement_timeout, set once per connection at login.
        // Statement.setQueryTimeout would do the same from the client, but pgjdbc schedules (and
        // cancels) a java.util.Timer task for every statement, which wakes the timer thread each
        // time: measurable on the hot path. A timed-out statement fails with SQLSTATE 57014 either way.
        hikari.addDataSourceProperty(
                "options",
                "-c statement_timeout=" + Math.max(1, config.queryTimeout().toMillis()));
        if (config.url().contains("options=")) {
            LOG.warn("db.url (DB_URL) has its own options=, which replace the statement_timeout of db.query.timeout; "
                    + "add -c statement_timeout=... to them");
        }
        // A statement may not hold a connection forever when the server stops answering mid-query.
        hikari.addDataSourceProperty(
                "socketTimeout", Long.toString(config.queryTimeout().toSeconds() + 5));
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        hikari.addDataSourceProperty("ApplicationName", "mkplat");
        return hikari;
    }

    private void migrateUntilDone() {
        while (!closed) {
            try {
                var result = Flyway.configure()
                        .dataSource(dataSource)
                        .locations(migrations)
                        .load()
                        .migrate();
                migrated = true;
                LOG.info(
                        "database schema at version {} ({} migrations applied)",
                        result.targetSchemaVersion,
                        result.migrationsExecuted);
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                pendingReason = "schema migrations not applied yet: " + rootMessage(e);
                LOG.warn(
                        "cannot migrate {} yet, retrying in {} s: {}",
                        config,
                        MIGRATION_RETRY.toSeconds(),
                        rootMessage(e));
            }
            try {
                Thread.sleep(MIGRATION_RETRY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** True once the migrations have been applied. */
    public boolean migrated() {
        return migrated;
    }

    /** Work done with one pooled connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on a pooled connection and records its latency under {@code name} in
     * {@code db_query_duration_seconds}.
     *
     * @throws DependencyUnavailableException when Postgres is down, slow, or the schema is not ready
     */
    public <T> T query(String name, Work<T> work) {
        if (!migrated) {
            throw new DependencyUnavailableException(DEPENDENCY, new IllegalStateException(pendingReason));
        }
        long start = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            T result = work.run(connection);
            metrics.observeQuery(name, System.nanoTime() - start);
            return result;
        } catch (SQLException e) {
            if (isUnavailable(e)) {
                throw new DependencyUnavailableException(DEPENDENCY, e);
            }
            throw new IllegalStateException("statement " + name + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Prepares {@code sql}. Every statement on this database's connections is limited to the
     * configured query timeout by the server ({@code statement_timeout}, set at connect), so a
     * statement that runs too long fails with {@link DependencyUnavailableException} from
     * {@link #query}. pgjdbc caches the prepared statement per connection and switches it to a
     * server-side prepared statement after a few executions.
     */
    public PreparedStatement prepare(Connection connection, String sql) throws SQLException {
        return connection.prepareStatement(sql);
    }

    /** The readiness check: migrations applied and a {@code SELECT 1} round trip. */
    public DependencyCheck readinessCheck() {
        return new DependencyCheck(DEPENDENCY, () -> {
            if (!migrated) {
                throw new IllegalStateException(pendingReason);
            }
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement statement = connection.prepareStatement("SELECT 1")) {
                statement.setQueryTimeout(2);
                statement.execute();
            } catch (SQLException e) {
                throw new IllegalStateException(rootMessage(e), e);
            }
        });
    }

    static boolean isUnavailable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLTimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql
                    && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return true;
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    @Override
    public void close() {
        closed = true;
        migrator.interrupt();
        dataSource.close();
    }
}
