package dev.mkplat.images.upload;

import dev.mkplat.service.http.ApiException;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A request body whose failures are reported as the client's. Helidon signals a broken body with
 * unchecked exceptions from {@code read}: a chunk size that is not hex (NumberFormatException), a
 * body that ends before its declared length (InsufficientDataAvailableException), a chunked body
 * over {@code server.max-payload-size} (RequestException 413), a connection reset
 * (UncheckedIOException). Left alone they would reach the error mapping as a 500. This is the same
 * mapping as common's {@code Bodies.readBounded}, for a body that is streamed instead of read whole.
 */
public final class RequestBodyStream extends FilterInputStream {
    public RequestBodyStream(InputStream body) {
        super(body);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            return super.read(buffer, offset, length);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    static RuntimeException translate(RuntimeException e) {
        if (e instanceof ApiException) {
            return e;
        }
        if (e instanceof RequestException request
                && request.status().code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code()) {
            return ApiException.payloadTooLarge("request body exceeds the server's limit");
        }
        if (e instanceof RequestException
                || e instanceof UncheckedIOException
                || e instanceof IllegalArgumentException
                || e.getClass().getName().startsWith("io.helidon.")) {
            return ApiException.badRequest("malformed request body");
        }
        return e;
    }
}
