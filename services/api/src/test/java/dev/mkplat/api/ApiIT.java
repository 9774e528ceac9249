package dev.mkplat.api;

import static dev.mkplat.service.testing.HttpTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.MetricsScrape;
import dev.mkplat.service.testing.PostgresFixture;
import io.helidon.webserver.WebServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The service as a whole on real Postgres: info, health, metrics, OpenAPI, routing errors, restarts. */
class ApiIT {
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

    @Test
    void rootNamesTheServiceAndTheBuildVersion() {
        var reply = client().get("/");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(reply.header("X-Request-Id")).isPresent();
        JsonNode body = reply.json();
        assertThat(body.path("service").asText()).isEqualTo("api");
        assertThat(body.path("status").asText()).isEqualTo("ok");
        // The Maven project version, filtered in at build time; never a placeholder.
        assertThat(body.path("version").asText())
                .isEqualTo(ServiceInfo.fromBuild().version())
                .matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void livenessAndReadinessAnswerWhenPostgresIsUp() {
        assertThat(client().get("/healthz").json().path("status").asText()).isEqualTo("UP");
        var ready = client().get("/readyz");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("checks").path("postgres").asText()).isEqualTo("UP");
    }

    @Test
    void openApiDocumentIsServedAsYaml() {
        var reply = client().get("/openapi");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/yaml"));
        assertThat(reply.body()).startsWith("openapi: 3.0").contains("/items/{id}:");
    }

    @Test
    void openApiDocumentIsServedAsJsonWhenJsonIsPreferred() {
        var reply = client().get("/openapi", "Accept", "application/json");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(reply.json().path("openapi").asText()).startsWith("3.0");
        assertThat(reply.json().path("paths").has("/items/{id}")).isTrue();
        // Either is fine to a client that takes both: the YAML, the service's own file.
        assertThat(client().get("/openapi", "Accept", "application/yaml, application/json")
                        .body())
                .startsWith("openapi: 3.0");
    }

    @Test
    void metricsExposeTheDashboardNamesWithRouteTemplates() {
        String token = env.auth().login("metrics-user");
        String location = client().post("/items", "{\"name\":\"m\"}", bearer(token))
                .header("Location")
                .orElseThrow();
        client().get(location, bearer(token));
        client().get("/items", bearer(token));
        client().put(location, "{\"name\":\"m2\"}", bearer(token));
        client().delete(location, bearer(token));

        String metrics = MetricsScrape.of(server);
        assertThat(metrics).containsPattern("(?m)^items_created_total [1-9]");
        for (String query : new String[] {"items_insert", "items_get", "items_list", "items_update", "items_delete"}) {
            assertThat(metrics).contains("db_query_duration_seconds_count{query=\"" + query + "\"}");
        }
        assertThat(metrics)
                .contains(
                        "http_server_request_duration_seconds_bucket{method=\"GET\",route=\"/items/{id}\",status=\"200\"")
                .contains(
                        "http_server_request_duration_seconds_bucket{method=\"DELETE\",route=\"/items/{id}\",status=\"204\"")
                .contains("http_server_request_duration_seconds_bucket{method=\"POST\",route=\"/items\",status=\"201\"")
                .doesNotContain(location);
    }

    @Test
    void unknownRoutesAndWrongMethodsAreJsonErrors() {
        var notFound = client().get("/nope");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.json().path("error").asText()).contains("/nope");
        assertThat(notFound.json().path("requestId").asText()).isNotBlank();
        assertThat(client().get("/items/a/b").status()).isEqualTo(404);

        var patch = client().method("PATCH", "/items", "{}", "Content-Type", "application/json");
        assertThat(patch.status()).isEqualTo(405);
        assertThat(patch.header("Allow"))
                .hasValueSatisfying(allow -> assertThat(allow).contains("GET").contains("POST"));
        assertThat(patch.json().path("error").asText()).isNotBlank();
        assertThat(client().delete("/items").status()).isEqualTo(405);
        assertThat(client().post("/items/" + java.util.UUID.randomUUID(), "{}").status())
                .isEqualTo(405);
        assertThat(client().method("PUT", "/", "{}").status()).isEqualTo(405);
        assertThat(client().post("/readyz", "{}").status()).isEqualTo(405);
    }

    @Test
    void requestIdOfTheClientIsEchoed() {
        var reply = client().get("/nope", "X-Request-Id", "trace-42");
        assertThat(reply.header("X-Request-Id")).contains("trace-42");
        assertThat(reply.json().path("requestId").asText()).isEqualTo("trace-42");
    }

    @Test
    void aStoppedServerClosesItsDatabaseConnections() throws Exception {
        PostgresFixture.Database db = env.postgres().createDatabase("closing");
        WebServer second =
                Main.start(env.config(Map.of("db.url", db.url(), "db.user", db.user(), "db.password", db.password())));
        HttpTestClient secondClient = new HttpTestClient("http://127.0.0.1:" + second.port());
        await().atMost(Duration.ofSeconds(60))
                .until(() -> secondClient.get("/readyz").status() == 200);
        assertThat(connections(db)).isPositive();

        second.stop();

        await().atMost(Duration.ofSeconds(10)).until(() -> connections(db) == 0);
    }

    /** Connections to {@code db} other than the one asking. */
    private static int connections(PostgresFixture.Database db) throws Exception {
        try (Connection connection = db.connect();
                var statement = connection.prepareStatement(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Test
    void itemsSurviveARestartOfTheService() {
        String token = env.auth().login("restart-user");
        var created =
                client().post("/items", "{\"name\":\"durable\",\"description\":\"kept in Postgres\"}", bearer(token));
        assertThat(created.status()).isEqualTo(201);
        String location = created.header("Location").orElseThrow();

        server.stop();
        server = env.start();
        client = ApiEnvironment.client(server);

        var read = client().get(location, bearer(token));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(created.json());
        assertThat(client().get("/items", bearer(token)).json().path("items")).hasSize(1);
    }
}
