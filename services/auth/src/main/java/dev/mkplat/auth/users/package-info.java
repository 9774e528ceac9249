/**
 * The users resource: registration, the credentials body shared with login, and the users table
 * in Postgres.
 */
package dev.mkplat.auth.users;
