package dev.mkplat.service.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mkplat.service.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A small HTTP client for tests against a running service, speaking JSON. */
public final class HttpTestClient {
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI base;

    public HttpTestClient(String base) {
        this.base = URI.create(base);
    }

    /** A response, with its body as text and, when it parses, as JSON. */
    public record Reply(int status, HttpResponse<byte[]> raw) {
        public String body() {
            return new String(raw.body(), StandardCharsets.UTF_8);
        }

        public byte[] bytes() {
            return raw.body();
        }

        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("response is not JSON (status " + status + "): " + body(), e);
            }
        }

        public Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }
    }

    public Reply get(String path, String... headers) {
        return send(request(path, headers).GET());
    }

    public Reply delete(String path, String... headers) {
        return send(request(path, headers).DELETE());
    }

    public Reply post(String path, String body, String... headers) {
        return send(request(path, withJson(headers)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Reply put(String path, String body, String... headers) {
        return send(request(path, withJson(headers)).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    /**
     * POSTs with {@code Expect: 100-continue}, as curl does for large bodies: the client waits for
     * the server's verdict before sending. Without it, a server that refuses early (413) and closes
     * races the client still writing, and the client may see a reset instead of the answer.
     */
    public Reply postExpectingContinue(String path, String body, String... headers) {
        return send(
                request(path, withJson(headers)).expectContinue(true).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** {@link #postExpectingContinue} with a body of bytes and only the given headers. */
    public Reply postBytesExpectingContinue(String path, byte[] body, String... headers) {
        return send(request(path, headers).expectContinue(true).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Reply postBytes(String path, byte[] body, String... headers) {
        return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Reply method(String method, String path, String body, String... headers) {
        HttpRequest.BodyPublisher publisher =
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return send(request(path, headers).method(method, publisher));
    }

    /** The header pair that carries a Bearer token. */
    public static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    private static String[] withJson(String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase("Content-Type")) {
                return headers;
            }
        }
        List<String> all = new ArrayList<>(List.of(headers));
        all.add("Content-Type");
        all.add("application/json");
        return all.toArray(String[]::new);
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    private Reply send(HttpRequest.Builder builder) {
        try {
            HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response);
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
