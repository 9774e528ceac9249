package dev.mkplat.traffic.scenario;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a scenario from YAML into validated records. Unknown keys and wrong types are reported
 * with file:line:column; a problem found after parsing names the entry ({@code requests[2]}).
 *
 * <pre>
 * name: shop                    # optional, shown in the report
 * users: 5                      # virtual users; each runs setup once (default 0)
 * targets:                      # default base URLs; --target name=URL overrides
 *   api: http://127.0.0.1:3000
 * setup:
 *   - {target: api, method: POST, path: /login, body: '{"user":"${user}"}', capture: {token: token}}
 * requests:
 *   - name: list items          # the endpoint's name in the report
 *     weight: 3                 # relative share of arrivals (default 1)
 *     target: api
 *     path: /items              # method defaults to GET
 *     headers: {Authorization: 'Bearer ${token}'}
 *   - name: upload
 *     target: api
 *     method: POST
 *     path: /upload
 *     generate: png             # a small generated PNG as the body
 *     capture: {id: id}
 *     then:                     # follow-up requests, sent when the previous one succeeded
 *       - {name: fetch, target: api, path: '/images/${id}'}
 * </pre>
 */
public final class ScenarioFile {
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ScenarioFile() {}

    /** Why a scenario file cannot be used; the message starts with {@code file[:line:column]}. */
    public static final class InvalidScenarioException extends RuntimeException {
        InvalidScenarioException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    record FileScenario(
            String name, Integer users, Map<String, String> targets, List<FileStep> setup, List<FileStep> requests) {}

    record FileStep(
            String name,
            Integer weight,
            String target,
            String method,
            String path,
            Map<String, String> headers,
            String body,
            String contentType,
            String generate,
            Map<String, String> capture,
            List<FileStep> then) {}

    /** Reads and validates {@code file}. */
    public static Scenario read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidScenarioException(file + ": no such file", e);
        } catch (IOException e) {
            throw new InvalidScenarioException(file + ": cannot read: " + e.getMessage(), e);
        }
        FileScenario parsed;
        // Our own parser, because the YAML backend's exceptions often carry no location: the
        // parser's current token is where the problem is.
        try (JsonParser parser = MAPPER.createParser(text)) {
            try {
                parsed = MAPPER.readValue(parser, FileScenario.class);
            } catch (UnrecognizedPropertyException e) {
                throw new InvalidScenarioException(
                        at(file, keyLocation(text, e), parser) + "unknown key '" + e.getPropertyName() + "' (known: "
                                + String.join(
                                        ", ",
                                        e.getKnownPropertyIds().stream()
                                                .map(Object::toString)
                                                .sorted()
                                                .toList())
                                + ")",
                        e);
            } catch (JacksonException e) {
                throw new InvalidScenarioException(at(file, e.getLocation(), parser) + e.getOriginalMessage(), e);
            }
        }
        if (parsed == null) {
            throw new InvalidScenarioException(file + ": the file is empty", null);
        }
        try {
            return toScenario(file, parsed);
        } catch (IllegalArgumentException e) {
            throw new InvalidScenarioException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where the unknown key is: record creators buffer the whole mapping before complaining, so the
     * exception points at the mapping's end. Re-reading the tokens finds the key by its path.
     */
    private static TokenStreamLocation keyLocation(String text, UnrecognizedPropertyException e) {
        StringBuilder pointer = new StringBuilder();
        for (var reference : e.getPath()) {
            pointer.append('/')
                    .append(
                            reference.getPropertyName() != null
                                    ? reference.getPropertyName()
                                    : Integer.toString(reference.getIndex()));
        }
        try (JsonParser parser = MAPPER.createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.PROPERTY_NAME
                        && parser.streamReadContext().pathAsPointer().toString().equals(pointer.toString())) {
                    return parser.currentTokenLocation();
                }
            }
        } catch (JacksonException ignored) {
            // fall back to the exception's own location
        }
        return e.getLocation();
    }

    private static String at(Path file, TokenStreamLocation location, JsonParser parser) {
        TokenStreamLocation where =
                location != null && location.getLineNr() > 0 ? location : parser.currentTokenLocation();
        return where == null || where.getLineNr() < 1
                ? file + ": "
                : file + ":" + where.getLineNr() + ":" + where.getColumnNr() + ": ";
    }

    private static Scenario toScenario(Path file, FileScenario parsed) {
        Map<String, URI> targets = new LinkedHashMap<>();
        if (parsed.targets() != null) {
            parsed.targets().forEach((name, url) -> targets.put(name, baseUrl("targets." + name, url)));
        }
        List<Step> setup = new ArrayList<>();
        List<FileStep> setupSteps = parsed.setup() == null ? List.of() : parsed.setup();
        for (int i = 0; i < setupSteps.size(); i++) {
            FileStep step = setupSteps.get(i);
            String where = "setup[" + i + "]";
            if (step.weight() != null || step.then() != null) {
                throw new IllegalArgumentException(where + ": weight and then belong to requests, not setup");
            }
            setup.add(step(where, step));
        }
        if (parsed.requests() == null || parsed.requests().isEmpty()) {
            throw new IllegalArgumentException("requests: at least one request is needed");
        }
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < parsed.requests().size(); i++) {
            FileStep request = parsed.requests().get(i);
            String where = "requests[" + i + "]";
            List<Step> chain = new ArrayList<>();
            chain.add(step(where, request));
            List<FileStep> then = request.then() == null ? List.of() : request.then();
            for (int j = 0; j < then.size(); j++) {
                FileStep next = then.get(j);
                if (next.weight() != null || next.then() != null) {
                    throw new IllegalArgumentException(
                            where + ".then[" + j + "]: weight and then belong to the first request only");
                }
                chain.add(step(where + ".then[" + j + "]", next));
            }
            int weight = request.weight() == null ? 1 : request.weight();
            if (weight < 1) {
                throw new IllegalArgumentException(where + ".weight: must be 1 or more, got " + weight);
            }
            actions.add(new Action(weight, chain));
        }
        String name = parsed.name() == null ? file.getFileName().toString() : parsed.name();
        return new Scenario(name, parsed.users() == null ? 0 : parsed.users(), targets, setup, actions);
    }

    private static Step step(String where, FileStep step) {
        if (step.target() == null || step.target().isBlank()) {
            throw new IllegalArgumentException(where + ".target: missing (a name from targets, or api, auth, images)");
        }
        String method = step.method() == null ? "GET" : step.method().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException(where + ".method: '" + step.method() + "' is not one of "
                    + String.join(", ", METHODS.stream().sorted().toList()));
        }
        if (step.path() == null || !step.path().startsWith("/")) {
            throw new IllegalArgumentException(where + ".path: must start with /, got "
                    + (step.path() == null ? "nothing" : "'" + step.path() + "'"));
        }
        if (step.body() != null && step.generate() != null) {
            throw new IllegalArgumentException(where + ": body and generate exclude each other");
        }
        Body body = Body.NONE;
        if (step.generate() != null) {
            if (!"png".equals(step.generate())) {
                throw new IllegalArgumentException(
                        where + ".generate: only 'png' is supported, got '" + step.generate() + "'");
            }
            body = new Body.Png();
        } else if (step.body() != null) {
            body = new Body.Text(
                    template(where + ".body", step.body()),
                    step.contentType() == null ? "application/json" : step.contentType());
        }
        Map<String, Template> headers = new LinkedHashMap<>();
        if (step.headers() != null) {
            step.headers()
                    .forEach((header, value) -> headers.put(header, template(where + ".headers." + header, value)));
        }
        String name = step.name() != null ? step.name() : method + " " + step.target() + " " + step.path();
        return new Step(
                name,
                step.target(),
                method,
                template(where + ".path", step.path()),
                headers,
                body,
                step.capture() == null ? Map.of() : step.capture());
    }

    private static Template template(String where, String text) {
        try {
            return Template.of(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    /** Checks that {@code url} is an http(s) URL with a host; {@code where} names it in the message. */
    public static URI baseUrl(String where, String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": '" + url + "' is not a URL", e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    where + ": '" + url + "' must be an http:// or https:// URL with a host");
        }
        return uri;
    }
}
