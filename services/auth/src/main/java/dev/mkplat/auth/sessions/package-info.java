/**
 * The sessions resource: login with brute-force protection, token verification for the other
 * services, logout; sessions and login counts live in Redis.
 */
package dev.mkplat.auth.sessions;
