package dev.mkplat.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Set;

/**
 * JSON in and out. Bodies are read with a size bound and parsed into a tree, and fields are then
 * checked one by one, so that a wrong type is a 400 naming the field rather than a coercion
 * ({@code "name": 5} is not the string "5") or a 500.
 */
public final class Json {
    /** The one mapper: ISO-8601 timestamps, no trailing garbage after the document. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {}

    /** Sends {@code body} as JSON with the given status. */
    public static void send(ServerResponse res, Status status, Object body) {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize response", e);
        }
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(bytes);
    }

    /**
     * Reads the request body as a JSON object of at most {@code maxBytes} bytes.
     *
     * @throws ApiException 415 for a declared non-JSON type, 413 when too large, 400 when empty,
     *                      malformed or not an object
     */
    public static ObjectNode readObject(ServerRequest req, int maxBytes) {
        req.headers().contentType().filter(type -> !isJson(type)).ifPresent(type -> {
            throw ApiException.unsupportedMediaType("expected Content-Type application/json, got " + type.text());
        });
        byte[] bytes = Bodies.readBounded(req, maxBytes);
        if (bytes.length == 0) {
            throw ApiException.badRequest("request body is required");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw ApiException.badRequest("malformed JSON");
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.badRequest("expected a JSON object");
        }
        return object;
    }

    private static boolean isJson(HttpMediaType type) {
        return type.test(MediaTypes.APPLICATION_JSON)
                || type.mediaType().subtype().endsWith("+json");
    }

    /** Rejects fields the endpoint does not know, so that a typo is not silently ignored. */
    public static void rejectUnknownFields(ObjectNode body, Set<String> known) {
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw ApiException.badRequest("unknown field '" + name + "'; expected "
                        + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    /** A string field that must be present, with a length in characters (code points) in [min, max]. */
    public static String requiredString(ObjectNode body, String field, int min, int max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("field '" + field + "' is required");
        }
        return checkedString(value, field, min, max);
    }

    /** A string field that may be absent (or null), in which case {@code fallback} is returned. */
    public static String optionalString(ObjectNode body, String field, int min, int max, String fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        return checkedString(value, field, min, max);
    }

    private static String checkedString(JsonNode value, String field, int min, int max) {
        if (!value.isTextual()) {
            throw ApiException.badRequest("field '" + field + "' must be a string, got "
                    + value.getNodeType().name().toLowerCase());
        }
        String text = value.textValue();
        int length = text.codePointCount(0, text.length());
        if (length < min || length > max) {
            throw ApiException.badRequest(
                    "field '" + field + "' must be " + min + " to " + max + " characters, got " + length);
        }
        return text;
    }

    /** Parses a JSON document from a stream (used by clients of other services). */
    public static JsonNode read(InputStream in) {
        try {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code Content-Type} of a JSON response, for handlers that stream. */
    public static void markJson(ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, MediaTypes.APPLICATION_JSON_VALUE);
    }
}
