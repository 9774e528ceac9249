package dev.mkplat.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mkplat.service.ServiceServer;
import dev.mkplat.service.health.DependencyCheck;
import dev.mkplat.service.health.HealthService;
import dev.mkplat.service.metrics.ServiceMetrics;
import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.MetricsScrape;
import dev.mkplat.service.tracing.Tracing;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared HTTP plumbing on a real Helidon server: errors, request ids, metrics, readiness. */
class ServicePlumbingTest {
    private static final CountDownLatch NEVER = new CountDownLatch(1);
    private static volatile boolean dependencyUp = true;
    private static final java.util.concurrent.atomic.AtomicInteger probes =
            new java.util.concurrent.atomic.AtomicInteger();
    private static WebServer server;
    private static HttpTestClient client;

    @BeforeAll
    static void start() {
        ServiceMetrics metrics = new ServiceMetrics();
        Routes routes = new Routes();
        HealthService health = new HealthService(
                List.of(
                        new DependencyCheck("flaky", () -> {
                            probes.incrementAndGet();
                            if (!dependencyUp) {
                                throw new IllegalStateException("connection refused");
                            }
                        }),
                        new DependencyCheck("hanging", () -> {
                            if (!dependencyUp) {
                                NEVER.await();
                            }
                        })),
                Duration.ofMillis(300));
        Config config =
                Config.just(ConfigSources.create(java.util.Map.of("server.port", "0", "server.host", "127.0.0.1")));
        server = ServiceServer.start(config, metrics, routing -> {
            ServiceServer.commonRouting(routing, routes, metrics, Tracing.none());
            routes.register(routing, HealthService.PATH, health);
            routes.register(
                    routing,
                    "/things",
                    rules -> rules.get("/{id}", (req, res) -> {
                                String id = req.path().pathParameters().get("id");
                                switch (id) {
                                    case "missing" -> throw ApiException.notFound("no thing " + id);
                                    case "down" ->
                                        throw new DependencyUnavailableException(
                                                "postgres", new java.io.IOException("refused"));
                                    case "bug" -> throw new IllegalStateException("secret detail");
                                    default -> Json.send(res, Status.OK_200, java.util.Map.of("id", id));
                                }
                            })
                            .post(
                                    "/special",
                                    (req, res) ->
                                            res.status(Status.NO_CONTENT_204).send())
                            .post("/", (req, res) -> {
                                var body = Json.readObject(req, 100);
                                Json.rejectUnknownFields(body, java.util.Set.of("name"));
                                Json.send(
                                        res,
                                        Status.CREATED_201,
                                        java.util.Map.of("name", Json.requiredString(body, "name", 1, 5)));
                            }));
            ServiceServer.finish(routing, routes);
        });
        client = new HttpTestClient("http://127.0.0.1:" + server.port());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void unknownRouteIsJson404AndWrongMethodIs405WithAllow() {
        var notFound = client.get("/nope");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.json().path("error").asText()).contains("/nope");
        assertThat(notFound.json().path("requestId").asText()).isNotBlank();

        var wrongMethod = client.delete("/things");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Allow")).contains("POST");
    }

    /** A literal path next to a template (/things/special beside /things/{id}) allows only its own methods. */
    @Test
    void allowNamesOnlyTheMethodsOfTheMostSpecificRoute() {
        var options = client.method("OPTIONS", "/things/special", null);
        assertThat(options.status()).isEqualTo(405);
        assertThat(options.header("Allow")).contains("POST");
        var other = client.method("OPTIONS", "/things/7", null);
        assertThat(other.header("Allow")).contains("GET");
    }

    /** The template's own methods do not reach a literal path it also matches: GET /things/special is not GET /things/{id}. */
    @Test
    void aTemplateDoesNotAnswerForTheLiteralPathBesideIt() {
        var get = client.get("/things/special");
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.header("Allow")).contains("POST");
        assertThat(get.json().path("error").asText()).contains("GET");
        assertThat(client.get("/things/7").status()).isEqualTo(200);
    }

    /** A mounted resource's collection is its prefix alone: {@code /things/} is no route, as before resources were mounted. */
    @Test
    void aTrailingSlashIsNotTheCollection() {
        var collection = client.post("/things/", "{\"name\":\"ok\"}");
        assertThat(collection.status()).isEqualTo(404);
        assertThat(collection.json().path("error").asText()).contains("/things/");
        assertThat(client.get("/healthz/").status()).isEqualTo(404);
        assertThat(client.get("/things/7/").status()).isEqualTo(404);
    }

    @Test
    void requestIdIsEchoedWhenSafeAndReplacedOtherwise() {
        assertThat(client.get("/things/1", "X-Request-Id", "abc-123").header("X-Request-Id"))
                .contains("abc-123");
        var reply = client.get("/things/1", "X-Request-Id", "x".repeat(200));
        assertThat(reply.header("X-Request-Id")).isPresent().get().isNotEqualTo("x".repeat(200));
    }

    @Test
    void errorsMapToStatusesWithJsonBodies() {
        assertThat(client.get("/things/missing").status()).isEqualTo(404);
        var down = client.get("/things/down");
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.header("Retry-After")).contains("5");
        assertThat(down.json().path("error").asText()).isEqualTo("postgres unavailable");
        var bug = client.get("/things/bug");
        assertThat(bug.status()).isEqualTo(500);
        assertThat(bug.body()).doesNotContain("secret detail");
    }

    @Test
    void bodiesAreValidated() {
        assertThat(client.post("/things", "{\"name\":\"ok\"}").status()).isEqualTo(201);
        assertThat(client.post("/things", "{\"name\":").json().path("error").asText())
                .isEqualTo("malformed JSON");
        assertThat(client.post("/things", "{\"name\":5}").json().path("error").asText())
                .contains("must be a string");
        assertThat(client.post("/things", "{}").json().path("error").asText()).contains("required");
        assertThat(client.post("/things", "{\"name\":\"toolong\"}").status()).isEqualTo(400);
        assertThat(client.post("/things", "{\"name\":\"a\",\"x\":1}")
                        .json()
                        .path("error")
                        .asText())
                .contains("unknown field 'x'");
        assertThat(client.post("/things", "[1]").status()).isEqualTo(400);
        assertThat(client.post("/things", "{\"name\":\"a\"} trailing").status()).isEqualTo(400);
        assertThat(client.post("/things", "{\"name\":\"" + "a".repeat(200) + "\"}")
                        .status())
                .isEqualTo(413);
        assertThat(client.post("/things", "name=a", "Content-Type", "text/plain")
                        .status())
                .isEqualTo(415);
    }

    @Test
    void metricsUseTheRouteTemplateNotThePath() {
        client.get("/things/42");
        client.get("/things/43");
        client.get("/no/such/path/123");
        String metrics = MetricsScrape.of(server);
        assertThat(metrics)
                .contains(
                        "http_server_request_duration_seconds_bucket{method=\"GET\",route=\"/things/{id}\",status=\"200\"");
        assertThat(metrics).contains("route=\"unmatched\",status=\"404\"");
        assertThat(metrics).doesNotContain("/things/42").doesNotContain("/no/such/path");
    }

    @Test
    void clientChosenMethodsAndPathsDoNotGrowTheSeries() {
        java.util.Random random = new java.util.Random(13);
        Runnable randomRequest = () -> {
            String method =
                    "X" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36).toUpperCase(java.util.Locale.ROOT);
            String path = random.nextBoolean()
                    ? "/things/" + random.nextInt(1_000_000)
                    : "/random/" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
            client.method(method, path, null);
        };
        for (int i = 0; i < 50; i++) {
            randomRequest.run();
        }
        long before = requestSeries();
        for (int i = 0; i < 5_000; i++) {
            randomRequest.run();
        }
        assertThat(requestSeries())
                .as("request series after 5,000 random methods and paths")
                .isEqualTo(before);
        assertThat(MetricsScrape.of(server)).contains("method=\"OTHER\"");
    }

    private static long requestSeries() {
        return MetricsScrape.of(server)
                .lines()
                .filter(line -> line.startsWith(ServiceMetrics.HTTP_REQUEST_DURATION + "_count{"))
                .count();
    }

    @Test
    void metricsAreOnTheirOwnPortOnlyAndScrapesAreNotTraffic() {
        // the service port (the one an Ingress publishes) does not serve them
        assertThat(client.get("/metrics").status()).isEqualTo(404);
        assertThat(server.port(ServiceServer.METRICS_SOCKET)).isNotEqualTo(server.port());
        HttpTestClient metricsPort = MetricsScrape.client(server);
        assertThat(metricsPort.get("/things/42").status()).isEqualTo(404);
        assertThat(metricsPort.get("/things/42").json().has("error")).isTrue();
        assertThat(MetricsScrape.of(server)).doesNotContain("route=\"/metrics\"");
    }

    @Test
    void readinessSaysOnlyUpOrDownPerCheckAndNeverHangs() {
        dependencyUp = true;
        await().atMost(Duration.ofSeconds(10)).until(() -> client.get("/readyz").status() == 200);
        var up = client.get("/readyz");
        assertThat(up.json().path("checks").path("flaky").asText()).isEqualTo("UP");

        dependencyUp = false;
        try {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.get("/readyz").status() == 503);
            var down = client.get("/readyz");
            assertThat(down.header("Retry-After")).isPresent();
            assertThat(down.json().path("checks").path("flaky").asText()).isEqualTo("DOWN");
            assertThat(down.json().path("checks").path("hanging").asText()).isEqualTo("DOWN");
            // the reasons are for the log, not for whoever can reach the port
            assertThat(down.body()).doesNotContain("connection refused").doesNotContain("no answer");
        } finally {
            dependencyUp = true;
        }
        assertThat(client.get("/healthz").status()).isEqualTo(200);
    }

    @Test
    void aFloodOfReadinessRequestsCostsOneCheckPerSecond() throws Exception {
        int before = probes.get();
        long started = System.nanoTime();
        List<java.util.concurrent.Callable<Integer>> requests = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            requests.add(() -> client.get("/readyz").status());
        }
        try (var executor = java.util.concurrent.Executors.newFixedThreadPool(10)) {
            for (var status : executor.invokeAll(requests)) {
                status.get();
            }
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        assertThat(probes.get() - before)
                .as("checks run for 50 requests in about %d s", seconds)
                .isLessThanOrEqualTo((int) seconds + 2);
    }
}
