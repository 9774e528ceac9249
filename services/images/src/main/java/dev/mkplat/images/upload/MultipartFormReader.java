package dev.mkplat.images.upload;

import dev.mkplat.service.http.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A streaming reader of {@code multipart/form-data} (RFC 7578) bodies that finds one named part
 * and hands out its content as a stream, without holding the body in memory: the file part goes
 * straight into {@link ImageUpload}'s bounded buffer.
 *
 * <p>We parse it ourselves because Helidon's multipart module is not published for the Helidon
 * version we use. Everything here is bounded: part headers (8 KiB per part), the boundary
 * (RFC 2046: at most 70 characters) and the lookahead buffer. Malformed bodies are a 400.
 */
public final class MultipartFormReader {
    private static final int MAX_HEADER_BYTES = 8 * 1024;
    private static final int MAX_PADDING = 64;
    // RFC 2046 bchars; a space may not end it.
    private static final Pattern BOUNDARY =
            Pattern.compile("[0-9A-Za-z'()+_,\\-./:=? ]{0,69}[0-9A-Za-z'()+_,\\-./:=?]");

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buffer;
    private int pos;
    private int limit;
    private boolean eof;
    private boolean inBody = true;
    private boolean finished;
    /** Bytes looked at while searching for delimiters and line ends: what keeps the parser linear, for the tests. */
    private long examined;

    /**
     * @param in       the request body
     * @param boundary the {@code boundary} parameter of the request's Content-Type
     */
    public MultipartFormReader(InputStream in, String boundary) {
        if (boundary == null || !BOUNDARY.matcher(boundary).matches()) {
            throw ApiException.badRequest(
                    "multipart/form-data needs a boundary parameter of 1 to 70 allowed characters");
        }
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        this.buffer = new byte[16 * 1024];
        // The first boundary may open the body without a CRLF before it. Pretending that the body
        // starts with one makes every delimiter the same, and the preamble just an unnamed part.
        buffer[0] = '\r';
        buffer[1] = '\n';
        limit = 2;
    }

    /**
     * Advances to the first part whose {@code Content-Disposition} name is {@code name}, skipping
     * the parts before it, and returns a stream of its content (which ends at the part's end).
     * Empty when the body has no such part.
     */
    public Optional<InputStream> part(String name) throws IOException {
        while (true) {
            if (inBody) {
                skipBody();
            }
            if (finished) {
                return Optional.empty();
            }
            Map<String, String> headers = readHeaders();
            inBody = true;
            if (name.equals(dispositionName(headers.get("content-disposition")))) {
                return Optional.of(new PartStream());
            }
        }
    }

    private void skipBody() throws IOException {
        byte[] sink = new byte[8 * 1024];
        while (readBody(sink, 0, sink.length) >= 0) {
            // discard
        }
    }

    /** Reads the current part's content; -1 once its closing delimiter was consumed. */
    private int readBody(byte[] dst, int off, int len) throws IOException {
        if (!inBody) {
            return -1;
        }
        while (true) {
            int found = indexOfDelimiter();
            int available;
            if (found >= 0) {
                available = found - pos;
                if (available == 0) {
                    pos += delimiter.length;
                    inBody = false;
                    readAfterDelimiter();
                    return -1;
                }
            } else {
                if (eof) {
                    throw ApiException.badRequest("malformed multipart body: it ends without its closing boundary");
                }
                // Bytes that could be the start of a delimiter split across reads are held back.
                available = limit - pos - (delimiter.length - 1);
                if (available <= 0) {
                    fill();
                    continue;
                }
            }
            int n = Math.min(available, len);
            System.arraycopy(buffer, pos, dst, off, n);
            pos += n;
            return n;
        }
    }

    /** After a delimiter: {@code --} closes the body, otherwise optional padding and CRLF start a part. */
    private void readAfterDelimiter() throws IOException {
        ensure(2);
        if (limit - pos >= 2 && buffer[pos] == '-' && buffer[pos + 1] == '-') {
            pos += 2;
            finished = true;
            return;
        }
        for (int padding = 0; ; padding++) {
            ensure(2);
            if (limit - pos < 2 || padding > MAX_PADDING) {
                throw ApiException.badRequest("malformed multipart body: a boundary line does not end with CRLF");
            }
            if (buffer[pos] == '\r' && buffer[pos + 1] == '\n') {
                pos += 2;
                return;
            }
            if (buffer[pos] != ' ' && buffer[pos] != '\t') {
                throw ApiException.badRequest("malformed multipart body: unexpected bytes after a boundary");
            }
            pos++;
        }
    }

    /** Reads header lines up to the empty line; names are lower-cased. */
    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new HashMap<>();
        int total = 0;
        while (true) {
            // Where the search for this line's end goes on, counted from pos (fill() moves the
            // bytes, not their distance from pos): each byte is looked at once, however the
            // body is split into reads.
            int searched = 0;
            int end = indexOfCrlf(searched);
            while (end < 0) {
                if (limit - pos >= MAX_HEADER_BYTES - total || eof) {
                    throw ApiException.badRequest(
                            eof
                                    ? "malformed multipart body: it ends inside a part's headers"
                                    : "malformed multipart body: a part's headers exceed " + MAX_HEADER_BYTES
                                            + " bytes");
                }
                // The last byte may be the CR of a CRLF that the next read completes.
                searched = Math.max(0, limit - pos - 1);
                fill();
                end = indexOfCrlf(searched);
            }
            int lineLength = end - pos;
            total += lineLength + 2;
            if (total > MAX_HEADER_BYTES) {
                throw ApiException.badRequest(
                        "malformed multipart body: a part's headers exceed " + MAX_HEADER_BYTES + " bytes");
            }
            String line = new String(buffer, pos, lineLength, StandardCharsets.UTF_8);
            pos = end + 2;
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw ApiException.badRequest("malformed multipart body: a part header has no name");
            }
            headers.putIfAbsent(
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
    }

    /** The {@code name} parameter of {@code form-data; name="file"; filename="a.png"}, or null. */
    static String dispositionName(String disposition) {
        if (disposition == null) {
            return null;
        }
        int i = disposition.indexOf(';');
        if (i < 0 || !disposition.substring(0, i).trim().equalsIgnoreCase("form-data")) {
            return null;
        }
        int n = disposition.length();
        while (i < n) {
            i++; // past ';'
            int eq = disposition.indexOf('=', i);
            if (eq < 0) {
                return null;
            }
            String param = disposition.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            int j = eq + 1;
            while (j < n && disposition.charAt(j) == ' ') {
                j++;
            }
            StringBuilder value = new StringBuilder();
            if (j < n && disposition.charAt(j) == '"') {
                j++;
                while (j < n && disposition.charAt(j) != '"') {
                    char c = disposition.charAt(j);
                    if (c == '\\' && j + 1 < n) {
                        c = disposition.charAt(++j);
                    }
                    value.append(c);
                    j++;
                }
                j++; // past the closing quote
                while (j < n && disposition.charAt(j) != ';') {
                    j++;
                }
            } else {
                while (j < n && disposition.charAt(j) != ';') {
                    value.append(disposition.charAt(j++));
                }
            }
            if (param.equals("name")) {
                return value.toString().trim();
            }
            i = j;
        }
        return null;
    }

    private int indexOfDelimiter() {
        int last = limit - delimiter.length;
        outer:
        for (int i = pos; i <= last; i++) {
            examined++;
            if (buffer[i] != '\r') {
                continue;
            }
            for (int k = 1; k < delimiter.length; k++) {
                if (buffer[i + k] != delimiter[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The position of the next CRLF at or after {@code pos + from}, or -1. */
    private int indexOfCrlf(int from) {
        for (int i = pos + from; i + 1 < limit; i++) {
            examined++;
            if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    long examined() {
        return examined;
    }

    /** Fills the buffer until it holds {@code count} unread bytes or the body ends. */
    private void ensure(int count) throws IOException {
        while (limit - pos < count && !eof) {
            fill();
        }
    }

    /** Moves the unread bytes to the front and reads more after them; sets {@link #eof} at the end. */
    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buffer, pos, buffer, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buffer.length) {
            throw new IllegalStateException("multipart lookahead buffer is full");
        }
        int read = in.read(buffer, limit, buffer.length - limit);
        if (read < 0) {
            eof = true;
        } else {
            limit += read;
        }
    }

    /** The content of the current part. */
    private final class PartStream extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] dst, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, dst.length);
            if (len == 0) {
                return 0;
            }
            return readBody(dst, off, len);
        }
    }
}
