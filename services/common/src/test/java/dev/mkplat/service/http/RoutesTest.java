package dev.mkplat.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRouting;
import org.junit.jupiter.api.Test;

class RoutesTest {
    @Test
    void templatesJoinThePrefixAndThePath() {
        assertThat(Routes.template("/", "/")).isEqualTo("/");
        assertThat(Routes.template("/", "/healthz")).isEqualTo("/healthz");
        assertThat(Routes.template("/items", "/")).isEqualTo("/items");
        assertThat(Routes.template("/items", "")).isEqualTo("/items");
        assertThat(Routes.template("/items/", "/{id}")).isEqualTo("/items/{id}");
        assertThat(Routes.template("/images", "upload")).isEqualTo("/images/upload");
    }

    /** The OpenAPI tests read the routes without building the routing, which is when Helidon asks the services. */
    @Test
    void routesAreKnownOnceRegisteredBeforeTheRoutingIsBuilt() {
        Routes routes = new Routes();
        HttpRouting.Builder routing = HttpRouting.builder();
        routes.register(
                routing,
                "/items",
                rules -> rules.get("/", (req, res) -> res.send()).delete("/{id}", (req, res) -> res.send()));

        assertThat(routes.routes())
                .containsExactly(
                        new Routes.Route(Method.GET, "/items"), new Routes.Route(Method.DELETE, "/items/{id}"));
        routing.build();
        assertThat(routes.routes()).as("building adds no route twice").hasSize(2);
        assertThat(routes.allowedMethods("/items/7")).containsExactly("DELETE");
        assertThat(routes.allowedMethods("/items/")).isEmpty();
    }

    @Test
    void aRouteWithoutATemplateIsRefused() {
        Routes routes = new Routes();
        assertThatThrownBy(() -> routes.register(
                        HttpRouting.builder(),
                        "/x",
                        rules -> rules.route(HttpRoute.builder()
                                .methods(Method.GET)
                                .path("/")
                                .handler((req, res) -> res.send()))))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("/x");
    }
}
