package dev.mkplat.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Binds {@code mkplat.yaml} to a {@link ConfigDocument} strictly: an unknown key, a wrong type or a
 * duplicate key fails, and Jackson's failure becomes a {@link ConfigException} at the file's line
 * and column, with a "did you mean" for a mistyped key.
 */
final class StrictYaml {
    static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // "min: '2'" is a string where a number belongs: say so instead of guessing.
            .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Float, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(
                    LogicalType.Boolean,
                    c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
            .build();

    private static final String HINT = PlatformConfigLoader.HINT;

    private StrictYaml() {}

    /** The document in {@code text}, or null when it has no content (empty, or only comments: all defaults). */
    static ConfigDocument bind(Path file, String text) {
        try (JsonParser parser = MAPPER.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null; // an empty file, or only comments: all defaults
            }
            if (first != JsonToken.START_OBJECT) {
                TokenStreamLocation at = parser.currentTokenLocation();
                throw new ConfigException(
                        file,
                        at.getLineNr(),
                        at.getColumnNr(),
                        "expected a mapping of keys (domain, hosts, replicas, images, storage, monitoring, timeouts, slos, tracing, alerting, logs), found "
                                + describe(first),
                        HINT,
                        null);
            }
            return MAPPER.readValue(parser, ConfigDocument.class);
        } catch (JacksonException e) {
            throw translate(file, YamlLocations.of(text), e);
        }
    }

    private static String pointer(String dottedPath) {
        return dottedPath.isEmpty() ? "" : "/" + dottedPath.replace('.', '/');
    }

    private static ConfigException translate(Path file, YamlLocations locations, JacksonException failure) {
        String path = dotted(failure.getPath());
        TokenStreamLocation at = failure.getLocation();
        if (at == null || at.getLineNr() < 1) {
            // Records bind through a buffering creator, so Jackson knows the path but not the place.
            at = failure instanceof UnrecognizedPropertyException
                    ? locations.keyAt(pointer(path))
                    : locations.at(pointer(path));
        }
        int line = at == null ? 1 : Math.max(1, at.getLineNr());
        int column = at == null ? 1 : Math.max(1, at.getColumnNr());
        if (failure instanceof UnrecognizedPropertyException unknown) {
            String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
            List<String> known = unknown.getKnownPropertyIds() == null
                    ? List.of()
                    : unknown.getKnownPropertyIds().stream()
                            .map(String::valueOf)
                            .sorted()
                            .toList();
            String hint = DidYouMean.closest(unknown.getPropertyName(), known)
                    .map(k -> "did you mean '" + k + "'?")
                    .orElse(known.isEmpty() ? HINT : "the keys here are: " + String.join(", ", known));
            return new ConfigException(
                    file,
                    line,
                    column,
                    "unknown key '" + unknown.getPropertyName() + "'" + (parent.isEmpty() ? "" : " in " + parent),
                    hint,
                    failure);
        }
        if (failure instanceof MismatchedInputException mismatch && !path.isEmpty()) {
            return new ConfigException(
                    file, line, column, path + ": expected " + expected(mismatch.getTargetType()), HINT, failure);
        }
        String message = failure.getOriginalMessage() == null
                ? failure.getClass().getSimpleName()
                : failure.getOriginalMessage();
        String firstLine = message.lines().findFirst().orElse(message).strip();
        if (firstLine.startsWith("Duplicate")) {
            return new ConfigException(
                    file,
                    line,
                    column,
                    "duplicate key" + (path.isEmpty() ? "" : " " + path) + " (" + firstLine + ")",
                    HINT,
                    failure);
        }
        return new ConfigException(file, line, column, "not valid YAML: " + firstLine, HINT, failure);
    }

    private static String dotted(List<JacksonException.Reference> references) {
        List<String> names = new ArrayList<>();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                names.add(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                names.add(String.valueOf(reference.getIndex()));
            }
        }
        return String.join(".", names);
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a different kind of value";
        }
        if (type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a single value (text or number), not a list or mapping";
        }
        if (type.isRecord()) {
            return "a mapping of keys (" + String.join(", ", recordKeys(type)) + ")";
        }
        return "a value of type " + type.getSimpleName();
    }

    private static List<String> recordKeys(Class<?> type) {
        List<String> keys = new ArrayList<>();
        for (var component : type.getRecordComponents()) {
            keys.add(component.getName());
        }
        return keys;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a text value";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }
}
