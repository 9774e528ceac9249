package dev.mkplat.service.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Mounts each resource, an {@link HttpService}, under its path prefix and remembers every route by
 * its full template (prefix and path, e.g. {@code /items/{id}}): the template is the route's label in
 * the metrics and logs, unknown paths get a JSON 404, known paths with the wrong method a 405 with
 * {@code Allow}, and tests compare the routes with the OpenAPI document. Every failure of a handler
 * is mapped through {@link ErrorResponses}.
 *
 * <p>A resource adds its routes with {@link HttpRules#route(Method, String, Handler)} or the
 * shortcuts that call it ({@code get}, {@code post}, {@code put}, {@code delete}, ...), each with a
 * path template; routes given as a ready {@code HttpRoute} have no template to know, so they are refused.
 */
public final class Routes {
    /** One registered route. */
    public record Route(Method method, String template) {}

    private final List<Route> routes = new ArrayList<>();
    /** Each template as a regex, compiled once: templated routes check the literal paths beside them on every request. */
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    /**
     * Registers {@code services} under {@code prefix} (Helidon's {@code register(prefix, ...)}).
     * The routes are known as soon as this returns, before Helidon builds the routing (which is
     * when it asks a service for its rules), so tests read them without starting a server.
     */
    public Routes register(HttpRules rules, String prefix, HttpService... services) {
        for (HttpService service : services) {
            service.routing(new MountedRules(prefix, null));
            rules.register(prefix, new Mounted(prefix, service));
        }
        return this;
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
            ErrorResponses.send(
                    res,
                    Status.NOT_FOUND_404,
                    "no route for " + req.prologue().method().text() + " " + truncate(path),
                    requestId);
        } else {
            res.header(HeaderNames.ALLOW, String.join(", ", allowed));
            ErrorResponses.send(
                    res,
                    Status.METHOD_NOT_ALLOWED_405,
                    "method " + req.prologue().method().text() + " is not allowed here",
                    requestId);
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

    /**
     * Wraps a handler: it labels the request with its route's template and maps failures. Helidon
     * also hands {@code /items/} to the {@code /} route of a resource mounted at {@code /items};
     * that path has never been a route, so such a route passes it on to the 404/405 fallback.
     */
    private Handler guarded(String template, boolean trailingSlashIsAnotherPath, Handler handler) {
        int parameters = parameterCount(template);
        return (req, res) -> {
            if (trailingSlashIsAnotherPath && req.path().absolute().path().endsWith("/")) {
                res.next();
                return;
            }
            if (parameters > 0 && shadowed(req.path().absolute().path(), parameters)) {
                // A template with fewer parameters owns this path (/images/upload, not /images/{id}),
                // as the OpenAPI documents have it: the fallback answers as that resource does, 405 + Allow.
                res.next();
                return;
            }
            RequestInfo.of(req).route(template);
            try {
                handler.handle(req, res);
            } catch (Exception e) {
                ErrorResponses.send(req, res, e);
            }
        };
    }

    /** {@code prefix} and a path under it as one template: {@code /items} and {@code /} give {@code /items}. */
    static String template(String prefix, String path) {
        String base = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (path.isEmpty() || path.equals("/")) {
            return base.isEmpty() ? "/" : base;
        }
        return base + (path.startsWith("/") ? path : "/" + path);
    }

    /** A service as mounted: Helidon sees it with the rules that know each route's full template. */
    private final class Mounted implements HttpService {
        private final String prefix;
        private final HttpService service;

        Mounted(String prefix, HttpService service) {
            this.prefix = prefix;
            this.service = service;
        }

        @Override
        public void routing(HttpRules rules) {
            service.routing(new MountedRules(prefix, rules));
        }

        @Override
        public void beforeStart() {
            service.beforeStart();
        }

        @Override
        public void afterStop() {
            service.afterStop();
        }
    }

    /**
     * The rules a mounted service adds its routes to. Without {@code target} they only learn the
     * templates (when the service is registered); with it they add the guarded routes to Helidon's
     * rules (when Helidon builds the routing).
     */
    private final class MountedRules implements HttpRules {
        private final String prefix;
        private final HttpRules target;

        MountedRules(String prefix, HttpRules target) {
            this.prefix = prefix;
            this.target = target;
        }

        @Override
        public HttpRules route(Method method, String path, Handler handler) {
            String template = template(prefix, path);
            if (target == null) {
                routes.add(new Route(method, template));
            } else {
                boolean collection =
                        !template.equals("/") && template(prefix, "/").equals(template);
                target.route(method, path, guarded(template, collection, handler));
            }
            return this;
        }

        @Override
        public HttpRules route(HttpRoute route) {
            throw new UnsupportedOperationException(
                    "add routes of " + prefix + " with a path template, so that Routes knows it");
        }

        @Override
        public HttpRules register(HttpService... services) {
            throw new UnsupportedOperationException("register services with Routes.register, not inside " + prefix);
        }

        @Override
        public HttpRules register(String path, HttpService... services) {
            throw new UnsupportedOperationException("register services with Routes.register, not inside " + prefix);
        }
    }

    /** Whether a route with fewer than {@code parameters} parameters matches {@code path}. */
    private boolean shadowed(String path, int parameters) {
        for (Route route : routes) {
            if (parameterCount(route.template()) < parameters && matches(route.template(), path)) {
                return true;
            }
        }
        return false;
    }

    private boolean matches(String template, String path) {
        return patterns.computeIfAbsent(template, Routes::compile).matcher(path).matches();
    }

    private static Pattern compile(String template) {
        return Pattern.compile(Pattern.quote(template).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q"));
    }

    private static String truncate(String path) {
        return path.length() <= 100 ? path : path.substring(0, 100) + "...";
    }
}
