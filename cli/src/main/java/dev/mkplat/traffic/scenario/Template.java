package dev.mkplat.traffic.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text with {@code ${name}} placeholders, split once into literal and variable parts so that
 * rendering on the hot path is a walk over a short list. {@code $} is used rather than bare braces
 * because request bodies are JSON, full of braces.
 */
public final class Template {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final String text;
    private final List<String> literals;
    private final List<String> variables;

    private Template(String text, List<String> literals, List<String> variables) {
        this.text = text;
        this.literals = literals;
        this.variables = variables;
    }

    /** Parses {@code text}; a {@code $&#123;} that does not open a valid name is rejected. */
    public static Template of(String text) {
        List<String> literals = new ArrayList<>();
        List<String> variables = new ArrayList<>();
        Matcher m = VARIABLE.matcher(text);
        int end = 0;
        while (m.find()) {
            literals.add(text.substring(end, m.start()));
            variables.add(m.group(1));
            end = m.end();
        }
        String rest = text.substring(end);
        if (rest.contains("${")) {
            throw new IllegalArgumentException(
                    "malformed placeholder in '" + text + "': use ${name} with letters, digits and _");
        }
        literals.add(rest);
        return new Template(text, List.copyOf(literals), List.copyOf(variables));
    }

    /** The names this template refers to, in order. */
    public List<String> variables() {
        return variables;
    }

    /** The text with each variable replaced by {@code lookup}; IllegalStateException if one has no value. */
    public String render(Function<String, String> lookup) {
        if (variables.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 32);
        for (int i = 0; i < variables.size(); i++) {
            out.append(literals.get(i));
            String value = lookup.apply(variables.get(i));
            if (value == null) {
                throw new IllegalStateException("no value for ${" + variables.get(i) + "}");
            }
            out.append(value);
        }
        return out.append(literals.getLast()).toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
