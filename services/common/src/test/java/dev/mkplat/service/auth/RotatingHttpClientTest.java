package dev.mkplat.service.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real HTTP server that notes the client's port of each call: one port, one connection. */
class RotatingHttpClientTest {
    private static final Duration LIFETIME = Duration.ofSeconds(10);

    private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private URI uri;
    private Instant now = Instant.parse("2026-12-03T10:00:00Z");

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/verify");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void callsWithinTheLifetimeShareOneConnection() throws Exception {
        RotatingHttpClient client = new RotatingHttpClient(Duration.ofSeconds(2), LIFETIME, clock());

        call(client);
        now = now.plus(LIFETIME.minusSeconds(1));
        call(client);

        assertThat(clientPorts).hasSize(2);
        assertThat(clientPorts.get(1)).isEqualTo(clientPorts.get(0));
    }

    @Test
    void aCallAfterTheLifetimeOpensANewConnection() throws Exception {
        RotatingHttpClient client = new RotatingHttpClient(Duration.ofSeconds(2), LIFETIME, clock());

        call(client);
        now = now.plus(LIFETIME);
        call(client);
        call(client);

        assertThat(clientPorts).hasSize(3);
        assertThat(clientPorts.get(1)).as("the call after the lifetime").isNotEqualTo(clientPorts.get(0));
        assertThat(clientPorts.get(2)).as("the next one, on the new connection").isEqualTo(clientPorts.get(1));
    }

    @Test
    void eachLifetimeHasItsOwnConnectionAndTheRetiredClientsAreShutDown() throws Exception {
        RotatingHttpClient client = new RotatingHttpClient(Duration.ofSeconds(2), LIFETIME, clock());
        call(client);
        now = now.plus(LIFETIME);
        call(client);

        now = now.plus(LIFETIME);
        call(client);

        assertThat(clientPorts).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void theLifetimeIsAtLeastTwiceTheRequestTimeout() throws Exception {
        RotatingHttpClient client = new RotatingHttpClient(Duration.ofSeconds(8), LIFETIME, clock());

        call(client);
        now = now.plus(LIFETIME);
        call(client);

        assertThat(clientPorts.get(1))
                .as("10 s is less than twice 8 s: still the first connection")
                .isEqualTo(clientPorts.get(0));
    }

    private void call(RotatingHttpClient client) throws Exception {
        HttpResponse<Void> response = client.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(204);
    }

    /** The test's own time, read on every call. */
    private Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
    }
}
