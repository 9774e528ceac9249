/**
 * The auth service: users in Postgres with Argon2id password hashes, sessions and brute-force
 * counts in Redis, and {@code GET /verify} for the other services to check Bearer tokens.
 */
package dev.mkplat.auth;
