package dev.mkplat.traffic.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.mkplat.traffic.ControlledServer;
import dev.mkplat.traffic.ProjectCaTls;
import dev.mkplat.traffic.report.OutcomeKind;
import dev.mkplat.traffic.report.RequestOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine against servers that misbehave in the ways a load test meets: silent, trickling,
 * refusing, over TLS. {@code --timeout} must hold for the whole request whatever the server does.
 */
class HttpEngineIT {
    private static final TrustSettings PLAIN = new TrustSettings(Optional.empty(), false);

    @Test
    void aSilentServerTimesOutAtTheTimeout() throws Exception {
        try (ControlledServer server = ControlledServer.http().latency(3000);
                HttpEngine engine = new HttpEngine(PLAIN, Duration.ofMillis(300), 4)) {
            Timed answer = send(engine, server.url());

            assertThat(answer.outcome().kind()).isEqualTo(OutcomeKind.TIMEOUT);
            assertThat(answer.millis()).isBetween(250L, 1500L);
        }
    }

    /** A read timeout alone would never fire here: a byte arrives every 100 ms. */
    @Test
    void aServerThatTricklesItsAnswerTimesOutAtTheTimeoutToo() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
                HttpEngine engine = new HttpEngine(PLAIN, Duration.ofMillis(500), 4)) {
            Thread.ofPlatform().daemon().start(() -> {
                try (Socket socket = listener.accept()) {
                    readRequestHead(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 100; i++) {
                        out.write('x');
                        out.flush();
                        Thread.sleep(100); // the trickle itself: what the test is about
                    }
                } catch (IOException | InterruptedException closedByTheClient) {
                    // the engine gave up, as it should
                }
            });
            Timed answer = send(engine, URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/"));

            assertThat(answer.outcome().kind()).isEqualTo(OutcomeKind.TIMEOUT);
            assertThat(answer.outcome().error()).isEqualTo("timed out");
            assertThat(answer.millis()).isBetween(450L, 2000L);
        }
    }

    @Test
    void httpsTimesOutTheSameWayAndAnswersInTimeAreOk(@TempDir Path dir) throws Exception {
        ProjectCaTls projectCa = ProjectCaTls.create(dir);
        SSLContext tls = projectCa.server();
        Path caFile = projectCa.caFile();

        TrustSettings trust = new TrustSettings(Optional.of(caFile), false);
        try (ControlledServer slow = ControlledServer.https(tls).latency(3000);
                ControlledServer quick = ControlledServer.https(tls).latency(1);
                HttpEngine strict = new HttpEngine(trust, Duration.ofMillis(400), 4);
                // a first TLS handshake on a cold JVM and a busy machine can take longer than 400 ms
                HttpEngine patient = new HttpEngine(trust, Duration.ofSeconds(10), 4)) {
            Timed late = send(strict, slow.url());
            Timed inTime = send(patient, quick.url());

            assertThat(late.outcome().kind()).isEqualTo(OutcomeKind.TIMEOUT);
            assertThat(late.millis()).isBetween(350L, 2000L);
            assertThat(inTime.outcome().kind())
                    .as(String.valueOf(inTime.outcome().error()))
                    .isEqualTo(OutcomeKind.OK);
        }
    }

    /**
     * A server whose accept queue is full: the kernel drops further SYNs and a connect waits for
     * the retransmissions. That is a connect timeout, a connection error, not a slow answer.
     */
    @Test
    void aConnectThatHangsTimesOut() throws Exception {
        List<Socket> queued = new ArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                HttpEngine engine = new HttpEngine(PLAIN, Duration.ofMillis(500), 4)) {
            InetSocketAddress address =
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            boolean full = false;
            for (int i = 0; i < 16 && !full; i++) {
                Socket probe = new Socket();
                try {
                    probe.connect(address, 200);
                    queued.add(probe);
                } catch (SocketTimeoutException e) {
                    probe.close();
                    full = true;
                }
            }
            Assumptions.assumeTrue(full, "this kernel did not let the accept queue fill up");

            Timed answer = send(engine, URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/"));

            assertThat(answer.outcome().kind()).isEqualTo(OutcomeKind.CONNECTION_ERROR);
            assertThat(answer.outcome().error()).isEqualTo("connect timed out");
            assertThat(answer.millis()).isBetween(450L, 2000L);
        } finally {
            for (Socket socket : queued) {
                socket.close();
            }
        }
    }

    @Test
    void aRefusedConnectionIsAConnectionError() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        try (HttpEngine engine = new HttpEngine(PLAIN, Duration.ofSeconds(2), 4)) {
            Timed answer = send(engine, URI.create("http://127.0.0.1:" + port + "/"));

            assertThat(answer.outcome().kind()).isEqualTo(OutcomeKind.CONNECTION_ERROR);
            assertThat(answer.outcome().error()).isEqualTo("connection refused");
        }
    }

    /** Keep-alive: requests one after the other use one connection, seen from the server. */
    @Test
    void sequentialRequestsReuseOneConnection() throws Exception {
        Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                clientPorts.add(exchange.getRemoteAddress().getPort());
                exchange.getRequestBody().readAllBytes();
                byte[] body = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
        try (HttpEngine engine = new HttpEngine(PLAIN, Duration.ofSeconds(2), 4)) {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            HttpEngine.Prepared get = engine.prepare("GET", url, Map.of(), null, null, false);
            HttpEngine.Prepared post = engine.prepare(
                    "POST",
                    url,
                    Map.of("X-Test", "1"),
                    "{}".getBytes(StandardCharsets.UTF_8),
                    "application/json",
                    true);
            for (int i = 0; i < 50; i++) {
                assertThat(engine.send(get).status()).isEqualTo(200);
                RequestOutcome kept = engine.send(post);
                assertThat(kept.status()).isEqualTo(200);
                assertThat(new String(kept.body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
            }
            assertThat(clientPorts).hasSize(1);
        } finally {
            server.stop(0);
        }
    }

    /**
     * A server that answers the first request of a kept-alive connection and then closes it when
     * the next request arrives, as servers do past their idle timeout or idle-connection limit.
     * A GET never reached the server, so it goes again on a new connection; a POST is reported.
     */
    @Test
    void aKeptAliveConnectionTheServerClosedIsReplayedOnlyForIdempotentRequests() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
                HttpEngine engine = new HttpEngine(PLAIN, Duration.ofSeconds(5), 1)) {
            AtomicInteger answered = new AtomicInteger();
            Thread.ofPlatform().daemon().start(() -> {
                while (!listener.isClosed()) {
                    try (Socket socket = listener.accept()) {
                        InputStream in = socket.getInputStream();
                        readRequestHead(in);
                        answered.incrementAndGet(); // before the answer, which the test may read at once
                        socket.getOutputStream()
                                .write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                                        .getBytes(StandardCharsets.US_ASCII));
                        readRequestHead(in); // the next request on this connection: close without answering
                    } catch (IOException listenerClosed) {
                        return;
                    }
                }
            });
            URI url = URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");

            assertThat(send(engine, url).outcome().kind()).isEqualTo(OutcomeKind.OK);
            assertThat(send(engine, url).outcome().kind())
                    .as("GET replayed on a new connection")
                    .isEqualTo(OutcomeKind.OK);
            assertThat(answered.get()).isEqualTo(2);

            RequestOutcome post =
                    engine.send(engine.prepare("POST", url, Map.of(), new byte[] {'x'}, "text/plain", false));
            assertThat(post.kind()).as("a POST is not replayed").isEqualTo(OutcomeKind.CONNECTION_ERROR);
            assertThat(answered.get()).isEqualTo(2);
        }
    }

    private record Timed(RequestOutcome outcome, long millis) {}

    private static Timed send(HttpEngine engine, URI url) {
        long start = System.nanoTime();
        RequestOutcome outcome = engine.send(engine.prepare("GET", url, Map.of(), null, null, false));
        return new Timed(outcome, (System.nanoTime() - start) / 1_000_000);
    }

    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
    }
}
