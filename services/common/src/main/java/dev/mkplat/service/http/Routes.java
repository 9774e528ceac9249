package dev.mkplat.service.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Registers routes so that each one knows its template (for metrics and logs) and maps every
 * failure through {@link ErrorResponses}. It also keeps the list of routes, which gives unknown
 * paths a JSON 404, known paths with the wrong method a 405 with {@code Allow}, and lets tests
 * compare the routes with the OpenAPI document.
 */
public final class Routes {
    /** One registered route. */
    public record Route(Method method, String template) {
    }

    private final List<Route> routes = new ArrayList<>();

    /** Registers {@code handler} for {@code method} on {@code template} (Helidon syntax, e.g. {@code /items/{id}}). */
    public Routes add(HttpRules rules, Method method, String template, Handler handler) {
        routes.add(new Route(method, template));
        rules.route(method, template, guarded(template, handler));
        return this;
    }

    public Routes get(HttpRules rules, String template, Handler handler) {
        return add(rules, Method.GET, template, handler);
    }

    public Routes post(HttpRules rules, String template, Handler handler) {
        return add(rules, Method.POST, template, handler);
    }

    public Routes put(HttpRules rules, String template, Handler handler) {
        return add(rules, Method.PUT, template, handler);
    }

    public Routes delete(HttpRules rules, String template, Handler handler) {
        return add(rules, Method.DELETE, template, handler);
    }

    /** Every route registered so far, in order. */
    public List<Route> routes() {
        return Collections.unmodifiableList(routes);
    }

    /** Must be registered last: answers what no route matched with a JSON 404 or 405. */
    public void fallback(HttpRules rules) {
        rules.any(this::unmatched);
    }

    private void unmatched(ServerRequest req, ServerResponse res) {
        String path = req.path().path();
        Set<String> allowed = allowedMethods(path);
        String requestId = RequestInfo.of(req).requestId();
        if (allowed.isEmpty()) {
            ErrorResponses.send(res, Status.NOT_FOUND_404, "no route for " + req.prologue().method().text() + " " + truncate(path), requestId);
        } else {
            res.header(HeaderNames.ALLOW, String.join(", ", allowed));
            ErrorResponses.send(res, Status.METHOD_NOT_ALLOWED_405, "method " + req.prologue().method().text() + " is not allowed here", requestId);
        }
    }

    /**
     * The methods of the path's resource, for {@code Allow}: those of the most specific templates
     * that match, so that {@code /images/upload} (POST) does not also claim what
     * {@code /images/{id}} allows, as the OpenAPI document has it. Empty when no template matches.
     */
    public Set<String> allowedMethods(String path) {
        int fewestParameters = Integer.MAX_VALUE;
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            if (!matches(route.template(), path)) {
                continue;
            }
            int parameters = parameterCount(route.template());
            if (parameters < fewestParameters) {
                fewestParameters = parameters;
                allowed.clear();
            }
            if (parameters == fewestParameters) {
                allowed.add(route.method().text());
            }
        }
        return allowed;
    }

    private static int parameterCount(String template) {
        return (int) template.chars().filter(c -> c == '{').count();
    }

    private static Handler guarded(String template, Handler handler) {
        return (req, res) -> {
            RequestInfo.of(req).route(template);
            try {
                handler.handle(req, res);
            } catch (Exception e) {
                ErrorResponses.send(req, res, e);
            }
        };
    }

    private static boolean matches(String template, String path) {
        String regex = Pattern.quote(template).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q");
        return Pattern.matches(regex, path);
    }

    private static String truncate(String path) {
        return path.length() <= 100 ? path : path.substring(0, 100) + "...";
    }
}
