package dev.mkplat.service.health;

import dev.mkplat.service.http.ErrorResponses;
import dev.mkplat.service.http.Json;
import dev.mkplat.service.http.RequestInfo;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
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
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /healthz} and {@code GET /readyz}. Readiness answers 200 when every check passed within
 * the deadline, and 503 with {@code Retry-After} otherwise, with only {@code UP} or {@code DOWN}
 * per dependency: the reasons (database errors, host and bucket names) go to the log, not to
 * whoever can reach the port. A result is reused for {@link #REUSE}, so that a flood of requests
 * costs one round trip per dependency and second, not one each.
 */
public final class HealthService implements HttpService {
    /** Mounted at the root: the probes' paths are the ones the manifests and every platform use. */
    public static final String PATH = "/";

    public static final String LIVENESS_PATH = "/healthz";
    public static final String READINESS_PATH = "/readyz";
    /** How long one readiness result is served again; the kubelet probes every few seconds. */
    public static final Duration REUSE = Duration.ofSeconds(1);

    static final String UP = "UP";
    static final String DOWN = "DOWN";

    private static final Logger LOG = LoggerFactory.getLogger(HealthService.class);

    private final List<DependencyCheck> checks;
    private final Duration deadline;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ReentrantLock checking = new ReentrantLock();
    private volatile Readiness last;

    /** One readiness result and when it was taken. */
    private record Readiness(Map<String, String> results, long takenNanos) {}

    public HealthService(List<DependencyCheck> checks, Duration deadline) {
        this.checks = List.copyOf(checks);
        this.deadline = deadline;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(LIVENESS_PATH, this::getLivenessHandler).get(READINESS_PATH, this::getReadinessHandler);
    }

    private void getLivenessHandler(ServerRequest req, ServerResponse res) {
        Json.send(res, Status.OK_200, Map.of("status", "UP"));
    }

    private void getReadinessHandler(ServerRequest req, ServerResponse res) {
        Map<String, String> checked = new LinkedHashMap<>();
        recentResults().forEach((name, result) -> checked.put(name, result.equals(UP) ? UP : DOWN));
        boolean up = !checked.containsValue(DOWN);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? UP : DOWN);
        body.put("checks", checked);
        if (up) {
            Json.send(res, Status.OK_200, body);
            return;
        }
        body.put("requestId", RequestInfo.of(req).requestId());
        res.header(HeaderNames.RETRY_AFTER, Long.toString(ErrorResponses.DEPENDENCY_RETRY_AFTER.toSeconds()));
        Json.send(res, Status.SERVICE_UNAVAILABLE_503, body);
    }

    /**
     * The results of at most {@link #REUSE} ago, or new ones. Concurrent requests for new results
     * share one run of the checks. A run that finds a dependency down logs the reasons.
     */
    private Map<String, String> recentResults() {
        Readiness readiness = last;
        if (readiness != null && System.nanoTime() - readiness.takenNanos() < REUSE.toNanos()) {
            return readiness.results();
        }
        checking.lock();
        try {
            readiness = last;
            if (readiness != null && System.nanoTime() - readiness.takenNanos() < REUSE.toNanos()) {
                return readiness.results();
            }
            Map<String, String> results = check();
            List<String> failures = new ArrayList<>();
            results.forEach((name, result) -> {
                if (!result.equals(UP)) {
                    failures.add(name + ": " + result);
                }
            });
            if (!failures.isEmpty()) {
                LOG.warn("not ready: {}", String.join("; ", failures));
            }
            last = new Readiness(results, System.nanoTime());
            return results;
        } finally {
            checking.unlock();
        }
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
            return UP;
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
