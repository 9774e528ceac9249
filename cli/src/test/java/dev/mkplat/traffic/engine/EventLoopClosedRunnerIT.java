package dev.mkplat.traffic.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.traffic.ControlledServer;
import dev.mkplat.traffic.ProjectCaTls;
import dev.mkplat.traffic.report.EndpointStats;
import dev.mkplat.traffic.report.LoadMetrics;
import dev.mkplat.traffic.report.OutcomeKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event-loop closed model against servers whose behaviour the test controls. */
class EventLoopClosedRunnerIT {
    private static final TrustSettings DEFAULT_TRUST = new TrustSettings(Optional.empty(), false);

    /** Loads Netty's classes before the tests count requests per second, as TrafficRun's warm-up does. */
    @BeforeAll
    static void warmUp() throws Exception {
        try (ControlledServer server = ControlledServer.http()) {
            LoadMetrics metrics = new LoadMetrics();
            run(
                    List.of(get(server.url(), 1, metrics, "warm-up")),
                    2,
                    Duration.ofMillis(500),
                    Duration.ofSeconds(5),
                    DEFAULT_TRUST,
                    metrics);
        }
    }

    @Test
    void everyAnswerIsCountedOnceAndConnectionsStayBounded() throws Exception {
        try (ControlledServer server = ControlledServer.http().latency(1)) {
            LoadMetrics metrics = new LoadMetrics();
            RunWindow window = run(
                    List.of(get(server.url(), 1, metrics, "root")),
                    4,
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(5),
                    DEFAULT_TRUST,
                    metrics);

            EndpointStats root = metrics.endpoint("root");
            assertThat(root.count())
                    .isGreaterThan(100)
                    .isEqualTo(root.count(OutcomeKind.OK))
                    .isEqualTo(server.requests());
            assertThat(window.planned()).isEqualTo(root.count());
            assertThat(metrics.inFlight()).isZero();
            assertThat(server.mostAtOnce()).isLessThanOrEqualTo(8);
        }
    }

    @Test
    void weightsSplitTheRequestsAndStatusesAreClassified() throws Exception {
        try (ControlledServer server = ControlledServer.http().status(503)) {
            LoadMetrics metrics = new LoadMetrics();
            run(
                    List.of(
                            get(server.url().resolve("/a"), 3, metrics, "a"),
                            get(server.url().resolve("/b"), 1, metrics, "b")),
                    2,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(5),
                    DEFAULT_TRUST,
                    metrics);

            EndpointStats a = metrics.endpoint("a");
            EndpointStats b = metrics.endpoint("b");
            assertThat(a.count()).isEqualTo(a.count(OutcomeKind.SERVER_ERROR)).isGreaterThan(b.count());
            assertThat(b.count()).isPositive().isEqualTo(b.count(OutcomeKind.SERVER_ERROR));
            assertThat(a.firstError()).isEqualTo("HTTP 503");
        }
    }

    @Test
    void aSlowServerTimesOutAndTheRunStillEnds() throws Exception {
        try (ControlledServer server = ControlledServer.http().latency(3000)) {
            LoadMetrics metrics = new LoadMetrics();
            long start = System.nanoTime();
            run(
                    List.of(get(server.url(), 1, metrics, "slow")),
                    2,
                    Duration.ofSeconds(1),
                    Duration.ofMillis(300),
                    DEFAULT_TRUST,
                    metrics);

            EndpointStats slow = metrics.endpoint("slow");
            assertThat(slow.count(OutcomeKind.TIMEOUT))
                    .isGreaterThanOrEqualTo(4)
                    .isEqualTo(slow.count());
            assertThat(slow.firstError()).isEqualTo("timed out");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void aRefusedConnectionIsAConnectionError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        LoadMetrics metrics = new LoadMetrics();
        run(
                List.of(get(URI.create("http://127.0.0.1:" + closedPort + "/"), 1, metrics, "nobody")),
                1,
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                DEFAULT_TRUST,
                metrics);

        EndpointStats nobody = metrics.endpoint("nobody");
        assertThat(nobody.count()).isPositive().isEqualTo(nobody.count(OutcomeKind.CONNECTION_ERROR));
        assertThat(nobody.firstError()).isEqualTo("connection refused");
    }

    @Test
    void connectionsTheServerClosesAreOpenedAgainAndGarbageIsAnError() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        int number = accepted.incrementAndGet();
                        Thread.ofVirtual().start(() -> answerOnceAndClose(socket, number % 10 == 0));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            LoadMetrics metrics = new LoadMetrics();
            URI url = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
            run(
                    List.of(get(url, 1, metrics, "once")),
                    2,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(2),
                    DEFAULT_TRUST,
                    metrics);

            EndpointStats once = metrics.endpoint("once");
            assertThat(once.count(OutcomeKind.OK)).isGreaterThan(10);
            // every tenth connection answers garbage: an error, and the load goes on without it
            assertThat(once.count(OutcomeKind.CONNECTION_ERROR)).isPositive();
            assertThat(once.count()).isEqualTo(once.count(OutcomeKind.OK) + once.count(OutcomeKind.CONNECTION_ERROR));
            assertThat(accepted.get()).isGreaterThanOrEqualTo((int) once.count());
        }
    }

    @Test
    void httpsTrustsTheGivenCaAndRefusesAnUnknownOne(@TempDir Path dir) throws Exception {
        ProjectCaTls tls = ProjectCaTls.create(dir);
        try (ControlledServer server = ControlledServer.https(tls.server())) {
            LoadMetrics trusted = new LoadMetrics();
            run(
                    List.of(get(server.url(), 1, trusted, "trusted")),
                    2,
                    Duration.ofMillis(500),
                    Duration.ofSeconds(5),
                    new TrustSettings(Optional.of(tls.caFile()), false),
                    trusted);
            LoadMetrics untrusted = new LoadMetrics();
            run(
                    List.of(get(server.url(), 1, untrusted, "untrusted")),
                    1,
                    Duration.ofMillis(300),
                    Duration.ofSeconds(5),
                    DEFAULT_TRUST,
                    untrusted);

            EndpointStats ok = trusted.endpoint("trusted");
            assertThat(ok.count()).isPositive().isEqualTo(ok.count(OutcomeKind.OK));
            EndpointStats refused = untrusted.endpoint("untrusted");
            assertThat(refused.count()).isPositive().isEqualTo(refused.count(OutcomeKind.CONNECTION_ERROR));
            assertThat(refused.firstError()).startsWith("TLS: ");
        }
    }

    @Test
    void theRequestGoesOutAsHttp11WithHostAndBody() {
        FixedRequest post = new FixedRequest(
                "POST",
                URI.create("http://example.test:8080/items?x=1"),
                Map.of("Authorization", "Bearer t"),
                "{}".getBytes(StandardCharsets.UTF_8),
                "application/json",
                1,
                new LoadMetrics().endpoint("post"));
        var encoded = EventLoopClosedRunner.encode(post);
        try {
            String text = encoded.toString(StandardCharsets.UTF_8);
            assertThat(text)
                    .startsWith("POST /items?x=1 HTTP/1.1\r\nHost: example.test:8080\r\nUser-Agent: mkplat/")
                    .contains(
                            "\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
                    .endsWith("\r\n\r\n{}");
        } finally {
            encoded.release();
        }
    }

    private static FixedRequest get(URI url, int weight, LoadMetrics metrics, String name) {
        return new FixedRequest("GET", url, Map.of(), null, null, weight, metrics.endpoint(name));
    }

    private static RunWindow run(
            List<FixedRequest> requests,
            int connections,
            Duration duration,
            Duration timeout,
            TrustSettings trust,
            LoadMetrics metrics)
            throws InterruptedException {
        return new EventLoopClosedRunner(
                        requests,
                        connections,
                        EventLoopClosedRunner.Bounds.load(duration, timeout),
                        ClientTls.of(trust),
                        metrics,
                        new StopSignal())
                .run();
    }

    /** Reads one request head, then answers it with "Connection: close", or with garbage. */
    private static void answerOnceAndClose(Socket socket, boolean garbage) {
        try (socket;
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream()) {
            int matched = 0;
            int b;
            while (matched < 4 && (b = in.read()) != -1) {
                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String answer = garbage
                    ? "NOT HTTP AT ALL\r\n\r\n"
                    : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
            out.write(answer.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException ignored) {
            // the client went away first
        }
    }
}
