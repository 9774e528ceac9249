package dev.mkplat.service.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mkplat.service.ServiceServer;
import dev.mkplat.service.auth.TokenVerifier;
import dev.mkplat.service.http.Json;
import dev.mkplat.service.http.Routes;
import dev.mkplat.service.logging.JsonLineEncoder;
import dev.mkplat.service.metrics.ServiceMetrics;
import dev.mkplat.service.testing.HttpTestClient;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * W3C trace context through a service on real servers: a request's {@code traceparent} is
 * continued, its server span is in the access log line, and the call to auth carries the context
 * on; sampling follows the caller, and the ratio applies to traces that start here.
 */
class TracingTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_ID = "00f067aa0ba902b7";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The trace headers each call to the stand-in for auth carried. */
    private final List<Map<String, String>> verifyHeaders = new CopyOnWriteArrayList<>();

    private final List<JsonNode> accessLines = new CopyOnWriteArrayList<>();
    /** The access log as JSON lines, as the services write them. */
    private final AppenderBase<ILoggingEvent> accessLog = new AppenderBase<>() {
        private final JsonLineEncoder encoder = new JsonLineEncoder();

        @Override
        protected void append(ILoggingEvent event) {
            try {
                accessLines.add(JSON.readTree(new String(encoder.encode(event), StandardCharsets.UTF_8)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    };

    private WebServer auth;
    private WebServer service;
    private Tracing tracing;

    private HttpTestClient start(Map<String, String> otel) {
        auth = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .routing(routing -> routing.get("/verify", (req, res) -> {
                    verifyHeaders.add(Map.of(
                            "traceparent",
                                    req.headers()
                                            .first(io.helidon.http.HeaderNames.create("traceparent"))
                                            .orElse(""),
                            "tracestate",
                                    req.headers()
                                            .first(io.helidon.http.HeaderNames.create("tracestate"))
                                            .orElse("")));
                    Json.send(
                            res,
                            Status.OK_200,
                            Map.of(
                                    "username",
                                    "alice",
                                    "expiresAt",
                                    Instant.now().plus(Duration.ofHours(1)).toString()));
                }))
                .build()
                .start();
        tracing = Tracing.start(Config.just(ConfigSources.create(otel)), "test-service");
        TokenVerifier verifier = new TokenVerifier(
                URI.create("http://127.0.0.1:" + auth.port()),
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                100,
                tracing);
        Routes routes = new Routes();
        ServiceMetrics metrics = new ServiceMetrics();
        Config config = Config.just(
                ConfigSources.create(Map.of("server.port", "0", "server.host", "127.0.0.1", "metrics.port", "0")));
        service = ServiceServer.start(config, metrics, routing -> {
            ServiceServer.commonRouting(routing, routes, metrics, tracing);
            routes.register(
                    routing,
                    "/whoami",
                    rules -> rules.get(
                            "/",
                            (req, res) ->
                                    Json.send(res, Status.OK_200, Map.of("username", verifier.authenticate(req)))));
            ServiceServer.finish(routing, routes);
        });
        accessLog.start();
        ((Logger) LoggerFactory.getLogger("access")).addAppender(accessLog);
        return new HttpTestClient("http://127.0.0.1:" + service.port());
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger("access")).detachAppender(accessLog);
        if (service != null) {
            service.stop();
        }
        if (auth != null) {
            auth.stop();
        }
        if (tracing != null) {
            tracing.close();
        }
    }

    @Test
    void aCallersTraceIsContinuedInTheAccessLogAndPassedOnToAuth() {
        HttpTestClient client = start(Map.of());
        HttpTestClient.Reply reply = client.get(
                "/whoami",
                "Authorization",
                "Bearer " + token('a'),
                "traceparent",
                "00-" + TRACE_ID + "-" + PARENT_ID + "-01",
                "tracestate",
                "vendor=opaque");
        assertThat(reply.status()).isEqualTo(200);

        JsonNode line = accessLine("/whoami");
        assertThat(line.path("traceId").asText()).isEqualTo(TRACE_ID);
        String serverSpan = line.path("spanId").asText();
        assertThat(serverSpan).matches("[0-9a-f]{16}").isNotEqualTo(PARENT_ID);

        assertThat(verifyHeaders).hasSize(1);
        String passedOn = verifyHeaders.getFirst().get("traceparent");
        // Same trace, sampled, and a parent of its own: the client span of the call, not the server span.
        assertThat(passedOn).matches("00-" + TRACE_ID + "-[0-9a-f]{16}-[0-9a-f]{2}");
        assertThat(sampled(passedOn)).isTrue();
        String clientSpan = passedOn.split("-")[2];
        assertThat(clientSpan).isNotIn(PARENT_ID, serverSpan);
        assertThat(verifyHeaders.getFirst().get("tracestate")).isEqualTo("vendor=opaque");
    }

    @Test
    void aRequestWithoutTraceparentStartsATraceThatAuthJoins() {
        HttpTestClient client = start(Map.of());
        assertThat(client.get("/whoami", HttpTestClient.bearer(token('a'))).status())
                .isEqualTo(200);

        String traceId = accessLine("/whoami").path("traceId").asText();
        assertThat(traceId).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
        String passedOn = verifyHeaders.getFirst().get("traceparent");
        assertThat(passedOn).startsWith("00-" + traceId + "-");
        assertThat(sampled(passedOn)).as("sampled, by default, in " + passedOn).isTrue();
    }

    @Test
    void samplingFollowsTheCallerAndTheRatioAppliesToNewTraces() {
        // A ratio of 0 keeps no trace that starts here, but a caller's decision still counts.
        HttpTestClient client =
                start(Map.of("otel.traces.sampler", "parentbased_traceidratio", "otel.traces.sampler.arg", "0"));
        // A token each: a verified token is cached, and only a call to auth shows what is passed on.
        client.get("/whoami", HttpTestClient.bearer(token('a')));
        client.get(
                "/whoami",
                "Authorization",
                "Bearer " + token('b'),
                "traceparent",
                "00-" + TRACE_ID + "-" + PARENT_ID + "-01");
        client.get(
                "/whoami",
                "Authorization",
                "Bearer " + token('c'),
                "traceparent",
                "00-" + TRACE_ID + "-" + PARENT_ID + "-00");

        assertThat(verifyHeaders)
                .extracting(headers -> sampled(headers.get("traceparent")))
                .as("the sampled flag passed on to auth: new trace, sampled caller, unsampled caller, in "
                        + verifyHeaders)
                .containsExactly(false, true, false);
        // Not sampled is not untraced: the ids still tie the log lines together.
        await().atMost(Duration.ofSeconds(30)).until(() -> accessLines.size() == 3);
        assertThat(accessLines)
                .allSatisfy(line -> assertThat(line.path("traceId").asText()).matches("[0-9a-f]{32}"));
    }

    @Test
    void spansAreExportedOnlyWithAnEndpoint() {
        assertThat(Tracing.exportOnlyWithEndpoint(DefaultConfigProperties.createFromMap(Map.of())))
                .containsEntry(Tracing.TRACES_EXPORTER, "none");
        assertThat(Tracing.exportOnlyWithEndpoint(
                        DefaultConfigProperties.createFromMap(Map.of(Tracing.ENDPOINT, "http://collector:4318"))))
                .isEmpty();
        assertThat(Tracing.exportOnlyWithEndpoint(DefaultConfigProperties.createFromMap(
                        Map.of(Tracing.TRACES_ENDPOINT, "http://collector:4318/v1/traces"))))
                .isEmpty();
    }

    /** The exporter that an endpoint switches on is complete with the services' dependencies (OTLP/HTTP, the JDK's client). */
    @Test
    void anEndpointStartsTheExporterWithWhatTheServicesShip() {
        HttpTestClient client = start(Map.of(Tracing.ENDPOINT, "http://127.0.0.1:9"));
        assertThat(client.get("/whoami", HttpTestClient.bearer(token('a'))).status())
                .isEqualTo(200);
    }

    @Test
    void withoutTracingNoIdsAreLogged() {
        tracing = null;
        Routes routes = new Routes();
        ServiceMetrics metrics = new ServiceMetrics();
        Config config = Config.just(
                ConfigSources.create(Map.of("server.port", "0", "server.host", "127.0.0.1", "metrics.port", "0")));
        service = ServiceServer.start(config, metrics, routing -> {
            ServiceServer.commonRouting(routing, routes, metrics, Tracing.none());
            ServiceServer.finish(routing, routes);
        });
        accessLog.start();
        ((Logger) LoggerFactory.getLogger("access")).addAppender(accessLog);
        new HttpTestClient("http://127.0.0.1:" + service.port())
                .get("/nothing", "traceparent", "00-" + TRACE_ID + "-" + PARENT_ID + "-01");
        JsonNode line = accessLine("/nothing");
        assertThat(line.has("traceId")).isFalse();
        assertThat(line.has("spanId")).isFalse();
    }

    /** The access log line of the request to {@code path}, written once the response is sent, so perhaps after the client read it. */
    private JsonNode accessLine(String path) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> accessLines.stream()
                                .filter(line -> line.path("path").asText().equals(path))
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
    }

    /** The sampled bit of a {@code traceparent}'s flags (the SDK also sets 0x02, W3C's random trace id flag). */
    private static boolean sampled(String traceparent) {
        return (Integer.parseInt(traceparent.substring(traceparent.lastIndexOf('-') + 1), 16) & 1) == 1;
    }

    /** A token-shaped string; the stand-in for auth accepts any. */
    private static String token(char letter) {
        return String.valueOf(letter).repeat(43);
    }
}
