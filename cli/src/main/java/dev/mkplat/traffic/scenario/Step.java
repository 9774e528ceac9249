package dev.mkplat.traffic.scenario;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One request: method, a target's name (resolved to a base URL at run time) and a path template,
 * headers, a body, and values to capture from a JSON answer into variables for later steps
 * ({@code capture: {token: token}} stores the answer's {@code token} field as {@code ${token}}).
 *
 * @param name the endpoint's name in the report; requests with the same name share one histogram
 */
public record Step(
        String name,
        String target,
        String method,
        Template path,
        Map<String, Template> headers,
        Body body,
        Map<String, String> capture) {
    public Step {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
        capture = Map.copyOf(capture);
    }

    /** A step without headers, body or captures. */
    public static Step get(String name, String target, String path) {
        return new Step(name, target, "GET", Template.of(path), Map.of(), Body.NONE, Map.of());
    }

    /** The same step sending {@code Authorization: Bearer ${token}}. */
    public Step withBearerToken() {
        Map<String, Template> more = new LinkedHashMap<>(headers);
        more.put("Authorization", Template.of("Bearer ${token}"));
        return new Step(name, target, method, path, more, body, capture);
    }

    /** The same step sending {@code body}. */
    public Step withBody(String method, Body body) {
        return new Step(name, target, method, path, headers, body, capture);
    }

    /** The same step storing the answer's JSON {@code field} as {@code ${variable}}. */
    public Step capturing(String variable, String field) {
        Map<String, String> more = new LinkedHashMap<>(capture);
        more.put(variable, field);
        return new Step(name, target, method, path, headers, body, more);
    }

    /** Every variable this step's templates use. */
    public Set<String> variablesUsed() {
        Set<String> used = new LinkedHashSet<>(path.variables());
        headers.values().forEach(h -> used.addAll(h.variables()));
        if (body instanceof Body.Text text) {
            used.addAll(text.template().variables());
        }
        return used;
    }
}
