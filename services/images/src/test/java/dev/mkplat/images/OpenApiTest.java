package dev.mkplat.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mkplat.images.storage.ImageStore;
import dev.mkplat.service.auth.TokenVerifier;
import dev.mkplat.service.health.HealthService;
import dev.mkplat.service.http.Routes;
import dev.mkplat.service.metrics.ServiceMetrics;
import dev.mkplat.service.tracing.Tracing;
import io.helidon.webserver.http.HttpRouting;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The published OpenAPI document describes exactly the routes the service registers. */
class OpenApiTest {
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void documentAndRoutesMatchInBothDirections() throws Exception {
        Routes routes = new Routes();
        ServiceMetrics metrics = new ServiceMetrics();
        ImageStore store = ImageStore.open(InMemoryStorage.create(), "openapi-test", false);
        ImageService images = new ImageService(
                store,
                new TokenVerifier(
                        URI.create("http://127.0.0.1:1"),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        10,
                        Tracing.none()),
                1024,
                new dev.mkplat.images.upload.UploadBudget(4096),
                metrics);
        Main.routing(
                HttpRouting.builder(),
                routes,
                metrics,
                Tracing.none(),
                new HealthService(List.of(store.readinessCheck()), Duration.ofSeconds(1)),
                images);

        Set<String> routed = new TreeSet<>();
        routes.routes().forEach(route -> routed.add(route.method().text() + " " + route.template()));

        JsonNode document;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("openapi.yaml")) {
            document = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        assertThat(document.path("openapi").asText()).startsWith("3.0");
        Set<String> documented = new TreeSet<>();
        Iterator<String> paths = document.path("paths").fieldNames();
        while (paths.hasNext()) {
            String path = paths.next();
            document.path("paths").path(path).fieldNames().forEachRemaining(key -> {
                if (HTTP_METHODS.contains(key)) {
                    documented.add(key.toUpperCase(Locale.ROOT) + " " + path);
                }
            });
        }

        assertThat(documented).isEqualTo(routed);
        // What a 405's Allow header says for each documented path is exactly the document's methods there.
        for (Iterator<String> each = document.path("paths").fieldNames(); each.hasNext(); ) {
            String path = each.next();
            Set<String> methods = new TreeSet<>();
            document.path("paths").path(path).fieldNames().forEachRemaining(key -> {
                if (HTTP_METHODS.contains(key)) {
                    methods.add(key.toUpperCase(Locale.ROOT));
                }
            });
            assertThat(routes.allowedMethods(path.replaceAll("\\{[^}]+}", "AAAAAAAAAAAAAAAAAAAAAA")))
                    .as("Allow on " + path)
                    .isEqualTo(methods);
        }
        assertThat(routed)
                .contains(
                        "POST /images/upload",
                        "GET /images",
                        "GET /images/{id}",
                        "DELETE /images/{id}",
                        "GET /healthz",
                        "GET /readyz",
                        "GET /openapi");
    }
}
