package dev.mkplat.images.upload;

import dev.mkplat.service.http.ApiException;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * The bytes that uploads in flight may hold in memory together. Each upload is read whole into
 * one buffer before it goes to the bucket (see {@link ImageUpload}), so without a bound forty
 * parallel 10 MiB uploads would need 400 MiB of heap: an out-of-memory error for every request
 * of the pod, not only the uploads. An upload reserves its buffer's size before a byte of its body
 * is read; when the budget is spent it is refused with 503 and {@code Retry-After} without being
 * held in memory.
 */
public final class UploadBudget {
    /** What a refused client is told to wait: an upload in flight takes about this long. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    // Permits are KiB, so that budgets above 2 GiB still fit an int.
    private final Semaphore kibibytes;
    private final long bytes;

    public UploadBudget(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("the upload budget must be positive, got " + bytes);
        }
        this.bytes = bytes;
        this.kibibytes = new Semaphore(Math.toIntExact(toKibibytes(bytes)));
    }

    /** A quarter of the heap: the rest is for the server, the GCS client and the other requests. */
    public static long defaultBytes(int maxUploadBytes) {
        return Math.max(maxUploadBytes + 1L, Runtime.getRuntime().maxMemory() / 4);
    }

    public long bytes() {
        return bytes;
    }

    /**
     * Reserves {@code size} bytes until the returned lease is closed.
     *
     * @throws ApiException 503 with {@code Retry-After} when the budget has not that much left
     */
    public Lease reserve(long size) {
        int permits = Math.toIntExact(Math.min(toKibibytes(size), toKibibytes(bytes)));
        if (!kibibytes.tryAcquire(permits)) {
            throw ApiException.unavailable("too many uploads in progress; try again shortly", RETRY_AFTER);
        }
        return new Lease(permits);
    }

    private static long toKibibytes(long bytes) {
        return (bytes + 1023) / 1024;
    }

    /** Bytes held by one upload; closing it gives them back (once). */
    public final class Lease implements AutoCloseable {
        private int permits;

        private Lease(int permits) {
            this.permits = permits;
        }

        @Override
        public void close() {
            kibibytes.release(permits);
            permits = 0;
        }
    }
}
