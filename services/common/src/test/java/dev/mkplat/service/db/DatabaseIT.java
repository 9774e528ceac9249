package dev.mkplat.service.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mkplat.service.http.DependencyUnavailableException;
import dev.mkplat.service.metrics.ServiceMetrics;
import dev.mkplat.service.testing.PostgresFixture;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The pool, the migrations and outage handling against a real PostgreSQL. */
class DatabaseIT {
    private static PostgresFixture postgres;

    @BeforeAll
    static void start() {
        postgres = PostgresFixture.create();
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    private static Database open(PostgresFixture.Database db, ServiceMetrics metrics) {
        return Database.start(
                new DatabaseConfig(db.url(), db.user(), db.password(), 4, Duration.ofSeconds(1), Duration.ofSeconds(2)),
                "classpath:db/testmigration",
                metrics);
    }

    private static long count(Database database) {
        return database.query("count_notes", c -> {
            try (var statement = database.prepare(c, "SELECT count(*) FROM notes");
                    ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    @Test
    void migratesAndRecordsQueryLatency() {
        ServiceMetrics metrics = new ServiceMetrics();
        try (Database database = open(postgres.createDatabase("db"), metrics)) {
            await().atMost(Duration.ofSeconds(30)).until(database::migrated);
            assertThat(count(database)).isZero();
            assertThat(metrics.registry().scrape().stream()
                            .anyMatch(m -> m.getMetadata().getPrometheusName().equals("db_query_duration_seconds")))
                    .isTrue();
        }
    }

    @Test
    void aStatementOverTheQueryTimeoutIsCancelledByTheServerAndTheConnectionStaysUsable() {
        try (Database database = open(postgres.createDatabase("slow"), new ServiceMetrics())) {
            await().atMost(Duration.ofSeconds(30)).until(database::migrated);
            long start = System.nanoTime();
            assertThatThrownBy(() -> database.query("sleep", c -> {
                        try (var statement = database.prepare(c, "SELECT pg_sleep(30)")) {
                            return statement.execute();
                        }
                    }))
                    .isInstanceOf(DependencyUnavailableException.class)
                    .satisfies(e -> assertThat(((SQLException) e.getCause()).getSQLState())
                            .isEqualTo("57014"));
            // The 2 s query timeout of open(), not the socket timeout (7 s) nor the 30 s of the statement.
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isBetween(Duration.ofMillis(1500), Duration.ofSeconds(6));
            assertThat(count(database)).isZero();
        }
    }

    @Test
    void outageGivesDependencyUnavailableAndRecoversWithoutRestart() throws Exception {
        assumeTrue(postgres.canStop(), "an external PostgreSQL cannot be stopped");
        try (Database database = open(postgres.createDatabase("outage"), new ServiceMetrics())) {
            await().atMost(Duration.ofSeconds(30)).until(database::migrated);
            assertThat(count(database)).isZero();

            postgres.stop();
            try {
                long start = System.nanoTime();
                assertThatThrownBy(() -> count(database)).isInstanceOf(DependencyUnavailableException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
                assertThatThrownBy(() -> database.readinessCheck().probe().check())
                        .isInstanceOf(IllegalStateException.class);
            } finally {
                postgres.start();
            }
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> count(database) == 0);
            database.readinessCheck().probe().check();
        }
    }

    @Test
    void startsWhilePostgresIsDownAndMigratesWhenItComes() {
        assumeTrue(postgres.canStop(), "an external PostgreSQL cannot be stopped");
        PostgresFixture.Database db = postgres.createDatabase("late");
        postgres.stop();
        Database database;
        try {
            database = open(db, new ServiceMetrics());
            assertThatThrownBy(() -> count(database))
                    .isInstanceOf(DependencyUnavailableException.class)
                    .satisfies(
                            e -> assertThat(e.getCause().getMessage()).startsWith("schema migrations not applied yet"));
        } finally {
            postgres.start();
        }
        try (database) {
            await().atMost(Duration.ofSeconds(30)).until(database::migrated);
            assertThat(count(database)).isZero();
        }
    }
}
