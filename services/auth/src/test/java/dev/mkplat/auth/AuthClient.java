package dev.mkplat.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mkplat.service.http.Json;
import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.HttpTestClient.Reply;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The auth API as a test drives it. */
final class AuthClient {
    final HttpTestClient http;

    AuthClient(HttpTestClient http) {
        this.http = http;
    }

    Reply register(String username, String password) {
        return http.post("/register", credentials(username, password));
    }

    /** A login from {@code clientAddress}, which the test servers take from X-Forwarded-For. */
    Reply login(String username, String password, String clientAddress) {
        return http.post("/login", credentials(username, password), "X-Forwarded-For", clientAddress);
    }

    /** Logs in from a fresh address and returns the token. */
    String token(String username, String password) {
        Reply reply = login(username, password, randomAddress());
        if (reply.status() != 200) {
            throw new AssertionError("login of " + username + " answered " + reply.status() + ": " + reply.body());
        }
        return reply.json().path("token").asText();
    }

    Reply verify(String token) {
        return http.get("/verify", HttpTestClient.bearer(token));
    }

    Reply logout(String token) {
        return http.method("POST", "/logout", null, HttpTestClient.bearer(token));
    }

    static String credentials(String username, String password) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("password", password);
        try {
            return Json.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A username no other test uses (the login counts live in a shared Redis). */
    static String uniqueName(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** An address in 10.0.0.0/8 that no other test uses (in practice). */
    static String randomAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }
}
