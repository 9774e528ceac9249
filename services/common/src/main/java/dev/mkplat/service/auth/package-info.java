/**
 * How api and images know who calls them: the Bearer token is checked by the auth service's
 * {@code GET /verify}, with a deadline and a small cache so that auth is not called per request.
 */
package dev.mkplat.service.auth;
