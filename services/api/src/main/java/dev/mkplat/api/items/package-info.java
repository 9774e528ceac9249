/**
 * The {@code items} resource: JSON validation of what comes in, the SQL that stores it in Postgres
 * (every statement filtered by owner, so that users only ever see their own items) and the HTTP
 * handlers that tie the two to the caller's verified token.
 */
package dev.mkplat.api.items;
