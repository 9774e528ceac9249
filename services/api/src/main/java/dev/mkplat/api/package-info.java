/**
 * The api service: its entry point, which wires configuration, Postgres, the token check against
 * auth and the routes together, and {@code GET /}, which says which service and version answers.
 * The {@code items} resource lives in {@link dev.mkplat.api.items}.
 */
package dev.mkplat.api;
