package dev.mkplat.api;

import static dev.mkplat.service.testing.HttpTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.MetricsScrape;
import io.helidon.webserver.WebServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * About a thousand malformed requests, written byte by byte on raw sockets so that nothing a
 * client library would refuse to send is left out: random bytes as JSON, mangled JSON, invalid
 * UTF-8, wrong and made-up methods, huge headers and URLs, odd paths with {@code ..} and
 * %-escapes, broken request lines. None may get a 5xx, every error must be JSON, none may hang,
 * and the server must still serve normally afterwards.
 */
class MalformedRequestsIT {
    /** Fixed, so that a failure can be replayed; override with -Dmkplat.fuzz.seed=N to explore. */
    private static final long SEED = Long.getLong("mkplat.fuzz.seed", 20261126L);

    private static final int SOCKET_TIMEOUT_MS = 10_000;
    private static final String[] PATHS = {"/", "/items", "/items/%s", "/healthz", "/readyz", "/openapi"};
    private static final String[] METHODS = {
        "GET",
        "POST",
        "PUT",
        "DELETE",
        "PATCH",
        "HEAD",
        "OPTIONS",
        "TRACE",
        "CONNECT",
        "PROPFIND",
        "get",
        "GETT",
        "P0ST",
        "X-CUSTOM",
        "M-SEARCH",
        "DELETE\u0000"
    };

    private static ApiEnvironment env;
    private static WebServer server;
    private static HttpTestClient client;
    private static String token;
    private static String itemId;

    @BeforeAll
    static void start() {
        env = ApiEnvironment.create();
        server = env.start();
        client = ApiEnvironment.client(server);
        token = env.auth().login("fuzzer");
        itemId = client.post("/items", "{\"name\":\"target\"}", bearer(token))
                .json()
                .path("id")
                .asText();
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    /** One generated request: what kind it is (for the failure message) and its bytes. */
    private record Probe(String kind, byte[] bytes) {}

    /** What came back: the status code (0 when the server closed without answering) and the head. */
    private record Answer(int status, String head) {}

    @Test
    void aThousandMalformedRequestsGetNo5xxAndOnlyJsonErrors() throws IOException {
        Random random = new Random(SEED);
        List<Function<Random, Probe>> generators = List.of(
                MalformedRequestsIT::randomBytesAsJson,
                MalformedRequestsIT::mangledJson,
                MalformedRequestsIT::invalidUtf8Json,
                MalformedRequestsIT::wrongMethod,
                MalformedRequestsIT::hugeHeaders,
                MalformedRequestsIT::oddPath,
                MalformedRequestsIT::invalidUtf8InHead,
                MalformedRequestsIT::brokenFraming,
                MalformedRequestsIT::badAuthorization,
                MalformedRequestsIT::badQuery);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int total = 1000;
        for (int i = 0; i < total; i++) {
            Probe probe = generators.get(i % generators.size()).apply(random);
            Answer answer = send(probe.bytes());
            statuses.merge(answer.status(), 1, Integer::sum);
            String head = answer.head().toLowerCase(java.util.Locale.ROOT);
            if (answer.status() >= 500) {
                failures.add("#" + i + " " + probe.kind() + " -> "
                        + answer.head().lines().findFirst().orElse("") + "\n  " + preview(probe.bytes()));
            } else if (answer.status() >= 400 && !head.contains("content-type: application/json")) {
                failures.add("#" + i + " " + probe.kind() + " -> non-JSON error "
                        + answer.head().lines().findFirst().orElse("") + "\n  " + preview(probe.bytes()));
            }
        }
        System.out.println("malformed requests (seed " + SEED + "), answers by status: " + statuses);
        assertThat(failures).as("seed " + SEED).isEmpty();
        // A few connections may be closed without an answer (bytes that are not HTTP at all), not most.
        assertThat(statuses.getOrDefault(0, 0))
                .as("closed without an answer; statuses " + statuses)
                .isLessThan(total / 20);

        // Still healthy, and nothing was counted as a server error.
        assertThat(client.get("/").status()).isEqualTo(200);
        // (The target item itself may be gone: a well-formed DELETE is among the wrong-method probes.)
        String created = client.post("/items", "{\"name\":\"after the storm\"}", bearer(token))
                .header("Location")
                .orElseThrow();
        assertThat(client.get(created, bearer(token)).status()).isEqualTo(200);
        // The readiness probe's 503s while the test environment waited for the database are not
        // answers to these requests.
        assertThat(MetricsScrape.of(server).lines().filter(line -> !line.contains("route=\"/readyz\"")))
                .noneMatch(line -> line.matches(".*status=\"5\\d\\d\".*"));
    }

    private static Answer send(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(SOCKET_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // The server may answer and close before reading everything (e.g. a huge header):
                // what it answered is still in our receive buffer.
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            try {
                int b;
                while ((b = in.read()) >= 0 && head.size() < 64 * 1024) {
                    head.write(b);
                    if (endsWithBlankLine(head)) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer within " + SOCKET_TIMEOUT_MS + " ms to " + preview(request), e);
            } catch (IOException e) {
                // Connection reset after a refusal: whatever arrived before is the answer.
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
                return new Answer(0, text);
            }
            return new Answer(Integer.parseInt(text.substring(9, 12)), text);
        }
    }

    private static boolean endsWithBlankLine(ByteArrayOutputStream head) {
        byte[] bytes = head.toByteArray();
        int n = bytes.length;
        return n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n';
    }

    private static String preview(byte[] request) {
        String text = new String(request, 0, Math.min(request.length, 160), StandardCharsets.ISO_8859_1);
        return text.replaceAll("[^\\x20-\\x7e]", "?");
    }

    // ---- generators -------------------------------------------------------------------------

    private static byte[] request(String method, String target, List<String> headers, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((method + " " + target + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(("Host: 127.0.0.1:" + server.port() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (String header : headers) {
            out.writeBytes((header + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        if (body != null) {
            out.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes("Connection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static String itemTarget(Random random) {
        return random.nextBoolean() ? "/items" : "/items/" + itemId;
    }

    private static String writeMethod(Random random, String target) {
        return target.equals("/items") ? "POST" : random.nextBoolean() ? "PUT" : "POST";
    }

    private static List<String> jsonAuthHeaders() {
        return List.of("Authorization: Bearer " + token, "Content-Type: application/json");
    }

    private static Probe randomBytesAsJson(Random random) {
        byte[] body = new byte[random.nextInt(4096)];
        random.nextBytes(body);
        String target = itemTarget(random);
        return new Probe("random bytes as JSON", request(writeMethod(random, target), target, jsonAuthHeaders(), body));
    }

    private static Probe mangledJson(Random random) {
        String[] seeds = {
            "{\"name\":\"milk\",\"description\":\"2 litres\"}",
            "{\"name\":\"a\"}",
            "{\"name\":[1,{\"x\":null}]}",
            "{\"name\":\"" + "n".repeat(300) + "\"}",
            "{\"name\":1e999999}",
            "{\"description\":\"\\u12\"}"
        };
        byte[] body = seeds[random.nextInt(seeds.length)].getBytes(StandardCharsets.UTF_8);
        int edits = 1 + random.nextInt(5);
        for (int e = 0; e < edits && body.length > 0; e++) {
            int at = random.nextInt(body.length);
            switch (random.nextInt(4)) {
                case 0 -> body[at] = (byte) random.nextInt(256);
                case 1 -> body = java.util.Arrays.copyOf(body, at);
                case 2 ->
                    body = (new String(body, StandardCharsets.ISO_8859_1).substring(0, at) + "[[[[[[[[[[{{{{\"\\\u0000"
                                    + new String(body, StandardCharsets.ISO_8859_1).substring(at))
                            .getBytes(StandardCharsets.ISO_8859_1);
                default ->
                    body = ("[".repeat(random.nextInt(3000)) + new String(body, StandardCharsets.ISO_8859_1))
                            .getBytes(StandardCharsets.ISO_8859_1);
            }
        }
        String target = itemTarget(random);
        return new Probe("mangled JSON", request(writeMethod(random, target), target, jsonAuthHeaders(), body));
    }

    private static Probe invalidUtf8Json(Random random) {
        byte[][] bad = {
            {(byte) 0xC3, 0x28},
            {(byte) 0xA0, (byte) 0xA1},
            {(byte) 0xE2, 0x28, (byte) 0xA1},
            {(byte) 0xF0, 0x28, (byte) 0x8C, (byte) 0xBC},
            {(byte) 0xFF},
            {(byte) 0xC0, (byte) 0x80},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}
        };
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"name\":\"ok".getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bad[random.nextInt(bad.length)]);
        body.writeBytes("\",\"description\":\"".getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bad[random.nextInt(bad.length)]);
        body.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
        String target = itemTarget(random);
        return new Probe(
                "invalid UTF-8 in JSON",
                request(writeMethod(random, target), target, jsonAuthHeaders(), body.toByteArray()));
    }

    private static Probe wrongMethod(Random random) {
        String method = random.nextInt(4) == 0
                ? randomToken(random, 1 + random.nextInt(12))
                : METHODS[random.nextInt(METHODS.length)];
        String target = PATHS[random.nextInt(PATHS.length)].formatted(itemId);
        if (method.equals("CONNECT")) {
            target = "127.0.0.1:" + server.port();
        }
        byte[] body = random.nextBoolean() ? "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8) : null;
        List<String> headers = random.nextBoolean() ? jsonAuthHeaders() : List.of();
        return new Probe("method " + method.replace("\u0000", "\\0"), request(method, target, headers, body));
    }

    private static Probe hugeHeaders(Random random) {
        List<String> headers = new ArrayList<>();
        String target = PATHS[random.nextInt(PATHS.length)].formatted(itemId);
        switch (random.nextInt(4)) {
            case 0 -> headers.add("X-Big: " + "a".repeat(8_000 + random.nextInt(120_000)));
            case 1 -> {
                for (int h = 0; h < 500 + random.nextInt(2000); h++) {
                    headers.add("X-Many-" + h + ": " + h);
                }
            }
            case 2 -> headers.add("Authorization: Bearer " + "t".repeat(10_000 + random.nextInt(50_000)));
            default -> target = "/items/" + "x".repeat(8_000 + random.nextInt(60_000));
        }
        return new Probe("huge head", request("GET", target, headers, null));
    }

    private static Probe oddPath(Random random) {
        String[] parts = {
            "..",
            "%2e%2e",
            "%2E%2e/",
            ".",
            "%2f",
            "%2F..%2F",
            "%00",
            "%ff",
            "%c0%af",
            "%zz",
            "%",
            "%2",
            "//",
            "\\",
            "..\\..\\",
            ";",
            ";jsessionid=1",
            "items",
            "metrics",
            "%252e%252e",
            "~",
            "%u002e",
            "?",
            "#frag",
            "*",
            "@",
            "%e2%80%ae",
            "%ef%bf%bf",
            "+",
            " ",
            "%20",
            "\t",
            "etc/passwd",
            UUID.randomUUID().toString()
        };
        StringBuilder path = new StringBuilder(random.nextBoolean() ? "/items/" : "/");
        for (int p = 0; p < 1 + random.nextInt(6); p++) {
            path.append(parts[random.nextInt(parts.length)]);
            if (random.nextBoolean()) {
                path.append('/');
            }
        }
        String method = random.nextInt(3) == 0 ? "DELETE" : "GET";
        return new Probe(
                "odd path " + path, request(method, path.toString(), List.of("Authorization: Bearer " + token), null));
    }

    private static Probe invalidUtf8InHead(Random random) {
        byte[] garbage = new byte[1 + random.nextInt(20)];
        random.nextBytes(garbage);
        String marker = "\u0001MARK\u0001";
        String text = switch (random.nextInt(3)) {
            case 0 ->
                "GET /items/" + marker + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                        + "\r\nConnection: close\r\n\r\n";
            case 1 ->
                "GET /items HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + marker + "\r\nConnection: close\r\n\r\n";
            default -> "GET / HTTP/1.1\r\nHost: x\r\nX-Name: " + marker + "\r\nConnection: close\r\n\r\n";
        };
        byte[] head = text.getBytes(StandardCharsets.ISO_8859_1);
        int at = text.indexOf(marker);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(head, 0, at);
        out.writeBytes(garbage);
        out.write(head, at + marker.length(), head.length - at - marker.length());
        return new Probe("invalid bytes in the request head", out.toByteArray());
    }

    private static Probe brokenFraming(Random random) {
        String host = "Host: 127.0.0.1\r\n";
        String auth = "Authorization: Bearer " + token + "\r\n";
        String[] requests = {
            "GET / HTTP/9.9\r\n" + host + "\r\n",
            "GET / HTTP/1.1\r\n\r\n",
            "GET /\r\n\r\n",
            "GET  /  HTTP/1.1\r\n" + host + "\r\n",
            "/ GET HTTP/1.1\r\n" + host + "\r\n",
            "GET / HTTP/1.1\n" + host + "\n",
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET / HTTP/1.1\r\n" + host + "Bad Header Line\r\n\r\n",
            "GET / HTTP/1.1\r\n" + host + ": no name\r\n\r\n",
            "GET / HTTP/1.1\r\n" + host + " folded: header\r\n\r\n",
            "POST /items HTTP/1.1\r\n" + host + auth + "Content-Type: application/json\r\nContent-Length: -1\r\n\r\n{}",
            "POST /items HTTP/1.1\r\n" + host + auth
                    + "Content-Type: application/json\r\nContent-Length: abc\r\n\r\n{}",
            "POST /items HTTP/1.1\r\n" + host + auth
                    + "Content-Type: application/json\r\nContent-Length: 99999999999999999999\r\n\r\n{}",
            "POST /items HTTP/1.1\r\n" + host + auth
                    + "Content-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"name\":\"short\"}",
            "POST /items HTTP/1.1\r\n" + host + auth
                    + "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
            "POST /items HTTP/1.1\r\n" + host + auth
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
            "POST /items HTTP/1.1\r\n" + host + auth
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"na\r\n",
            "POST /items HTTP/1.1\r\n" + host + auth
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
            "POST /items HTTP/1.1\r\n" + host + auth
                    + "Content-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n{}",
            "POST /items HTTP/1.1\r\n" + host + auth
                    + "Content-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}",
            "POST /items HTTP/1.1\r\n" + host + auth + "Content-Type: \r\nContent-Length: 12\r\n\r\n{\"name\":\"a\"}",
            "POST /items HTTP/1.1\r\n" + host + auth
                    + "Content-Type: ;;;/\r\nContent-Length: 12\r\n\r\n{\"name\":\"a\"}",
            "POST /items HTTP/1.1\r\n" + host + auth
                    + "Content-Type: application/json; charset=ebcdic\r\nContent-Length: 12\r\n\r\n{\"name\":\"a\"}",
            "POST /items HTTP/1.1\r\n" + host + auth
                    + "Expect: 100-continue\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{\"name\":\"a\"}",
            "GET /items HTTP/1.1\r\n" + host + "Authorization: Bearer\r\n\r\n",
            "GET /items HTTP/1.1\r\n" + host + "Authorization: \r\n\r\n",
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            "GET / HTTP/1.1\r\n" + host
                    + "Upgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: !!!\r\n\r\n",
            "GET / HTTP/1.1\r\n" + host + "Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
            "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003",
            "\r\n\r\n\r\n",
            "GET http://evil.example/ HTTP/1.1\r\n" + host + "\r\n",
            "GET * HTTP/1.1\r\n" + host + "\r\n",
        };
        String text = requests[random.nextInt(requests.length)];
        return new Probe("broken framing", text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Probe badAuthorization(Random random) {
        String value = switch (random.nextInt(5)) {
            case 0 -> "Bearer " + randomToken(random, random.nextInt(200));
            case 1 -> "bearer " + token.toUpperCase(java.util.Locale.ROOT);
            case 2 -> "Bearer " + token + " " + token;
            case 3 ->
                "Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
            default -> "Bearer " + "A".repeat(16 + random.nextInt(100));
        };
        String target = PATHS[1 + random.nextInt(2)].formatted(itemId);
        return new Probe("bad Authorization", request("GET", target, List.of("Authorization: " + value), null));
    }

    private static Probe badQuery(Random random) {
        String[] queries = {
            "limit=%zz",
            "limit=%",
            "limit=%2",
            "offset=%ff",
            "limit=1&&&&",
            "=&=&",
            "limit",
            "limit==5",
            "limit=5%00",
            "offset=%2d1",
            "limit=" + "9".repeat(1000),
            "%zz=1",
            "limit=1;offset=2",
            "limit[]=1",
            "limit=%c0%af"
        };
        String query = queries[random.nextInt(queries.length)];
        return new Probe(
                "bad query " + query,
                request("GET", "/items?" + query, List.of("Authorization: Bearer " + token), null));
    }

    private static String randomToken(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int c = 0; c < length; c++) {
            text.append((char) (0x21 + random.nextInt(0x5e)));
        }
        return text.toString();
    }
}
