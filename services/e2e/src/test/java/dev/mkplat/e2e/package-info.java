/**
 * The three services together, as a user meets them: one token from auth opens api and images,
 * and a bad, expired or logged-out token is refused by all three.
 */
package dev.mkplat.e2e;
