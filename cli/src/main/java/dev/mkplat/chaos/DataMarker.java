package dev.mkplat.chaos;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.kube.Wait;
import dev.mkplat.kube.WaitTimeoutException;
import dev.mkplat.traffic.engine.HttpEngine;
import dev.mkplat.traffic.report.RequestOutcome;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code --verify-data}: an item written through api (a user of its own registered and logged in
 * through auth) before the fault, and read back after the recovery. What it proves is that the
 * data outlived the fault: the database's volume, not its pod, holds it. The requests go through
 * the ingress hosts with the traffic engine's HTTP client.
 */
final class DataMarker implements AutoCloseable {
    /** How often the item is asked for while api comes back (it answers 503 until its database does). */
    private static final Duration POLL = Duration.ofSeconds(1);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The marker user's name suffix and password: one generator, seeded once by the JDK. */
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpEngine http;
    private final URI api;
    private final URI auth;
    private final Clock clock;

    /** The item written: its id, its unique name, and the token that can read it. */
    record Marker(String id, String name, String token) {}

    /**
     * The check after the recovery.
     *
     * @param intact  whether the item was read back with its name
     * @param detail  what was seen last (status and why)
     * @param readAfter from the start of the check until the item was read back; empty when it was not
     */
    record Check(Marker marker, boolean intact, String detail, Optional<Duration> readAfter) {}

    DataMarker(IngressAccess ingress, Clock clock) {
        this.http = new HttpEngine(ingress.trust(), TrafficPlan.REQUEST_TIMEOUT, 2);
        this.api = ingress.api();
        this.auth = ingress.auth();
        this.clock = clock;
    }

    /**
     * Registers a user of its own, logs in and writes the marker item.
     *
     * @throws MkplatException exit 1 when a step fails: the experiment must not start without its marker
     */
    Marker write() {
        String suffix = randomHex(6);
        String user = "mkplat-chaos-" + suffix;
        String password = randomHex(16);
        String credentials = "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
        expect("register a user for the marker", send("POST", auth.resolve("/register"), Map.of(), credentials), 201);
        String token = field(
                expect("log in as the marker's user", send("POST", auth.resolve("/login"), Map.of(), credentials), 200),
                "token");
        String name = "mkplat-chaos-marker-" + suffix;
        RequestOutcome created = expect(
                "write the marker item",
                send(
                        "POST",
                        api.resolve("/items"),
                        bearer(token),
                        "{\"name\":\"" + name
                                + "\",\"description\":\"written by mkplat chaos --verify-data before the fault\"}"),
                201);
        return new Marker(field(created, "id"), name, token);
    }

    /** Reads the marker back until {@code deadline}: 503s and unanswered requests mean not yet, any other answer settles it. */
    Check verify(Marker marker, Instant deadline) {
        Instant start = clock.instant();
        URI item = api.resolve("/items/" + marker.id());
        RequestOutcome last;
        try {
            last = new Wait(clock, POLL)
                    .until(
                            Wait.Condition.of(
                                    "the marker item " + marker.id(),
                                    "an answer from api",
                                    () -> send("GET", item, bearer(marker.token()), null),
                                    answer -> answer.status() != 0
                                            && answer.status() != 503
                                            && answer.status() != 502
                                            && answer.status() != 504),
                            deadline);
        } catch (WaitTimeoutException notAnswered) {
            return new Check(
                    marker,
                    false,
                    "api did not answer GET /items/" + marker.id() + " by the deadline: " + notAnswered.getMessage(),
                    Optional.empty());
        }
        String body = new String(last.body(), StandardCharsets.UTF_8);
        if (last.status() == 200 && body.contains("\"" + marker.name() + "\"")) {
            return new Check(marker, true, "read back intact", Optional.of(Duration.between(start, clock.instant())));
        }
        return new Check(
                marker,
                false,
                "GET /items/" + marker.id() + " answered " + last.status() + ": " + abbreviate(body),
                Optional.empty());
    }

    private RequestOutcome send(String method, URI uri, Map<String, String> headers, String json) {
        return http.send(http.prepare(
                method,
                uri,
                headers,
                json == null ? null : json.getBytes(StandardCharsets.UTF_8),
                json == null ? null : "application/json",
                true));
    }

    private static RequestOutcome expect(String step, RequestOutcome outcome, int status) {
        if (outcome.status() != status) {
            String why = outcome.status() == 0
                    ? outcome.error()
                    : outcome.status() + " " + abbreviate(new String(outcome.body(), StandardCharsets.UTF_8));
            throw new MkplatException(
                    ExitCode.FAILED,
                    "cannot " + step + " (--verify-data): " + why,
                    "the platform must answer through its ingress hosts before the fault: mkplat status, and curl --cacert certs/<domain>/ca.crt");
        }
        return outcome;
    }

    private static String field(RequestOutcome outcome, String name) {
        String value;
        try {
            value = JSON.readTree(outcome.body()).path(name).asString("");
        } catch (JacksonException notJson) {
            value = "";
        }
        if (value.isEmpty()) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    "no \"" + name + "\" in the answer: "
                            + abbreviate(new String(outcome.body(), StandardCharsets.UTF_8)),
                    null);
        }
        return value;
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private static String abbreviate(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    @Override
    public void close() {
        http.close();
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
