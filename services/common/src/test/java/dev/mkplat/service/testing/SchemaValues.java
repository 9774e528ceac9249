package dev.mkplat.service.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.media.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values made from an OpenAPI schema: ones it accepts and, for each constraint it states, one it
 * refuses. What {@link OpenApiContract} sends. Only the schema's own words are used (type,
 * format, enum, pattern, length and range, required, nullable, additionalProperties), so that a
 * change of the document changes what is sent.
 */
final class SchemaValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The patterns the documents use: one character class, repeated. */
    private static final Pattern CLASS_PATTERN = Pattern.compile("\\^\\[([^\\]]+)]([+*]|\\{(\\d+)(?:,(\\d*))?})\\$");

    private static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final Random random;

    SchemaValues(Random random) {
        this.random = random;
    }

    /** A value the schema accepts; {@code null} schema: any short string. */
    JsonNode valid(Schema<?> schema) {
        if (schema == null) {
            return NODES.textNode(text(ALPHANUMERIC, 1, 8));
        }
        if (Boolean.TRUE.equals(schema.getNullable()) && random.nextInt(5) == 0) {
            return NODES.nullNode();
        }
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            Object choice = schema.getEnum().get(random.nextInt(schema.getEnum().size()));
            return choice == null ? NODES.nullNode() : NODES.textNode(choice.toString());
        }
        String type = type(schema);
        return switch (type) {
            case "object" -> validObject(schema);
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                int count = random.nextInt(3);
                for (int i = 0; i < count; i++) {
                    array.add(valid(schema.getItems()));
                }
                yield array;
            }
            case "integer" -> NODES.numberNode(validInteger(schema));
            case "number" -> NODES.numberNode(validInteger(schema).doubleValue());
            case "boolean" -> NODES.booleanNode(random.nextBoolean());
            default -> NODES.textNode(validString(schema));
        };
    }

    /** A string the schema accepts, for a path or query parameter. */
    String validText(Schema<?> schema) {
        JsonNode value = valid(schema);
        while (value.isNull()) {
            value = valid(schema);
        }
        return value.isTextual() ? value.asText() : value.toString();
    }

    /** Values that break one stated constraint each, named by what they break. */
    Map<String, JsonNode> invalid(Schema<?> schema) {
        Map<String, JsonNode> values = new java.util.LinkedHashMap<>();
        if (schema == null) {
            return values;
        }
        String type = type(schema);
        if (!Boolean.TRUE.equals(schema.getNullable())) {
            values.put("null", NODES.nullNode());
        }
        switch (type) {
            case "object" -> {
                ObjectNode base = validObject(schema);
                values.put("an array instead of an object", NODES.arrayNode().add(base));
                values.put("a string instead of an object", NODES.textNode("x"));
                List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
                for (String name : required) {
                    ObjectNode without = base.deepCopy();
                    without.remove(name);
                    values.put("without required " + name, without);
                }
                if (Boolean.FALSE.equals(schema.getAdditionalProperties())) {
                    ObjectNode extra = base.deepCopy();
                    extra.put("unknown" + random.nextInt(1000), "x");
                    values.put("with an unknown property", extra);
                }
                if (schema.getProperties() != null) {
                    schema.getProperties()
                            .forEach((name, property) -> invalid(property).forEach((what, bad) -> {
                                ObjectNode broken = base.deepCopy();
                                broken.set(name, bad);
                                values.put(name + " " + what, broken);
                            }));
                }
            }
            case "integer", "number" -> {
                values.put("a string instead of a number", NODES.textNode("x" + random.nextInt(100)));
                if (schema.getMinimum() != null) {
                    values.put(
                            "below its minimum",
                            NODES.numberNode(
                                    schema.getMinimum().subtract(BigDecimal.ONE).toBigInteger()));
                }
                if (schema.getMaximum() != null) {
                    values.put(
                            "above its maximum",
                            NODES.numberNode(
                                    schema.getMaximum().add(BigDecimal.ONE).toBigInteger()));
                }
                if ("integer".equals(type)) {
                    values.put("a fraction", NODES.numberNode(1.5));
                }
            }
            case "string" -> {
                if (!"binary".equals(schema.getFormat())) {
                    values.put("a number instead of a string", NODES.numberNode(7));
                    values.put(
                            "an object instead of a string", NODES.objectNode().put("a", "b"));
                }
                if (schema.getMinLength() != null && schema.getMinLength() > 0) {
                    values.put(
                            "shorter than its minLength",
                            NODES.textNode(text(ALPHANUMERIC, schema.getMinLength() - 1, schema.getMinLength() - 1)));
                }
                if (schema.getMaxLength() != null) {
                    values.put(
                            "longer than its maxLength",
                            NODES.textNode(text(ALPHANUMERIC, schema.getMaxLength() + 1, schema.getMaxLength() + 1)));
                }
                if (schema.getPattern() != null) {
                    values.put("outside its pattern", NODES.textNode("bad value " + random.nextInt(100) + " ü/?"));
                }
                if ("uuid".equals(schema.getFormat())) {
                    values.put("not a uuid", NODES.textNode("not-a-uuid-" + random.nextInt(100)));
                }
                if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
                    values.put(
                            "outside its enum",
                            NODES.textNode("NOT_" + schema.getEnum().getFirst()));
                }
            }
            default -> {
                // booleans and untyped schemas: null was enough
            }
        }
        return values;
    }

    private ObjectNode validObject(Schema<?> schema) {
        ObjectNode object = NODES.objectNode();
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, property) -> {
                if (required.contains(name) || random.nextBoolean()) {
                    object.set(name, valid(property));
                }
            });
        }
        return object;
    }

    private BigDecimal validInteger(Schema<?> schema) {
        long min = schema.getMinimum() == null ? -1000 : schema.getMinimum().longValueExact();
        long max =
                schema.getMaximum() == null ? min + 2000 : schema.getMaximum().longValueExact();
        long value = switch (random.nextInt(4)) {
            case 0 -> min;
            case 1 -> max;
            default -> min + (long) (random.nextDouble() * (max - min));
        };
        return BigDecimal.valueOf(value);
    }

    private String validString(Schema<?> schema) {
        if ("uuid".equals(schema.getFormat())) {
            return UUID.randomUUID().toString();
        }
        if ("date-time".equals(schema.getFormat())) {
            return Instant.now().toString();
        }
        int min = schema.getMinLength() == null ? 0 : schema.getMinLength();
        int max = schema.getMaxLength() == null ? min + 16 : schema.getMaxLength();
        if (schema.getPattern() != null) {
            Matcher simple = CLASS_PATTERN.matcher(schema.getPattern());
            if (!simple.matches()) {
                throw new IllegalArgumentException("no generator for the pattern " + schema.getPattern()
                        + "; OpenApiContract knows ^[class]+$, ^[class]*$ and ^[class]{n}$ / {n,m}");
            }
            String alphabet = expand(simple.group(1));
            if (simple.group(3) != null) {
                min = Math.max(min, Integer.parseInt(simple.group(3)));
                String upper = simple.group(4);
                max = upper == null
                        ? min
                        : upper.isEmpty() ? Math.max(max, min) : Math.min(max, Integer.parseInt(upper));
            } else if ("+".equals(simple.group(2))) {
                min = Math.max(min, 1);
            }
            return text(alphabet, min, Math.max(min, max));
        }
        // Never blank: the documents say in words that names are not blank, which a schema cannot.
        String text = text(ALPHANUMERIC + " -_.ü", min, max);
        return text.isEmpty() ? text : ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())) + text.substring(1);
    }

    private String text(String alphabet, int min, int max) {
        int length = switch (random.nextInt(4)) {
            case 0 -> min;
            case 1 -> max;
            default -> min + random.nextInt(Math.min(max, min + 24) - min + 1);
        };
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** The characters of a regex character class such as {@code A-Za-z0-9_-}. */
    private static String expand(String characterClass) {
        StringBuilder characters = new StringBuilder();
        for (int i = 0; i < characterClass.length(); i++) {
            char c = characterClass.charAt(i);
            if (c == '\\' && i + 1 < characterClass.length()) {
                characters.append(characterClass.charAt(++i));
            } else if (i + 2 < characterClass.length() && characterClass.charAt(i + 1) == '-') {
                for (char each = c; each <= characterClass.charAt(i + 2); each++) {
                    characters.append(each);
                }
                i += 2;
            } else {
                characters.append(c);
            }
        }
        return characters.toString();
    }

    static String type(Schema<?> schema) {
        if (schema.getType() != null) {
            return schema.getType();
        }
        if (schema.getTypes() != null && !schema.getTypes().isEmpty()) {
            return schema.getTypes().iterator().next();
        }
        return schema.getProperties() != null ? "object" : "string";
    }

    /** For callers that want several valid values at once. */
    List<JsonNode> valid(Schema<?> schema, int count) {
        List<JsonNode> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(valid(schema));
        }
        return values;
    }
}
