package dev.mkplat.api.items;

import static dev.mkplat.service.testing.HttpTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mkplat.api.ApiEnvironment;
import dev.mkplat.service.testing.HttpTestClient;
import io.helidon.webserver.WebServer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The items resource's happy paths on real Postgres: CRUD, pagination and isolation between users. */
class ItemsIT {
    private static ApiEnvironment env;
    private static WebServer server;
    private static HttpTestClient client;

    @BeforeAll
    static void start() {
        env = ApiEnvironment.create();
        server = env.start();
        client = ApiEnvironment.client(server);
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    private static HttpTestClient client() {
        return client;
    }

    /** A user of its own per test, so that lists are not shared between tests. */
    private static String userToken(String prefix) {
        return env.auth().login(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @Test
    void createReadReplaceDelete() {
        String token = env.auth().login("alice");

        var created = client().post("/items", "{\"name\":\"Milk\",\"description\":\"2 litres\"}", bearer(token));
        assertThat(created.status()).isEqualTo(201);
        JsonNode item = created.json();
        String id = item.path("id").asText();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(created.header("Location")).contains("/items/" + id);
        assertThat(item.path("name").asText()).isEqualTo("Milk");
        assertThat(item.path("description").asText()).isEqualTo("2 litres");
        assertThat(item.path("owner").asText()).isEqualTo("alice");
        Instant createdAt = Instant.parse(item.path("createdAt").asText());
        assertThat(Instant.parse(item.path("updatedAt").asText())).isEqualTo(createdAt);
        assertThat(createdAt)
                .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));

        var read = client().get("/items/" + id, bearer(token));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(item);
        // The canonical form in upper case names the same item.
        assertThat(client().get("/items/" + id.toUpperCase(), bearer(token)).json())
                .isEqualTo(item);

        var replaced = client().put("/items/" + id, "{\"name\":\"Oat milk\"}", bearer(token));
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().path("id").asText()).isEqualTo(id);
        assertThat(replaced.json().path("name").asText()).isEqualTo("Oat milk");
        // PUT replaces: an omitted description becomes the default, "".
        assertThat(replaced.json().path("description").asText()).isEmpty();
        assertThat(replaced.json().path("createdAt").asText())
                .isEqualTo(item.path("createdAt").asText());
        assertThat(Instant.parse(replaced.json().path("updatedAt").asText())).isAfter(createdAt);
        assertThat(client().get("/items/" + id, bearer(token)).json()).isEqualTo(replaced.json());

        var deleted = client().delete("/items/" + id, bearer(token));
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.bytes()).isEmpty();
        assertThat(client().get("/items/" + id, bearer(token)).status()).isEqualTo(404);
        assertThat(client().delete("/items/" + id, bearer(token)).status()).isEqualTo(404);
        assertThat(client().put("/items/" + id, "{\"name\":\"x\"}", bearer(token))
                        .status())
                .isEqualTo(404);
    }

    @Test
    void descriptionIsOptionalAndNullMeansEmpty() {
        String token = userToken("optional");
        assertThat(client().post("/items", "{\"name\":\"a\"}", bearer(token))
                        .json()
                        .path("description")
                        .asText())
                .isEmpty();
        assertThat(client().post("/items", "{\"name\":\"b\",\"description\":null}", bearer(token))
                        .json()
                        .path("description")
                        .asText())
                .isEmpty();
    }

    @Test
    void lengthsAreCountedInCharactersNotBytesAtTheLimits() {
        String token = userToken("limits");
        String name = "\uD83D\uDE00".repeat(ItemDraft.NAME_MAX); // 200 emoji: 400 UTF-16 units, 800 UTF-8 bytes
        String description = "é".repeat(ItemDraft.DESCRIPTION_MAX);
        var created = client().post(
                        "/items", "{\"name\":\"" + name + "\",\"description\":\"" + description + "\"}", bearer(token));
        assertThat(created.status()).isEqualTo(201);
        var read = client().get(created.header("Location").orElseThrow(), bearer(token))
                .json();
        assertThat(read.path("name").asText()).isEqualTo(name);
        assertThat(read.path("description").asText()).isEqualTo(description);
        // Escaped JSON text and control characters other than NUL are stored as given.
        var escaped = client().post(
                        "/items", "{\"name\":\"tab\\there \\u00e9\",\"description\":\"line1\\nline2\"}", bearer(token));
        assertThat(escaped.status()).isEqualTo(201);
        assertThat(escaped.json().path("name").asText()).isEqualTo("tab\there é");
    }

    @Test
    void listIsPagedNewestFirst() {
        String token = userToken("pager");
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(client().post("/items", "{\"name\":\"item " + i + "\"}", bearer(token))
                    .json()
                    .path("id")
                    .asText());
        }
        List<String> newestFirst = created.reversed();

        var first = client().get("/items?limit=2", bearer(token)).json();
        assertThat(first.path("limit").asInt()).isEqualTo(2);
        assertThat(first.path("offset").asInt()).isZero();
        assertThat(first.path("next").asInt()).isEqualTo(2);
        var second = client().get("/items?limit=2&offset=2", bearer(token)).json();
        assertThat(second.path("next").asInt()).isEqualTo(4);
        var last = client().get("/items?limit=2&offset=4", bearer(token)).json();
        assertThat(last.path("next").isNull()).isTrue();
        assertThat(last.has("next")).isTrue();

        List<String> paged = new ArrayList<>();
        for (JsonNode page : List.of(first, second, last)) {
            page.path("items").forEach(item -> paged.add(item.path("id").asText()));
        }
        assertThat(paged).containsExactlyElementsOf(newestFirst);

        var all = client().get("/items", bearer(token)).json();
        assertThat(all.path("limit").asInt()).isEqualTo(20);
        assertThat(all.path("items")).hasSize(5);
        assertThat(all.path("next").isNull()).isTrue();
        assertThat(all.path("items").get(0).path("owner").asText()).startsWith("pager-");

        var exact = client().get("/items?limit=5", bearer(token)).json();
        assertThat(exact.path("items")).hasSize(5);
        assertThat(exact.path("next").isNull())
                .as("a full last page has no next")
                .isTrue();
        var beyond = client().get("/items?offset=100", bearer(token)).json();
        assertThat(beyond.path("items")).isEmpty();
        assertThat(beyond.path("next").isNull()).isTrue();
        // Other query parameters are ignored (cache busters and the like).
        assertThat(client().get("/items?limit=1&_=123", bearer(token)).json().path("items"))
                .hasSize(1);
    }

    @Test
    void usersSeeOnlyTheirOwnItemsAndOthersLookMissing() {
        String alice = userToken("iso-alice");
        String bob = userToken("iso-bob");
        var item =
                client().post("/items", "{\"name\":\"private\"}", bearer(alice)).json();
        String path = "/items/" + item.path("id").asText();

        var peek = client().get(path, bearer(bob));
        var missing = client().get("/items/" + UUID.randomUUID(), bearer(bob));
        assertThat(peek.status()).isEqualTo(404);
        assertThat(missing.status()).isEqualTo(404);
        // Same shape as an id that does not exist: nothing tells bob the item is there.
        assertThat(peek.json().path("error").asText().replace(item.path("id").asText(), "ID"))
                .isEqualTo(missing.json().path("error").asText().replaceAll("[0-9a-f-]{36}", "ID"));

        assertThat(client().put(path, "{\"name\":\"stolen\"}", bearer(bob)).status())
                .isEqualTo(404);
        assertThat(client().delete(path, bearer(bob)).status()).isEqualTo(404);
        assertThat(client().get("/items", bearer(bob)).json().path("items")).isEmpty();

        assertThat(client().get(path, bearer(alice)).json()).isEqualTo(item);
        assertThat(client().get("/items", bearer(alice)).json().path("items")).hasSize(1);
    }
}
