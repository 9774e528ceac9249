/**
 * The Redis client of the auth service: a small pool with short timeouts and the mapping of Redis
 * failures to "dependency unavailable" (503), plus the readiness check.
 */
package dev.mkplat.auth.redis;
