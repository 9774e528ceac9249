package dev.mkplat.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mkplat.service.auth.TokenVerifier;
import dev.mkplat.service.db.Database;
import dev.mkplat.service.db.DatabaseConfig;
import dev.mkplat.service.http.Routes;
import dev.mkplat.service.metrics.ServiceMetrics;
import dev.mkplat.service.tracing.Tracing;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** openapi.yaml documents exactly the routes {@link Main#routing} registers, no more, no less. */
class OpenApiTest {
    private static final Set<String> OPERATIONS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    @Test
    void documentAndRoutesMatchInBothDirections() throws IOException {
        Set<String> routed = routedOperations();
        Set<String> documented = documentedOperations();
        assertThat(routed).as("routes missing from openapi.yaml").isSubsetOf(documented);
        assertThat(documented).as("documented operations that are not routed").isSubsetOf(routed);
        assertThat(routed)
                .contains(
                        "GET /",
                        "POST /items",
                        "GET /items",
                        "GET /items/{id}",
                        "PUT /items/{id}",
                        "DELETE /items/{id}",
                        "GET /healthz",
                        "GET /readyz",
                        "GET /openapi");
    }

    @Test
    void everyItemsOperationRequiresTheBearerScheme() throws IOException {
        JsonNode paths = document().path("paths");
        for (String path : new String[] {"/items", "/items/{id}"}) {
            paths.path(path).properties().stream()
                    .filter(operation -> OPERATIONS.contains(operation.getKey()))
                    .forEach(operation -> assertThat(
                                    operation.getValue().path("security").toString())
                            .as(operation.getKey() + " " + path)
                            .contains("bearer"));
        }
    }

    /** What a 405's Allow header says on each documented path is exactly the document's methods there. */
    @Test
    void allowOnEachDocumentedPathIsTheDocumentsMethods() throws IOException {
        Routes routes = registeredRoutes();
        for (Map.Entry<String, JsonNode> path : document().path("paths").properties()) {
            Set<String> methods = new TreeSet<>();
            path.getValue().fieldNames().forEachRemaining(key -> {
                if (OPERATIONS.contains(key)) {
                    methods.add(key.toUpperCase(Locale.ROOT));
                }
            });
            String concrete = path.getKey().replaceAll("\\{[^}]+}", "0b7e0a4c-7b53-4a8a-9c34-1d2f3e4a5b6c");
            assertThat(routes.allowedMethods(concrete))
                    .as("Allow on " + path.getKey())
                    .isEqualTo(methods);
        }
    }

    private static Set<String> routedOperations() {
        return registeredRoutes().routes().stream()
                .map(route -> route.method().text() + " " + route.template())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Routes registeredRoutes() {
        Routes routes = new Routes();
        ServiceMetrics metrics = new ServiceMetrics();
        // Nothing listens on port 9: the pool opens lazily and routing never touches it.
        DatabaseConfig config = new DatabaseConfig(
                "jdbc:postgresql://127.0.0.1:9/none", "none", "", 1, Duration.ofMillis(250), Duration.ofSeconds(1));
        try (Database database = Database.start(config, Main.MIGRATIONS, metrics)) {
            TokenVerifier verifier = new TokenVerifier(
                    java.net.URI.create("http://127.0.0.1:9"),
                    Duration.ofMillis(250),
                    Duration.ofSeconds(1),
                    10,
                    Tracing.none());
            Main.routing(HttpRouting.builder(), routes, metrics, Tracing.none(), database, verifier);
        }
        return routes;
    }

    private static Set<String> documentedOperations() throws IOException {
        Set<String> operations = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : document().path("paths").properties()) {
            path.getValue().fieldNames().forEachRemaining(key -> {
                if (OPERATIONS.contains(key)) {
                    operations.add(key.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            });
        }
        return operations;
    }

    /** The item body takes a null description (as empty) and refuses a null name: the schema must say the same. */
    @Test
    void nullableFieldsOfTheItemBodyAreTheOnesTheServiceTakesAsNull() throws Exception {
        JsonNode properties = document().at("/components/schemas/ItemInput/properties");
        assertThat(properties.path("description").path("nullable").asBoolean()).isTrue();
        assertThat(properties.path("name").path("nullable").asBoolean()).isFalse();
        var nullDescription = (com.fasterxml.jackson.databind.node.ObjectNode)
                dev.mkplat.service.http.Json.MAPPER.readTree("{\"name\":\"a\",\"description\":null}");
        assertThat(dev.mkplat.api.items.ItemDraft.from(nullDescription).description())
                .isEqualTo(properties.path("description").path("default").asText());
        var nullName = (com.fasterxml.jackson.databind.node.ObjectNode)
                dev.mkplat.service.http.Json.MAPPER.readTree("{\"name\":null}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.mkplat.api.items.ItemDraft.from(nullName))
                .isInstanceOf(dev.mkplat.service.http.ApiException.class);
    }

    private static JsonNode document() throws IOException {
        try (InputStream in = OpenApiTest.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
            assertThat(in).as("openapi.yaml on the classpath").isNotNull();
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }
}
