package dev.mkplat.traffic.engine;

import dev.mkplat.traffic.report.EndpointStats;
import dev.mkplat.traffic.report.LoadMetrics;
import dev.mkplat.traffic.report.RequestOutcome;
import dev.mkplat.traffic.scenario.Action;
import dev.mkplat.traffic.scenario.Body;
import dev.mkplat.traffic.scenario.PngImage;
import dev.mkplat.traffic.scenario.Scenario;
import dev.mkplat.traffic.scenario.Step;
import dev.mkplat.traffic.scenario.Template;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a scenario's actions: picks one by weight and a virtual user at random, renders its
 * requests, sends them and records each outcome under its endpoint. Steps without variables are
 * prepared once, so a plain {@code --url} run does no per-request work beyond sending and recording.
 */
public final class Workload {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The warm-up is not worth more than this. */
    private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(3);

    private final HttpEngine engine;
    private final String runId;
    private final byte[] png;
    private final CompiledAction[] actions;
    private final int[] cumulativeWeights;
    private final int totalWeight;
    private final List<CompiledStep> setup;
    private final AtomicLong seq = new AtomicLong();
    private volatile List<VirtualUser> users = List.of();

    public Workload(
            Scenario scenario,
            Map<String, URI> targets,
            HttpEngine engine,
            LoadMetrics metrics,
            LoadMetrics setupMetrics,
            String runId) {
        this.engine = engine;
        this.runId = runId;
        this.png = PngImage.generate(16, runId.hashCode());
        List<Action> list = scenario.actions();
        this.actions = new CompiledAction[list.size()];
        this.cumulativeWeights = new int[list.size()];
        int sum = 0;
        for (int i = 0; i < list.size(); i++) {
            Action action = list.get(i);
            actions[i] = new CompiledAction(action.steps().stream()
                    .map(s -> compile(s, targets, metrics))
                    .toArray(CompiledStep[]::new));
            sum += action.weight();
            cumulativeWeights[i] = sum;
        }
        this.totalWeight = sum;
        this.setup = scenario.setup().stream()
                .map(s -> compile(s, targets, setupMetrics))
                .toList();
    }

    /**
     * The actions as fixed requests, when every action is one request with no variables and no
     * captures (a {@code --url} run, or a simple scenario file): such a load needs no scenario
     * logic per request, so an event loop can send it ({@link EventLoopClosedRunner}). Empty
     * otherwise. HEAD is left out: its answer has no body, which a response parser must be told.
     */
    public List<FixedRequest> fixedRequests() {
        List<FixedRequest> fixed = new ArrayList<>(actions.length);
        for (int i = 0; i < actions.length; i++) {
            CompiledAction action = actions[i];
            if (action.steps.length != 1) {
                return List.of();
            }
            CompiledStep step = action.steps[0];
            if (step.constant == null || !step.step.capture().isEmpty() || "HEAD".equals(step.step.method())) {
                return List.of();
            }
            int weight = cumulativeWeights[i] - (i == 0 ? 0 : cumulativeWeights[i - 1]);
            fixed.add(new FixedRequest(
                    step.step.method(),
                    step.fixedUri,
                    step.fixedHeaders,
                    step.fixedBody,
                    step.step.body().contentType().orElse(null),
                    weight,
                    step.stats));
        }
        return fixed;
    }

    /** Uses these users for the load (after their setup). */
    public void users(List<VirtualUser> ready) {
        this.users = List.copyOf(ready);
    }

    /**
     * Runs {@code user}'s setup steps in order, keeping what they capture.
     *
     * @return null when all succeeded, else what went wrong
     */
    public String setUp(VirtualUser user) {
        for (CompiledStep step : setup) {
            long start = System.nanoTime();
            Map<String, String> captured = new HashMap<>();
            RequestOutcome outcome = engine.send(step.prepare(name -> lookup(name, user, null, 0)));
            step.stats.record(outcome, System.nanoTime() - start);
            if (!outcome.ok()) {
                return step.step.name() + ": "
                        + (outcome.error() != null
                                ? outcome.error()
                                : "HTTP " + outcome.status() + answerExcerpt(outcome.body()));
            }
            String missing = capture(step, outcome, captured);
            if (missing != null) {
                return step.step.name() + ": the answer has no '" + missing + "'" + answerExcerpt(outcome.body());
            }
            captured.forEach(user::set);
        }
        return null;
    }

    /**
     * Sends each action's first request {@code requests} times without recording anything, when
     * that request is a GET without variables (safe to repeat), from {@code concurrency} threads of
     * the kind the runner uses (a virtual thread's blocking reads take another path through the JDK):
     * the JVM loads and compiles the client's code and the pool opens connections here, not in the
     * first measured seconds. Stops sending after {@link #WARM_UP_LIMIT} (a slow target: measure it
     * rather than wait for it) and returns when the requests still out are done, so that none
     * overlaps the load (the engine's timeout bounds that wait).
     */
    public void warmUp(int requests, int concurrency, Thread.Builder threadKind) throws InterruptedException {
        List<HttpEngine.Prepared> safe = new ArrayList<>();
        for (CompiledAction action : actions) {
            CompiledStep first = action.steps[0];
            if (first.constant != null && "GET".equals(first.step.method())) {
                safe.add(first.constant);
            }
        }
        if (safe.isEmpty()) {
            return;
        }
        AtomicLong left = new AtomicLong((long) requests * safe.size());
        long deadline = System.nanoTime() + WARM_UP_LIMIT.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            threads.add(threadKind.name("traffic-warm-up-" + t).start(() -> {
                long n;
                while ((n = left.decrementAndGet()) >= 0 && System.nanoTime() < deadline) {
                    engine.send(safe.get((int) (n % safe.size())));
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /**
     * One arrival: an action's requests in order, stopping at the first that fails. The first
     * request's latency counts from {@code intendedNanos}; a follow-up's from when it was sent,
     * since it could not be sent before the answer it depends on.
     */
    void iterate(long intendedNanos) {
        CompiledAction action = actions.length == 1 ? actions[0] : pick();
        List<VirtualUser> pool = users;
        VirtualUser user =
                pool.isEmpty() ? null : pool.get(ThreadLocalRandom.current().nextInt(pool.size()));
        long number = action.constant ? 0 : seq.incrementAndGet();
        Map<String, String> local = null;
        long intended = intendedNanos;
        for (CompiledStep step : action.steps) {
            Map<String, String> vars = local;
            HttpEngine.Prepared request =
                    step.constant != null ? step.constant : step.prepare(name -> lookup(name, user, vars, number));
            RequestOutcome outcome = engine.send(request);
            long end = System.nanoTime();
            step.stats.record(outcome, end - intended);
            if (!outcome.ok()) {
                return;
            }
            if (!step.step.capture().isEmpty()) {
                local = local == null ? new HashMap<>() : local;
                if (capture(step, outcome, local) != null) {
                    return;
                }
            }
            intended = end;
        }
    }

    private CompiledAction pick() {
        int r = ThreadLocalRandom.current().nextInt(totalWeight);
        for (int i = 0; i < cumulativeWeights.length; i++) {
            if (r < cumulativeWeights[i]) {
                return actions[i];
            }
        }
        return actions[actions.length - 1];
    }

    private String lookup(String name, VirtualUser user, Map<String, String> local, long number) {
        if (local != null && local.containsKey(name)) {
            return local.get(name);
        }
        return switch (name) {
            case "seq" -> Long.toString(number);
            case "run" -> runId;
            default -> user == null ? null : user.variable(name);
        };
    }

    /** @return the first field missing from the answer, or null when all were captured */
    private static String capture(CompiledStep step, RequestOutcome outcome, Map<String, String> into) {
        if (step.step.capture().isEmpty()) {
            return null;
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(outcome.body());
        } catch (RuntimeException notJson) {
            return step.step.capture().values().iterator().next();
        }
        for (Map.Entry<String, String> entry : step.step.capture().entrySet()) {
            JsonNode value =
                    answer == null ? null : answer.at("/" + entry.getValue().replace('.', '/'));
            if (value == null || value.isMissingNode() || value.isNull()) {
                return entry.getValue();
            }
            into.put(entry.getKey(), value.isValueNode() ? value.asString() : value.toString());
        }
        return null;
    }

    private static String answerExcerpt(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, 0, Math.min(body.length, 160), StandardCharsets.UTF_8)
                .replaceAll("\\s+", " ")
                .strip();
        return text.isEmpty() ? "" : " (" + text + ")";
    }

    private CompiledStep compile(Step step, Map<String, URI> targets, LoadMetrics metrics) {
        URI base = targets.get(step.target());
        if (base == null) {
            throw new IllegalArgumentException("no URL for target '" + step.target() + "'");
        }
        return new CompiledStep(step, base, metrics.endpoint(step.name()), png, engine);
    }

    private static final class CompiledAction {
        final CompiledStep[] steps;
        final boolean constant;

        CompiledAction(CompiledStep[] steps) {
            this.steps = steps;
            boolean all = true;
            for (CompiledStep step : steps) {
                all &= step.constant != null;
            }
            this.constant = all;
        }
    }

    private static final class CompiledStep {
        final Step step;
        final String base;
        final EndpointStats stats;
        final byte[] png;
        final HttpEngine.Prepared constant;
        final HttpEngine engine;
        /** What {@link #constant} was made of, for {@link #fixedRequests()}; null unless constant. */
        URI fixedUri;

        Map<String, String> fixedHeaders;
        byte[] fixedBody;

        CompiledStep(Step step, URI base, EndpointStats stats, byte[] png, HttpEngine engine) {
            this.engine = engine;
            this.step = step;
            String text = base.toString();
            this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
            this.stats = stats;
            this.png = png;
            boolean fixed = step.variablesUsed().isEmpty();
            this.constant = fixed ? prepare(name -> null) : null;
        }

        HttpEngine.Prepared prepare(Function<String, String> lookup) {
            Map<String, String> headers = new LinkedHashMap<>();
            step.headers().forEach((name, template) -> headers.put(name, template.render(lookup)));
            byte[] body = switch (step.body()) {
                case Body.None none -> null;
                case Body.Png image -> png;
                case Body.Text text -> render(text.template(), lookup).getBytes(StandardCharsets.UTF_8);
            };
            URI uri = URI.create(base + render(step.path(), lookup));
            if (step.variablesUsed().isEmpty()) {
                fixedUri = uri;
                fixedHeaders = Collections.unmodifiableMap(headers);
                fixedBody = body;
            }
            return engine.prepare(
                    step.method(),
                    uri,
                    headers,
                    body,
                    step.body().contentType().orElse(null),
                    !step.capture().isEmpty());
        }

        private static String render(Template template, Function<String, String> lookup) {
            return template.render(lookup);
        }
    }
}
