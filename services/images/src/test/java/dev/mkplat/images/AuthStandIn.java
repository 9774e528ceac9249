package dev.mkplat.images;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.mkplat.service.http.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;

/**
 * A real HTTP server that plays the auth service's {@code GET /verify} contract: 200 with
 * {@code {"username", "expiresAt"}} for a token it issued, 401 for anything else. It can be
 * stopped and started again on the same port, to play an auth outage.
 */
final class AuthStandIn implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> users = new ConcurrentHashMap<>();
    private volatile int verifyCalls;
    private WebServer server;
    private int port;

    AuthStandIn start() {
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .routing(routing -> routing.get("/verify", (req, res) -> {
                    verifyCalls++;
                    String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
                    String username = header.startsWith("Bearer ") ? users.get(header.substring(7)) : null;
                    if (username == null) {
                        Json.send(res, Status.UNAUTHORIZED_401, Map.of("error", "invalid or expired token"));
                        return;
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("username", username);
                    body.put("expiresAt", Instant.now().plus(Duration.ofHours(1)).toString());
                    Json.send(res, Status.OK_200, body);
                }))
                .build()
                .start();
        port = server.port();
        return this;
    }

    void stop() {
        server.stop();
    }

    /** A fresh token (256 random bits, base64url, like auth's) for {@code username}. */
    String issue(String username) {
        byte[] bits = new byte[32];
        RANDOM.nextBytes(bits);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        users.put(token, username);
        return token;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    int verifyCalls() {
        return verifyCalls;
    }

    @Override
    public void close() {
        if (server != null && server.isRunning()) {
            server.stop();
        }
    }
}
