package dev.mkplat.service.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.mkplat.service.http.ErrorResponses;
import dev.mkplat.service.http.Json;
import dev.mkplat.service.http.RequestInfo;
import dev.mkplat.service.http.Routes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /healthz} and {@code GET /readyz}. Readiness answers 200 when every check passed within
 * the deadline, and 503 with {@code Retry-After} and the reason of each failure otherwise.
 */
public final class HealthService {
    public static final String LIVENESS_PATH = "/healthz";
    public static final String READINESS_PATH = "/readyz";

    private final List<DependencyCheck> checks;
    private final Duration deadline;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public HealthService(List<DependencyCheck> checks, Duration deadline) {
        this.checks = List.copyOf(checks);
        this.deadline = deadline;
    }

    public void routing(HttpRules rules, Routes routes) {
        routes.get(rules, LIVENESS_PATH, this::getLivenessHandler);
        routes.get(rules, READINESS_PATH, this::getReadinessHandler);
    }

    private void getLivenessHandler(ServerRequest req, ServerResponse res) {
        Json.send(res, Status.OK_200, Map.of("status", "UP"));
    }

    private void getReadinessHandler(ServerRequest req, ServerResponse res) {
        Map<String, String> results = check();
        List<String> failures = new ArrayList<>();
        results.forEach((name, result) -> {
            if (!result.equals("UP")) {
                failures.add(name + ": " + result);
            }
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", failures.isEmpty() ? "UP" : "DOWN");
        body.put("checks", results);
        if (failures.isEmpty()) {
            Json.send(res, Status.OK_200, body);
            return;
        }
        body.put("error", String.join("; ", failures));
        body.put("requestId", RequestInfo.of(req).requestId());
        res.header(HeaderNames.RETRY_AFTER, Long.toString(ErrorResponses.DEPENDENCY_RETRY_AFTER.toSeconds()));
        Json.send(res, Status.SERVICE_UNAVAILABLE_503, body);
    }

    /** Runs every check concurrently; each result is "UP" or the reason it failed. */
    public Map<String, String> check() {
        Map<String, Future<?>> running = new LinkedHashMap<>();
        for (DependencyCheck check : checks) {
            running.put(check.name(), executor.submit(() -> {
                check.probe().check();
                return null;
            }));
        }
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        Map<String, String> results = new LinkedHashMap<>();
        running.forEach((name, future) -> results.put(name, await(future, deadlineNanos)));
        return results;
    }

    private String await(Future<?> future, long deadlineNanos) {
        try {
            future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return "UP";
        } catch (TimeoutException e) {
            future.cancel(true);
            return "no answer within " + deadline.toMillis() + " ms";
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String message = cause.getMessage();
            return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
