package dev.mkplat.images.storage;

import java.time.Instant;

/**
 * An image in the bucket, as the API shows it.
 *
 * @param generation the GCS object generation, so that a download reads exactly the object whose
 *                   size and type were announced even if the object were replaced meanwhile (0 when unknown)
 */
public record StoredImage(String id, String owner, String contentType, long size, Instant createdAt, long generation) {}
