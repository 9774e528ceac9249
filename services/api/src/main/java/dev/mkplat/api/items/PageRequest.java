package dev.mkplat.api.items;

import dev.mkplat.service.http.ApiException;
import io.helidon.common.uri.UriQuery;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which slice of the list a client asked for: {@code ?limit=} (1 to 100, default 20) and
 * {@code ?offset=} (0 or more, default 0). Offsets rather than cursors: lists are small per user,
 * the index on (owner, created_at, id) serves both, and offsets are what a person types in curl.
 *
 * @param limit  how many items at most
 * @param offset how many items to skip, newest first
 */
public record PageRequest(int limit, long offset) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    /** Far beyond any real list; it only keeps {@code offset + limit} and the SQL in range. */
    public static final long MAX_OFFSET = Integer.MAX_VALUE;

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,12}");

    /**
     * Reads {@code limit} and {@code offset} from the query; other parameters are ignored.
     *
     * @throws ApiException 400 for a value that is not an integer, out of range or repeated
     */
    public static PageRequest from(UriQuery query) {
        return new PageRequest(
                (int) parameter(query, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
                parameter(query, "offset", 0, 0, MAX_OFFSET));
    }

    private static long parameter(UriQuery query, String name, long fallback, long min, long max) {
        List<String> values;
        try {
            values = query.all(name, List::of);
        } catch (IllegalArgumentException e) {
            // A malformed %-escape in the query string is the client's mistake, not ours.
            throw ApiException.badRequest("query parameter '" + name + "' is not properly encoded");
        }
        if (values.isEmpty()) {
            return fallback;
        }
        if (values.size() > 1) {
            throw ApiException.badRequest("query parameter '" + name + "' must be given once");
        }
        String text = values.getFirst();
        if (!INTEGER.matcher(text).matches()) {
            throw ApiException.badRequest(
                    "query parameter '" + name + "' must be an integer from " + min + " to " + max);
        }
        long value = Long.parseLong(text);
        if (value < min || value > max) {
            throw ApiException.badRequest(
                    "query parameter '" + name + "' must be an integer from " + min + " to " + max + ", got " + value);
        }
        return value;
    }
}
