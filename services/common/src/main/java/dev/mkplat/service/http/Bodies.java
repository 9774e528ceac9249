package dev.mkplat.service.http;

import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/** Reading request bodies without trusting their declared length. */
public final class Bodies {
    private Bodies() {}

    /**
     * Reads the whole body, failing with 413 as soon as it exceeds {@code maxBytes}: a chunked body
     * has no Content-Length for the server to check up front, so the bound must hold while reading.
     */
    public static byte[] readBounded(ServerRequest req, int maxBytes) {
        long declared = req.headers().contentLength().orElse(-1L);
        if (declared > maxBytes) {
            throw ApiException.payloadTooLarge("request body is " + declared + " bytes; the limit is " + maxBytes);
        }
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] buffer = new byte[(int) Math.min(Math.max(declared, 1024), maxBytes + 1L)];
            int length = 0;
            while (true) {
                if (length == buffer.length) {
                    if (buffer.length > maxBytes) {
                        throw ApiException.payloadTooLarge("request body exceeds the limit of " + maxBytes + " bytes");
                    }
                    buffer = Arrays.copyOf(buffer, (int) Math.min(buffer.length * 2L, maxBytes + 1L));
                }
                int read = readChunk(in, buffer, length, buffer.length - length);
                if (read < 0) {
                    break;
                }
                length += read;
            }
            if (length > maxBytes) {
                throw ApiException.payloadTooLarge("request body exceeds the limit of " + maxBytes + " bytes");
            }
            return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
        } catch (IOException e) {
            throw ApiException.badRequest("could not read the request body: " + e.getMessage());
        }
    }

    /**
     * One read from the body stream. Helidon reports a broken body as unchecked exceptions from
     * {@code read}: a chunk size that is not hex (NumberFormatException), a body that ends before
     * its declared length (InsufficientDataAvailableException), a chunked body over
     * {@code max-payload-size} (RequestException 413). All are the client's fault, so they become
     * 4xx here instead of reaching the error mapper as a 500.
     */
    private static int readChunk(InputStream in, byte[] buffer, int offset, int length) throws IOException {
        try {
            return in.read(buffer, offset, length);
        } catch (RequestException e) {
            if (e.status().code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code()) {
                throw ApiException.payloadTooLarge("request body exceeds the server's limit");
            }
            throw ApiException.badRequest("malformed request body");
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw ApiException.badRequest("malformed request body");
        } catch (RuntimeException e) {
            if (e.getClass().getName().startsWith("io.helidon.")) {
                // e.g. DataReader.InsufficientDataAvailableException: the client stopped sending.
                throw ApiException.badRequest("malformed request body");
            }
            throw e;
        }
    }
}
