package dev.mkplat.service.testing;

import dev.mkplat.service.http.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the auth service's {@code GET /verify} contract, on a real Helidon server: 200
 * with {@code {"username", "expiresAt"}} for a token it issued and that has not expired, 401
 * otherwise. The services that check tokens against auth (api, images) test with it; they stop
 * it (and start it again on the same port), or make it hang, to see what they do when auth is
 * down. Its counters are safe under concurrent requests.
 */
public final class AuthStandIn implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Session(String username, Instant expiresAt) {}

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger verifyCalls = new AtomicInteger();
    private volatile CountDownLatch hang;
    private int port;
    private WebServer server;

    private AuthStandIn() {}

    public static AuthStandIn create() {
        AuthStandIn auth = new AuthStandIn();
        auth.start();
        return auth;
    }

    /** Starts (or restarts, on the same port) the server. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        server = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .routing(routing -> routing.get("/verify", this::verify))
                .build()
                .start();
        port = server.port();
    }

    /** Stops the server, so that the service under test sees connection refused. */
    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** Makes {@code /verify} hold every request until {@link #release()}. */
    public void hang() {
        hang = new CountDownLatch(1);
    }

    public void release() {
        CountDownLatch latch = hang;
        hang = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** A fresh token for {@code username}, valid for an hour, as auth's login would issue. */
    public String login(String username) {
        return issue(username, Instant.now().plus(Duration.ofHours(1)));
    }

    /** A token whose session has already ended: auth answers 401 for it. */
    public String expiredLogin(String username) {
        return issue(username, Instant.now().minusSeconds(1));
    }

    /** How many times {@code /verify} was called. */
    public int verifyCalls() {
        return verifyCalls.get();
    }

    private String issue(String username, Instant expiresAt) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(token, new Session(username, expiresAt));
        return token;
    }

    private void verify(ServerRequest req, ServerResponse res) throws InterruptedException {
        verifyCalls.incrementAndGet();
        CountDownLatch latch = hang;
        if (latch != null) {
            // Bounded so that a forgotten release cannot keep a server thread forever.
            latch.await(30, TimeUnit.SECONDS);
        }
        String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        Session session = header.startsWith("Bearer ") ? sessions.get(header.substring(7)) : null;
        if (session == null || !session.expiresAt().isAfter(Instant.now())) {
            Json.send(res, Status.UNAUTHORIZED_401, Map.of("error", "invalid or expired token"));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", session.username());
        body.put("expiresAt", session.expiresAt().toString());
        Json.send(res, Status.OK_200, body);
    }

    @Override
    public void close() {
        release();
        stop();
    }
}
