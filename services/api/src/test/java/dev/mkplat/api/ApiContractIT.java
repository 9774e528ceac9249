package dev.mkplat.api;

import static dev.mkplat.service.testing.HttpTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.service.testing.OpenApiContract;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** api keeps its OpenAPI document: requests generated from the document, every answer checked against it. */
class ApiContractIT {
    private static final String USER = "contract-user";
    private static ApiEnvironment env;
    private static WebServer server;

    @BeforeAll
    static void start() {
        env = ApiEnvironment.create();
        server = env.start();
    }

    @AfterAll
    static void stop() {
        env.close();
    }

    @Test
    void everyAnswerIsTheDocuments() {
        OpenApiContract.Result result = OpenApiContract.run(
                URI.create("http://127.0.0.1:" + server.port()),
                new OpenApiContract.Samples() {
                    @Override
                    public String authorization() {
                        return "Bearer " + env.auth().login(USER);
                    }

                    @Override
                    public Optional<String> existing(String pathTemplate, String parameter) {
                        // A new item each time: a generated DELETE may have removed the last one.
                        var created = ApiEnvironment.client(server)
                                .post(
                                        "/items",
                                        "{\"name\":\"contract\"}",
                                        bearer(env.auth().login(USER)));
                        return created.header("Location")
                                .map(location -> location.substring(location.lastIndexOf('/') + 1));
                    }
                },
                300);

        assertThat(result.failures()).isEmpty();
        assertThat(result.requests()).isGreaterThan(300);
    }
}
