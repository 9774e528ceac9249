/**
 * Runs the platform's dependencies on localhost for {@code scripts/run-local}: the same embedded
 * PostgreSQL and Redis the tests use, and the fake-gcs-server emulator. Development only.
 */
package dev.mkplat.local;
