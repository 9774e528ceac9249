package dev.mkplat.images.upload;

import dev.mkplat.service.http.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * One uploaded image, read into memory once: the first {@code length} bytes of {@code bytes}.
 *
 * <p>Why one buffer rather than streaming to the bucket: the GCS client's single-request upload
 * needs the whole content (its resumable upload would buffer a chunk of up to 16 MiB itself and
 * costs extra round trips), and holding the bytes lets the size limit and the type check reject a
 * bad upload before anything reaches the bucket. The buffer is sized from the declared length
 * when there is one (capped at the limit), so a well-behaved upload is copied exactly once.
 */
public record ImageUpload(ImageType type, byte[] bytes, int length) {
    private static final int DEFAULT_INITIAL_CAPACITY = 64 * 1024;

    /**
     * Reads {@code in} to its end, failing as soon as it exceeds {@code maxBytes} (the declared
     * length of a request is only a hint: a chunked body has none, and a client may lie).
     *
     * @param sizeHint the expected size (e.g. the request's Content-Length), or -1 when unknown
     * @throws ApiException 400 when empty, 415 when not a PNG, JPEG, GIF or WebP, 413 when too large
     */
    public static ImageUpload read(InputStream in, int maxBytes, long sizeHint) throws IOException {
        long initial = sizeHint > 0 ? sizeHint : DEFAULT_INITIAL_CAPACITY;
        byte[] buffer = new byte[(int) Math.max(ImageType.MAGIC_LENGTH, Math.min(initial, maxBytes + 1L))];
        int length = in.readNBytes(buffer, 0, ImageType.MAGIC_LENGTH);
        if (length == 0) {
            throw ApiException.badRequest("the image is empty");
        }
        // Checked before the rest is read, so that a large non-image is refused without reading it.
        ImageType type = ImageType.detect(buffer, length)
                .orElseThrow(() -> ApiException.unsupportedMediaType(
                        "not a PNG, JPEG, GIF or WebP image (the type is read from the file's first bytes)"));
        while (true) {
            if (length == buffer.length) {
                if (length > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                buffer = Arrays.copyOf(buffer, (int) Math.min(buffer.length * 2L, maxBytes + 1L));
            }
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                break;
            }
            length += read;
        }
        if (length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return new ImageUpload(type, buffer, length);
    }

    private static ApiException tooLarge(int maxBytes) {
        return ApiException.payloadTooLarge("the image exceeds the limit of " + maxBytes + " bytes");
    }
}
