/**
 * Postgres access shared by api and auth: a HikariCP pool with short timeouts, Flyway migrations
 * that are retried in the background until the database answers, timed statements, and the
 * mapping of connection failures to "dependency unavailable" (503) rather than 500.
 */
package dev.mkplat.service.db;
