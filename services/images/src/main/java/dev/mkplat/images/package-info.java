/**
 * The images service: image uploads over HTTP, kept in a Google Cloud Storage bucket (or the
 * fake-gcs-server emulator), each visible only to the user who uploaded it.
 */
package dev.mkplat.images;
