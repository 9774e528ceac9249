package dev.mkplat.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mkplat.traffic.engine.TrustSettings;
import dev.mkplat.traffic.report.Report;
import dev.mkplat.traffic.report.Threshold;
import dev.mkplat.traffic.scenario.ScenarioFile;
import dev.mkplat.traffic.schedule.Arrival;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scenario with virtual users end to end, against a tiny service in the test: each user logs in
 * once (setup) and creates an item, and the load then reads the item with the user's token, and
 * uploads a PNG whose id the follow-up fetch uses.
 */
class ScenarioRunIT {
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final Set<String> authorizations = ConcurrentHashMap.newKeySet();
    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger pngs = new AtomicInteger();

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String answer;
            int status = 200;
            if (path.equals("/login")) {
                String user =
                        new String(body, StandardCharsets.UTF_8).replaceAll(".*\"username\":\"([^\"]+)\".*", "$1");
                tokens.put("Bearer t-" + user, user);
                logins.incrementAndGet();
                answer = "{\"token\":\"t-" + user + "\"}";
            } else if (auth == null || !tokens.containsKey(auth)) {
                status = 401;
                answer = "{}";
            } else if (path.equals("/items")) {
                status = 201;
                answer = "{\"id\":\"item-" + tokens.get(auth) + "\"}";
            } else if (path.equals("/items/item-" + tokens.get(auth))) {
                authorizations.add(auth);
                answer = "{}";
            } else if (path.equals("/upload")) {
                boolean png = body.length > 8
                        && body[1] == 'P'
                        && body[2] == 'N'
                        && body[3] == 'G'
                        && "image/png".equals(exchange.getRequestHeaders().getFirst("Content-Type"));
                status = png ? 201 : 415;
                if (png) {
                    pngs.incrementAndGet();
                }
                answer = "{\"id\":\"img" + body.length + "\"}";
            } else if (path.startsWith("/images/img")) {
                answer = "{}";
            } else {
                status = 404;
                answer = "{}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Test
    void virtualUsersLogInOnceAndTheLoadUsesWhatTheyCaptured(@TempDir Path dir) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        try {
            Path file = dir.resolve("shop.yaml");
            Files.writeString(file, """
                    name: shop
                    users: 4
                    setup:
                      - {name: login, target: shop, method: POST, path: /login, body: '{"username":"${user}","password":"${password}"}', capture: {token: token}}
                      - {name: seed, target: shop, method: POST, path: /items, headers: {Authorization: 'Bearer ${token}'}, body: '{}', capture: {itemId: id}}
                    requests:
                      - name: get item
                        weight: 3
                        target: shop
                        path: /items/${itemId}
                        headers: {Authorization: 'Bearer ${token}'}
                      - name: upload
                        target: shop
                        method: POST
                        path: /upload
                        generate: png
                        headers: {Authorization: 'Bearer ${token}'}
                        capture: {image: id}
                        then:
                          - {name: fetch, target: shop, path: '/images/${image}', headers: {Authorization: 'Bearer ${token}'}}
                    """);
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            TrafficRequest request = new TrafficRequest(
                    ScenarioFile.read(file),
                    Map.of("shop", base),
                    new LoadModel.Open(40, Duration.ZERO, Arrival.POISSON, 100),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(5),
                    new TrustSettings(Optional.empty(), false),
                    List.of(Threshold.parse("errors<1%")),
                    Optional.empty(),
                    Optional.empty());

            TrafficRequests.Finished run = TrafficRequests.run(request);

            Report report = run.report();
            assertThat(run.result().failed()).as(run.out()).isFalse();
            assertThat(logins.get()).isEqualTo(4);
            assertThat(report.setup())
                    .extracting(Report.EndpointRow::name, Report.EndpointRow::ok)
                    .containsExactly(tuple("login", 4L), tuple("seed", 4L));
            assertThat(report.endpoints())
                    .extracting(Report.EndpointRow::name)
                    .containsExactly("get item", "upload", "fetch");
            assertThat(report.total().errors()).isZero();
            Report.EndpointRow upload = report.endpoints().get(1);
            Report.EndpointRow fetch = report.endpoints().get(2);
            assertThat(upload.count()).isPositive().isEqualTo(fetch.count()).isEqualTo(pngs.get());
            assertThat(authorizations)
                    .as("every user's own token reached its own item")
                    .hasSize(4);
            assertThat(run.out())
                    .contains("Setup (virtual users, before the load)")
                    .contains("✓ errors<1%");
        } finally {
            server.stop(0);
        }
    }
}
