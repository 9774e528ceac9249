package dev.mkplat.images;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds multipart/form-data bodies byte by byte, so tests control every boundary and header. */
final class MultipartBody {
    private final String boundary;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    MultipartBody(String boundary) {
        this.boundary = boundary;
    }

    MultipartBody() {
        this("----mkplat-test-" + Long.toHexString(System.nanoTime()));
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    MultipartBody field(String name, String value) {
        return part(
                "Content-Disposition: form-data; name=\"" + name + "\"\r\n", value.getBytes(StandardCharsets.UTF_8));
    }

    MultipartBody file(String name, String filename, String contentType, byte[] content) {
        return part(
                "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n"
                        + "Content-Type: " + contentType + "\r\n",
                content);
    }

    MultipartBody part(String headers, byte[] content) {
        raw("--" + boundary + "\r\n" + headers + "\r\n");
        out.writeBytes(content);
        raw("\r\n");
        return this;
    }

    MultipartBody raw(String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** The body with its closing boundary. */
    byte[] build() {
        raw("--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    /** The body as it is so far, without a closing boundary. */
    byte[] unterminated() {
        return out.toByteArray();
    }
}
