/**
 * Real dependencies for the services' tests, shipped in this module's test-jar: an embedded
 * PostgreSQL (zonky, the same major version as the manifests deploy) and an embedded Redis, both
 * of which a test can stop and start again on the same port to simulate an outage; a stand-in for
 * auth's token check ({@link dev.mkplat.service.testing.AuthStandIn}), likewise. And the service
 * images: an image archive read as a runtime reads it, and run as a container by runc. And the
 * OpenAPI contract ({@link dev.mkplat.service.testing.OpenApiContract}): requests generated from a
 * service's document, every answer checked against it.
 */
package dev.mkplat.service.testing;
