/**
 * End-to-end tests: the whole platform installed by mkplat on a node where its containers really
 * run ({@code scripts/test-cluster up --real-node}), used the way a user uses it.
 */
package dev.mkplat.e2e;
