package dev.mkplat.auth;

import static dev.mkplat.auth.AuthClient.credentials;
import static dev.mkplat.auth.AuthClient.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mkplat.service.http.Routes;
import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.HttpTestClient.Reply;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The auth service's routes against a real Postgres and Redis: happy paths and bad input. */
class AuthIT {
    private static AuthEnvironment environment;
    private static WebServer server;
    private static HttpTestClient http;
    private static AuthClient auth;

    @BeforeAll
    static void start() {
        environment = AuthEnvironment.create();
        server = environment.start("trust.forwarded", "true");
        http = AuthEnvironment.client(server);
        auth = new AuthClient(http);
    }

    @AfterAll
    static void stop() {
        environment.close();
    }

    @Test
    void greetsWithHelloWorld() {
        Reply reply = http.get("/");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("Hello World");
        assertThat(reply.header("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(reply.header("X-Request-Id")).isPresent();
    }

    @Test
    void healthAndReadinessCheckPostgresAndRedis() {
        assertThat(http.get("/healthz").status()).isEqualTo(200);
        Reply ready = http.get("/readyz");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("checks").path("postgres").asText()).isEqualTo("UP");
        assertThat(ready.json().path("checks").path("redis").asText()).isEqualTo("UP");
    }

    @Test
    void registerLoginVerifyLogout() {
        String name = uniqueName("alice");
        Reply registered = auth.register(name, "correct horse battery");
        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.json().path("username").asText()).isEqualTo(name);
        assertThat(registered.body()).doesNotContain("correct horse");

        Instant before = Instant.now();
        Reply login = auth.login(name, "correct horse battery", AuthClient.randomAddress());
        assertThat(login.status()).isEqualTo(200);
        JsonNode session = login.json();
        assertThat(session.size()).isEqualTo(2);
        String token = session.path("token").asText();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        Instant expiresAt = Instant.parse(session.path("expiresAt").asText());
        // The default SESSION_TTL is one hour.
        assertThat(Duration.between(before, expiresAt).toSeconds()).isCloseTo(3600, within(60L));

        Reply verified = auth.verify(token);
        assertThat(verified.status()).isEqualTo(200);
        assertThat(verified.json().size()).isEqualTo(2);
        assertThat(verified.json().path("username").asText()).isEqualTo(name);
        assertThat(Instant.parse(verified.json().path("expiresAt").asText())).isEqualTo(expiresAt);

        Reply logout = auth.logout(token);
        assertThat(logout.status()).isEqualTo(204);
        assertThat(logout.bytes()).isEmpty();
        Reply afterLogout = auth.verify(token);
        assertThat(afterLogout.status()).isEqualTo(401);
        assertThat(afterLogout.header("WWW-Authenticate")).isPresent();
        assertThat(auth.logout(token).status()).isEqualTo(401);
    }

    @Test
    void everyLoginIsASeparateSession() {
        String name = uniqueName("multi");
        auth.register(name, "password-one");
        String first = auth.token(name, "password-one");
        String second = auth.token(name, "password-one");
        assertThat(first).isNotEqualTo(second);
        assertThat(auth.logout(first).status()).isEqualTo(204);
        assertThat(auth.verify(first).status()).isEqualTo(401);
        assertThat(auth.verify(second).status()).isEqualTo(200);
    }

    @Test
    void aTakenNameIs409WhateverItsCase() {
        String name = uniqueName("Bob");
        assertThat(auth.register(name, "first password").status()).isEqualTo(201);
        Reply again = auth.register(name, "second password");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("error").asText()).contains("taken");
        assertThat(auth.register(name.toLowerCase(), "third password").status()).isEqualTo(409);
        assertThat(auth.register(name.toUpperCase(), "third password").status()).isEqualTo(409);

        // The first registration won: its password works, and any case of the name logs in as it.
        assertThat(auth.login(name, "second password", AuthClient.randomAddress())
                        .status())
                .isEqualTo(401);
        String token = auth.token(name.toLowerCase(), "first password");
        assertThat(auth.verify(token).json().path("username").asText()).isEqualTo(name);
    }

    @Test
    void concurrentRegistrationsOfOneNameGiveExactlyOne201() throws Exception {
        String name = uniqueName("race");
        List<Callable<Integer>> attempts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String password = "password number " + i;
            attempts.add(() -> auth.register(name, password).status());
        }
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> status : executor.invokeAll(attempts)) {
                statuses.add(status.get());
            }
        }
        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
    }

    @Test
    void theLongestAndShortestValidCredentialsAreAccepted() {
        String shortest = "u" + uniqueName("").substring(1, 3);
        String longest = uniqueName("x").concat("y".repeat(64)).substring(0, 64);
        assertThat(auth.register(shortest, "12345678").status()).isEqualTo(201);
        assertThat(auth.register(longest, "p".repeat(255) + "é").status()).isEqualTo(201);
        assertThat(auth.register(uniqueName("A.b-c_D"), "ünïcødé-pässwörd").status())
                .isEqualTo(201);
        assertThat(auth.token(longest, "p".repeat(255) + "é")).hasSize(43);
    }

    static Stream<Arguments> badCredentials() {
        String valid = "a valid password";
        return Stream.of(
                Arguments.of("username too short", credentials("ab", valid), "username"),
                Arguments.of("username too long", credentials("a".repeat(65), valid), "username"),
                Arguments.of("username with a space", credentials("bad name", valid), "username"),
                Arguments.of("username with a slash", credentials("../etc/passwd", valid), "username"),
                Arguments.of("username with a colon", credentials("user:name", valid), "username"),
                Arguments.of("username not ASCII", credentials("ünïcode", valid), "username"),
                Arguments.of("username empty", credentials("", valid), "username"),
                Arguments.of("password too short", credentials("someone", "1234567"), "password"),
                Arguments.of("password too long", credentials("someone", "p".repeat(257)), "password"),
                Arguments.of(
                        "username a number",
                        "{\"username\": 12345, \"password\": \"a valid password\"}",
                        "must be a string"),
                Arguments.of(
                        "password a boolean", "{\"username\": \"someone\", \"password\": true}", "must be a string"),
                Arguments.of(
                        "password an object",
                        "{\"username\": \"someone\", \"password\": {\"a\": 1}}",
                        "must be a string"),
                Arguments.of("username null", "{\"username\": null, \"password\": \"a valid password\"}", "required"),
                Arguments.of("username missing", "{\"password\": \"a valid password\"}", "required"),
                Arguments.of("password missing", "{\"username\": \"someone\"}", "required"),
                Arguments.of(
                        "unknown field",
                        "{\"username\": \"someone\", \"password\": \"a valid password\", \"admin\": true}",
                        "unknown field 'admin'"),
                Arguments.of("malformed JSON", "{\"username\": \"someone\", \"password\": ", "malformed JSON"),
                Arguments.of("not an object", "[\"someone\", \"a valid password\"]", "JSON object"),
                Arguments.of("a bare string", "\"someone\"", "JSON object"),
                Arguments.of("trailing garbage", credentials("someone", valid) + "{}", "malformed JSON"),
                Arguments.of("empty body", "", "required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCredentials")
    void badCredentialsAre400OnRegisterAndLogin(String description, String body, String message) {
        for (String path : List.of("/register", "/login")) {
            Reply reply = http.post(path, body);
            assertThat(reply.status()).as(path + ": " + reply.body()).isEqualTo(400);
            assertThat(reply.json().path("error").asText()).contains(message);
            assertThat(reply.json().path("requestId").asText()).isNotBlank();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/register", "/login"})
    void oversizedWronglyTypedBodiesAreRefused(String path) throws Exception {
        String justOver = "{\"username\": \"someone\", \"password\": \"" + "p".repeat(5000) + "\"}";
        Reply over = http.post(path, justOver);
        assertThat(over.status()).isEqualTo(413);
        assertThat(over.json().path("error").asText()).contains("limit");

        // Far over the server's own limit (server.max-payload-size): refused from the declared length
        // alone, before routing, still as JSON. A raw request that declares the length but sends no
        // body, because a client still sending a body the server will not read can see its
        // connection reset before it reads the answer.
        String huge = rawRequest("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 200000\r\nConnection: close\r\n\r\n");
        assertThat(huge).startsWith("HTTP/1.1 413").contains("\"error\"");

        Reply form = http.post(
                path, "username=someone&password=whatever", "Content-Type", "application/x-www-form-urlencoded");
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.json().path("error").asText()).contains("application/json");
        assertThat(http.post(path, credentials("someone", "a valid password"), "Content-Type", "text/plain")
                        .status())
                .isEqualTo(415);
    }

    @Test
    void verifyRefusesMissingAndMalformedBearerTokens() {
        String unknownButWellFormed = "A".repeat(43);
        List<Reply> refused = List.of(
                http.get("/verify"),
                http.get("/verify", "Authorization", "Basic dXNlcjpwYXNzd29yZA=="),
                http.get("/verify", "Authorization", "Bearer"),
                http.get("/verify", "Authorization", "Bearer "),
                http.get("/verify", "Authorization", "Bearer " + "A".repeat(42)),
                http.get("/verify", "Authorization", "Bearer " + "A".repeat(44)),
                http.get("/verify", "Authorization", "Bearer " + "A".repeat(42) + "+"),
                http.get("/verify", "Authorization", "Bearer " + "A".repeat(42) + "="),
                http.get("/verify", "Authorization", "Bearer " + "A".repeat(20) + "." + "A".repeat(22)),
                http.get("/verify", "Authorization", "Bearer " + "A".repeat(4000)),
                auth.verify(unknownButWellFormed));
        for (Reply reply : refused) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(401);
            assertThat(reply.header("WWW-Authenticate")).hasValue("Bearer realm=\"mkplat\"");
            assertThat(reply.json().path("error").asText()).isNotBlank();
        }
        assertThat(http.method("POST", "/logout", null).status()).isEqualTo(401);
        assertThat(http.method("POST", "/logout", null, "Authorization", "Bearer nonsense")
                        .status())
                .isEqualTo(401);
        assertThat(auth.logout(unknownButWellFormed).status()).isEqualTo(401);
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() {
        String name = uniqueName("scheme");
        auth.register(name, "password-one");
        String token = auth.token(name, "password-one");
        assertThat(http.get("/verify", "Authorization", "bearer " + token).status())
                .isEqualTo(200);
        assertThat(http.get("/verify", "Authorization", "BEARER  " + token).status())
                .isEqualTo(200);
    }

    @Test
    void unknownRoutesAndWrongMethodsAreJson4xx() {
        Reply notFound = http.get("/users/../../etc/passwd");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.json().has("error")).isTrue();
        Reply wrongMethod = http.get("/login");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Allow")).hasValue("POST");
        assertThat(http.post("/verify", "{}").status()).isEqualTo(405);
    }

    @Test
    void theOpenApiDocumentDescribesExactlyTheRoutes() throws Exception {
        Routes routes = new Routes();
        try (AuthDependencies dependencies = AuthDependencies.open(environment.config())) {
            Main.routing(HttpRouting.builder(), routes, dependencies);
        }
        Set<String> routed = new HashSet<>();
        for (Routes.Route route : routes.routes()) {
            routed.add(route.method().text() + " " + route.template());
        }

        JsonNode document;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("openapi.yaml")) {
            document = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        Set<String> documented = new HashSet<>();
        document.path("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(operation -> {
                    if (Set.of("get", "put", "post", "delete", "patch", "head", "options")
                            .contains(operation.getKey())) {
                        documented.add(operation.getKey().toUpperCase() + " " + path.getKey());
                    }
                }));

        assertThat(documented).containsExactlyInAnyOrderElementsOf(routed);
        Reply served = http.get("/openapi");
        assertThat(served.status()).isEqualTo(200);
        assertThat(new ObjectMapper(new YAMLFactory()).readTree(served.bytes())).isEqualTo(document);
    }

    @Test
    void metricsHaveTheDashboardNames() {
        String name = uniqueName("metrics");
        auth.register(name, "password-one");
        auth.token(name, "password-one");
        auth.login(name, "wrong password", AuthClient.randomAddress());

        String metrics = dev.mkplat.service.testing.MetricsScrape.of(server);
        assertThat(metrics)
                .contains(
                        "auth_logins_total{result=\"success\"}",
                        "auth_logins_total{result=\"failure\"}",
                        "auth_logins_total{result=\"locked\"}",
                        "auth_lockouts_total{scope=\"user\"}",
                        "auth_lockouts_total{scope=\"ip\"}",
                        "db_query_duration_seconds_bucket{query=\"insert_user\"",
                        "db_query_duration_seconds_bucket{query=\"select_user\"",
                        "http_server_request_duration_seconds_bucket{method=\"POST\",route=\"/login\",status=\"200\"",
                        "http_server_request_duration_seconds_bucket{method=\"POST\",route=\"/login\",status=\"401\"");
        assertThat(metricValue(metrics, "auth_logins_total{result=\"success\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(metricValue(metrics, "auth_logins_total{result=\"failure\"}"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void aHashWithOutdatedParametersIsUpgradedAtTheNextLogin() throws Exception {
        String name = uniqueName("veteran");
        String weak = new dev.mkplat.auth.password.Argon2idHasher(
                        new dev.mkplat.auth.password.Argon2idHasher.Parameters(64, 1, 1))
                .hash("an old password");
        execute("INSERT INTO users (username, password_hash) VALUES ('" + name + "', '" + weak + "')");

        assertThat(auth.token(name, "an old password")).hasSize(43);

        String upgraded = storedHash(name);
        assertThat(upgraded).isNotEqualTo(weak);
        assertThat(dev.mkplat.auth.password.Argon2idHasher.parse(upgraded).parameters())
                .isEqualTo(dev.mkplat.auth.password.Argon2idHasher.OWASP);
        assertThat(auth.token(name, "an old password")).hasSize(43);
        assertThat(storedHash(name)).as("an up-to-date hash stays as it is").isEqualTo(upgraded);
    }

    @Test
    void usersAndSessionsSurviveARestartOfTheService() {
        String name = uniqueName("durable");
        assertThat(auth.register(name, "durable password").status()).isEqualTo(201);
        String token = auth.token(name, "durable password");

        WebServer restarted = null;
        server.stop();
        try {
            // Stopping the server closed its pool: no connection of the service is left open.
            await().atMost(Duration.ofSeconds(10)).until(() -> otherConnectionsToTheDatabase() == 0);
            restarted = environment.start("trust.forwarded", "true");
            AuthClient again = new AuthClient(AuthEnvironment.client(restarted));
            assertThat(again.verify(token).json().path("username").asText()).isEqualTo(name);
            assertThat(again.token(name, "durable password")).hasSize(43);
            assertThat(again.register(name, "durable password").status()).isEqualTo(409);
        } finally {
            // The other tests go on against the restarted server.
            server = restarted != null ? restarted : environment.start("trust.forwarded", "true");
            http = AuthEnvironment.client(server);
            auth = new AuthClient(http);
        }
    }

    private static String rawRequest(String head) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static long otherConnectionsToTheDatabase() throws java.sql.SQLException {
        try (Connection connection = environment.database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void execute(String sql) throws Exception {
        try (Connection connection = environment.database.connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private String storedHash(String username) throws Exception {
        try (Connection connection = environment.database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery("SELECT password_hash FROM users WHERE username = '" + username + "'")) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    static double metricValue(String metrics, String series) {
        return metrics.lines()
                .filter(line -> line.startsWith(series + " "))
                .mapToDouble(line ->
                        Double.parseDouble(line.substring(series.length() + 1).trim()))
                .findFirst()
                .orElseThrow(() -> new AssertionError(series + " not in the metrics"));
    }
}
