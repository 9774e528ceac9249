package dev.mkplat.api.items;

import static dev.mkplat.service.testing.HttpTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.api.ApiEnvironment;
import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.MetricsScrape;
import io.helidon.webserver.WebServer;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every bad input to /items gets the right 4xx, as JSON with a request id, and changes nothing. */
class ItemsBadInputIT {
    private static ApiEnvironment env;
    private static WebServer server;
    private static HttpTestClient client;
    private static String token;
    private static String itemPath;

    @BeforeAll
    static void start() {
        env = ApiEnvironment.create();
        server = env.start();
        client = ApiEnvironment.client(server);
        token = env.auth().login("carol");
        itemPath = client().post("/items", "{\"name\":\"original\"}", bearer(token))
                .header("Location")
                .orElseThrow();
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    private static HttpTestClient client() {
        return client;
    }

    private static void assertError(HttpTestClient.Reply reply, int status, String messagePart) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.header("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(reply.json().path("error").asText()).contains(messagePart);
        assertThat(reply.json().has("requestId")).isTrue();
    }

    @Test
    void everyItemsRouteRequiresABearerToken() {
        String[][] noAuth = {
            {},
            {"Authorization", "Basic YWxpY2U6c2VjcmV0"},
            {"Authorization", "Bearer"},
            {"Authorization", "Bearer short"},
            {"Authorization", "Bearer " + "x".repeat(43) + "!"}
        };
        for (String[] headers : noAuth) {
            assertError(client().get("/items", headers), 401, "");
            assertError(client().post("/items", "{\"name\":\"x\"}", headers), 401, "");
            assertError(client().get(itemPath, headers), 401, "");
            assertError(client().put(itemPath, "{\"name\":\"x\"}", headers), 401, "");
            assertError(client().delete(itemPath, headers), 401, "");
        }
        var reply = client().get("/items");
        assertThat(reply.header("WWW-Authenticate"))
                .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
        // Authentication comes first: a malformed id does not tell an anonymous caller anything.
        assertError(client().get("/items/not-an-id"), 401, "");
        assertThat(client().get(itemPath, bearer(token)).json().path("name").asText())
                .isEqualTo("original");
    }

    @Test
    void unknownAndExpiredTokensAreRefused() {
        String unknown = "A".repeat(43);
        assertError(client().get("/items", bearer(unknown)), 401, "invalid or expired token");
        String expired = env.auth().expiredLogin("carol");
        assertError(client().get("/items", bearer(expired)), 401, "invalid or expired token");
        assertError(client().post("/items", "{\"name\":\"x\"}", bearer(expired)), 401, "invalid or expired token");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"name\":\"\"}",
                "{\"name\":\"   \"}",
                "{\"description\":\"no name\"}",
                "{}",
                "{\"name\":null}",
                "{\"name\":5}",
                "{\"name\":true}",
                "{\"name\":[\"a\"]}",
                "{\"name\":{\"a\":1}}",
                "{\"name\":\"a\",\"description\":5}",
                "{\"name\":\"a\",\"description\":[]}",
                "{\"name\":\"a\",\"extra\":1}",
                "{\"name\":\"a\",\"owner\":\"mallory\"}",
                "{\"name\":\"a\",\"id\":\"00000000-0000-0000-0000-000000000000\"}",
                "{\"name\":",
                "{\"name\":\"a\"",
                "{'name':'a'}",
                "{\"name\":\"a\"} trailing",
                "{\"name\":\"a\"}{\"name\":\"b\"}",
                "[]",
                "[{\"name\":\"a\"}]",
                "\"a\"",
                "42",
                "null",
                "not json at all",
                "{\"name\":\"nul\\u0000here\"}",
                "{\"name\":\"lone \\ud800 surrogate\"}",
                "{\"name\":\"a\",\"description\":\"lone \\udc00\"}",
            })
    void invalidBodiesAre400OnCreateAndReplace(String body) {
        assertError(client().post("/items", body, bearer(token)), 400, "");
        assertError(client().put(itemPath, body, bearer(token)), 400, "");
        assertThat(client().get(itemPath, bearer(token)).json().path("name").asText())
                .isEqualTo("original");
    }

    @Test
    void errorsNameTheProblem() {
        assertError(
                client().post("/items", "{\"name\":\"\"}", bearer(token)), 400, "'name' must be 1 to 200 characters");
        assertError(
                client().post("/items", "{\"name\":\"" + "n".repeat(201) + "\"}", bearer(token)),
                400,
                "'name' must be 1 to 200 characters, got 201");
        assertError(
                client().post("/items", "{\"name\":\"a\",\"description\":\"" + "d".repeat(2001) + "\"}", bearer(token)),
                400,
                "'description' must be 0 to 2000 characters, got 2001");
        assertError(client().post("/items", "{\"name\":5}", bearer(token)), 400, "'name' must be a string");
        assertError(client().post("/items", "{}", bearer(token)), 400, "'name' is required");
        assertError(
                client().post("/items", "{\"name\":\"a\",\"extra\":1}", bearer(token)), 400, "unknown field 'extra'");
        assertError(client().post("/items", "{\"name\":", bearer(token)), 400, "malformed JSON");
        assertError(client().post("/items", "", bearer(token)), 400, "request body is required");
        assertError(client().post("/items", "[]", bearer(token)), 400, "expected a JSON object");
        assertError(client().post("/items", "{\"name\":\"   \"}", bearer(token)), 400, "must not be blank");
        assertError(client().put(itemPath, "{\"name\":\"" + "n".repeat(201) + "\"}", bearer(token)), 400, "got 201");
    }

    @Test
    void invalidUtf8IsMalformedJson() {
        byte[] body = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertError(
                client().postBytes(
                                "/items", body, "Content-Type", "application/json", "Authorization", "Bearer " + token),
                400,
                "malformed JSON");
    }

    @Test
    void oversizedBodiesAre413() {
        String big = "{\"name\":\"a\",\"description\":\"" + "d".repeat(70_000) + "\"}";
        assertError(client().post("/items", big, bearer(token)), 413, "limit");
        assertError(client().put(itemPath, big, bearer(token)), 413, "limit");
        // Beyond the server's own max-payload-size the server refuses before routing; still JSON 4xx.
        // The client asks first (100-continue), so the early answer cannot race the upload.
        var huge =
                client().postExpectingContinue("/items", "{\"name\":\"" + "n".repeat(2_000_000) + "\"}", bearer(token));
        assertThat(huge.status()).isEqualTo(413);
        assertThat(huge.json().has("error")).isTrue();
    }

    @Test
    void nonJsonContentTypesAre415() {
        assertError(
                client().post(
                                "/items",
                                "name=a",
                                bearer(token)[0],
                                bearer(token)[1],
                                "Content-Type",
                                "application/x-www-form-urlencoded"),
                415,
                "expected Content-Type application/json");
        assertError(
                client().post(
                                "/items",
                                "{\"name\":\"a\"}",
                                bearer(token)[0],
                                bearer(token)[1],
                                "Content-Type",
                                "text/plain"),
                415,
                "");
        assertError(
                client().put(
                                itemPath,
                                "{\"name\":\"a\"}",
                                bearer(token)[0],
                                bearer(token)[1],
                                "Content-Type",
                                "application/xml"),
                415,
                "");
        // A JSON type with parameters, or a +json type, is fine.
        assertThat(client().post(
                                "/items",
                                "{\"name\":\"utf8\"}",
                                bearer(token)[0],
                                bearer(token)[1],
                                "Content-Type",
                                "application/json; charset=utf-8")
                        .status())
                .isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "limit=0",
                "limit=101",
                "limit=-1",
                "limit=abc",
                "limit=1.5",
                "limit=",
                "limit=1e2",
                "limit=%2B5",
                "limit=1&limit=2",
                "limit=99999999999999999999",
                "offset=-1",
                "offset=abc",
                "offset=",
                "offset=2147483648",
                "offset=1&offset=2",
                "offset=0x10"
            })
    void badPaginationIs400(String query) {
        assertError(client().get("/items?" + query, bearer(token)), 400, "query parameter");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "not-a-uuid",
                "123",
                "00000000-0000-0000-0000-00000000000",
                "00000000-0000-0000-0000-0000000000000",
                "1-2-3-4-5",
                "%7B00000000-0000-0000-0000-000000000000%7D",
                "00000000000000000000000000000000",
                "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
                "%27%20OR%201=1--",
                "..%2F..%2Fetc",
                "%00"
            })
    void malformedIdsAre404WithoutTouchingTheDatabase(String id) {
        long statementsBefore = statementCount();
        assertError(client().get("/items/" + id, bearer(token)), 404, "");
        assertError(client().put("/items/" + id, "{\"name\":\"x\"}", bearer(token)), 404, "");
        assertError(client().delete("/items/" + id, bearer(token)), 404, "");
        assertThat(statementCount()).isEqualTo(statementsBefore);
    }

    /** How many item statements ran so far, from db_query_duration_seconds. */
    private static long statementCount() {
        return MetricsScrape.of(server)
                .lines()
                .filter(line -> line.startsWith("db_query_duration_seconds_count{query=\"items_"))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void unknownIdsAre404() {
        String path = "/items/" + UUID.randomUUID();
        assertError(client().get(path, bearer(token)), 404, "no item");
        assertError(client().put(path, "{\"name\":\"x\"}", bearer(token)), 404, "no item");
        assertError(client().delete(path, bearer(token)), 404, "no item");
    }
}
