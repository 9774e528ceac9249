/**
 * The bucket: how images are named in it, how the GCS client is configured (short timeouts, so an
 * outage is a quick 503 rather than a hang), and how its failures map to HTTP errors.
 */
package dev.mkplat.images.storage;
