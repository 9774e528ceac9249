package dev.mkplat.config;

import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;

/**
 * Where each key and value sits in the file, by JSON pointer ({@code /replicas/min}), so that
 * a value that binds but is out of range is still reported at its line and column.
 */
record YamlLocations(Map<String, TokenStreamLocation> keys, Map<String, TokenStreamLocation> values) {
    static YamlLocations of(String text) {
        Map<String, TokenStreamLocation> keys = new HashMap<>();
        Map<String, TokenStreamLocation> values = new HashMap<>();
        try (JsonParser parser = StrictYaml.MAPPER.createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                String pointer = parser.streamReadContext().pathAsPointer().toString();
                if (token == JsonToken.PROPERTY_NAME) {
                    keys.put(pointer, parser.currentTokenLocation());
                } else if (token.isScalarValue()) {
                    values.put(pointer, parser.currentTokenLocation());
                }
            }
        } catch (JacksonException unparseable) {
            // Keep what was found before the syntax error: the caller reports that error itself.
        }
        return new YamlLocations(keys, values);
    }

    /** Where the value at {@code pointer} is, else its key, else the nearest enclosing key. */
    TokenStreamLocation at(String pointer) {
        for (String candidate = pointer;
                !candidate.isEmpty();
                candidate = candidate.substring(0, candidate.lastIndexOf('/'))) {
            TokenStreamLocation location = values.getOrDefault(candidate, keys.get(candidate));
            if (location != null) {
                return location;
            }
        }
        return null;
    }

    /** Where the key at {@code pointer} is. */
    TokenStreamLocation keyAt(String pointer) {
        TokenStreamLocation key = keys.get(pointer);
        return key != null ? key : at(pointer);
    }
}
