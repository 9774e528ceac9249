package dev.mkplat.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.service.ServiceServer;
import dev.mkplat.service.metrics.ServiceMetrics;
import dev.mkplat.service.tracing.Tracing;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests broken at the HTTP level, written on a raw socket because no client library sends them:
 * they must get a JSON 4xx, never a 500, whether Helidon notices before routing or while the
 * handler reads the body.
 */
class MalformedTransportTest {
    private static WebServer server;

    @BeforeAll
    static void start() {
        Routes routes = new Routes();
        Config config = Config.just(ConfigSources.create(
                Map.of("server.port", "0", "server.host", "127.0.0.1", "server.max-payload-size", "1000")));
        server = ServiceServer.start(config, new ServiceMetrics(), routing -> {
            ServiceServer.commonRouting(routing, routes, new ServiceMetrics(), Tracing.none());
            routes.register(
                    routing,
                    "/things",
                    rules -> rules.post(
                            "/", (req, res) -> Json.send(res, Status.CREATED_201, Json.readObject(req, 100_000))));
            ServiceServer.finish(routing, routes);
        });
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET\u0000", "r\\H6<", "/", "GE(T", "{}"})
    void methodsThatAreNotTokensAre400(String method) throws IOException {
        String head = exchange(method + " /things HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(head).startsWith("HTTP/1.1 400 ").containsIgnoringCase("content-type: application/json");
    }

    @Test
    void chunkSizesThatAreNotHexAre400() throws IOException {
        String head = exchange("POST /things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
        assertThat(head).startsWith("HTTP/1.1 400 ").containsIgnoringCase("content-type: application/json");
    }

    @Test
    void bodiesThatEndBeforeTheirLengthAre400() throws IOException {
        String head = exchange("POST /things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 50\r\nConnection: close\r\n\r\n{\"a\":1}");
        assertThat(head).startsWith("HTTP/1.1 400 ");
        String chunked = exchange("POST /things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\n{\"a\"");
        assertThat(chunked).startsWith("HTTP/1.1 400 ");
    }

    @Test
    void chunkedBodiesOverTheServerLimitAre413() throws IOException {
        String chunk = "{\"a\":\"" + "x".repeat(2000) + "\"}";
        String head = exchange("POST /things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + Integer.toHexString(chunk.length())
                + "\r\n"
                + chunk + "\r\n0\r\n\r\n");
        assertThat(head).startsWith("HTTP/1.1 413 ").containsIgnoringCase("content-type: application/json");
    }

    /** Sends {@code request}, half-closes, and returns the response head. */
    private static String exchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    break;
                }
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
