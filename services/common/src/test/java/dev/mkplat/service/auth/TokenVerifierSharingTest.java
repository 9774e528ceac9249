package dev.mkplat.service.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mkplat.service.ServiceServer;
import dev.mkplat.service.http.Json;
import dev.mkplat.service.http.Routes;
import dev.mkplat.service.metrics.ServiceMetrics;
import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.tracing.Tracing;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How many calls to auth's {@code /verify} the checks of a service cost, counted at a real HTTP
 * server standing in for auth: concurrent checks of one token share a call, and a refused token
 * is not asked about again at once.
 */
class TokenVerifierSharingTest {
    private static final String GOOD = "a".repeat(43);
    private static final String DEAD = "b".repeat(43);
    private static final String FAILING = "c".repeat(43);

    private final AtomicInteger verifyCalls = new AtomicInteger();
    private final AtomicInteger entered = new AtomicInteger();
    private volatile CountDownLatch release = new CountDownLatch(0);
    private WebServer auth;
    private WebServer service;
    private HttpTestClient client;

    @BeforeEach
    void start() {
        auth = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(routing -> routing.get("/verify", (req, res) -> {
                    verifyCalls.incrementAndGet();
                    release.await(30, TimeUnit.SECONDS);
                    String authorization =
                            req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
                    if (authorization.equals("Bearer " + FAILING)) {
                        Json.send(res, Status.SERVICE_UNAVAILABLE_503, Map.of("error", "overloaded"));
                    } else if (authorization.equals("Bearer " + GOOD)) {
                        Json.send(
                                res,
                                Status.OK_200,
                                Map.of(
                                        "username",
                                        "alice",
                                        "expiresAt",
                                        Instant.now().plus(Duration.ofHours(1)).toString()));
                    } else {
                        Json.send(res, Status.UNAUTHORIZED_401, Map.of("error", "invalid or expired token"));
                    }
                }))
                .build()
                .start();
        TokenVerifier verifier = new TokenVerifier(
                URI.create("http://127.0.0.1:" + auth.port()),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                100,
                Tracing.none());
        Routes routes = new Routes();
        ServiceMetrics metrics = new ServiceMetrics();
        Config config = Config.just(
                ConfigSources.create(Map.of("server.port", "0", "server.host", "127.0.0.1", "metrics.port", "0")));
        service = ServiceServer.start(config, metrics, routing -> {
            ServiceServer.commonRouting(routing, routes, metrics, Tracing.none());
            routes.register(
                    routing,
                    "/whoami",
                    rules -> rules.get("/", (req, res) -> {
                        entered.incrementAndGet();
                        Json.send(res, Status.OK_200, Map.of("username", verifier.authenticate(req)));
                    }));
            ServiceServer.finish(routing, routes);
        });
        client = new HttpTestClient("http://127.0.0.1:" + service.port());
    }

    @AfterEach
    void stop() {
        release.countDown();
        service.stop();
        auth.stop();
    }

    @Test
    void concurrentChecksOfOneTokenShareOneCall() throws Exception {
        assertThat(twentyConcurrentChecksOf(GOOD)).containsOnly(200);
        assertThat(verifyCalls.get())
                .as("calls to /verify for 20 concurrent checks of one token")
                .isEqualTo(1);
    }

    @Test
    void concurrentChecksOfOneTokenShareOneFailure() throws Exception {
        // When auth fails, the checks that waited for the failing call fail with it. Were each of
        // them to call auth in turn, a slow auth would be asked N times in a row, and the last
        // caller would wait N timeouts: a short stall of auth would become a long one of api.
        assertThat(twentyConcurrentChecksOf(FAILING)).containsOnly(503);
        assertThat(verifyCalls.get())
                .as("calls to /verify for 20 concurrent checks of one token while auth fails")
                .isEqualTo(1);
    }

    /** The statuses of 20 checks of {@code token} that have all started before auth answers the first. */
    private List<Integer> twentyConcurrentChecksOf(String token) throws Exception {
        release = new CountDownLatch(1);
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService executor = Executors.newFixedThreadPool(20)) {
            List<Future<Integer>> running = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                running.add(executor.submit(() ->
                        client.get("/whoami", HttpTestClient.bearer(token)).status()));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> entered.get() == 20);
            release.countDown();
            for (Future<Integer> status : running) {
                statuses.add(status.get());
            }
        }
        return statuses;
    }

    @Test
    void aRefusalExpiresAndTheTokenIsAskedAboutAgain() {
        assertThat(client.get("/whoami", HttpTestClient.bearer(DEAD)).status()).isEqualTo(401);
        assertThat(verifyCalls.get()).isEqualTo(1);
        // A token auth refused may have been issued since: once REFUSAL_TTL is up, a check asks again.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    assertThat(client.get("/whoami", HttpTestClient.bearer(DEAD))
                                    .status())
                            .isEqualTo(401);
                    assertThat(verifyCalls.get()).isGreaterThan(1);
                });
    }

    @Test
    void aRefusedTokenIsNotAskedAboutAgainAtOnce() {
        long started = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            assertThat(client.get("/whoami", HttpTestClient.bearer(DEAD)).status())
                    .isEqualTo(401);
        }
        // A refusal is kept for REFUSAL_TTL: one call, and one more for each time it expired while the
        // checks ran (on a loaded machine ten checks can take longer than one TTL). Without the cache: 10.
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        long expiries = elapsedMillis / TokenVerifier.REFUSAL_TTL.toMillis();
        assertThat(expiries)
                .as("ten checks took %d ms, too long to tell a cache from none", elapsedMillis)
                .isLessThan(8);
        assertThat(verifyCalls.get())
                .as("calls to /verify for 10 checks of a refused token in a row, in %d ms", elapsedMillis)
                .isLessThanOrEqualTo(1 + (int) expiries + 1);
    }
}
