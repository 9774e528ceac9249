package dev.mkplat.api.items;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkplat.service.http.ApiException;
import dev.mkplat.service.http.Json;
import java.util.Set;

/**
 * What a client sends to create or replace an item: {@code {"name": 1-200 characters,
 * "description": 0-2000 characters, optional, default ""}}. Lengths count Unicode code points.
 *
 * @param name        the item's name, not blank
 * @param description the item's description, possibly empty
 */
public record ItemDraft(String name, String description) {
    public static final int NAME_MAX = 200;
    public static final int DESCRIPTION_MAX = 2000;
    private static final Set<String> FIELDS = Set.of("name", "description");

    /**
     * Validates a request body.
     *
     * @throws ApiException 400 naming the field for an unknown field, a missing or blank name, a
     *                      wrong type, a length out of range, or text Postgres cannot store
     */
    public static ItemDraft from(ObjectNode body) {
        Json.rejectUnknownFields(body, FIELDS);
        String name = Json.requiredString(body, "name", 1, NAME_MAX);
        if (name.isBlank()) {
            throw ApiException.badRequest("field 'name' must not be blank");
        }
        String description = Json.optionalString(body, "description", 0, DESCRIPTION_MAX, "");
        requireStorable("name", name);
        requireStorable("description", description);
        return new ItemDraft(name, description);
    }

    /**
     * Postgres text cannot hold NUL, and a lone UTF-16 surrogate (valid in a JSON escape such as
     * {@code "\ud800"}) has no UTF-8 form: both would fail in the database as a 500, or be
     * silently replaced, so they are refused up front.
     */
    private static void requireStorable(String field, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                throw ApiException.badRequest("field '" + field + "' must not contain NUL characters");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiException.badRequest("field '" + field + "' contains an unpaired UTF-16 surrogate");
            }
        }
    }
}
