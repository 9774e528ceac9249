package dev.mkplat.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.service.testing.OpenApiContract;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * auth keeps its OpenAPI document: requests generated from the document, every answer checked
 * against it, on a real PostgreSQL and Redis with the production limits (the generated wrong
 * logins and registrations run into them, so their 429s are checked too).
 */
class AuthContractIT {
    private static final String PASSWORD = "contract-password-1";
    private static AuthEnvironment env;
    private static WebServer server;
    private static AuthClient auth;
    private static String username;

    @BeforeAll
    static void start() {
        env = AuthEnvironment.create();
        // The samples' own logins come from addresses of their own (X-Forwarded-For), so that the
        // lockout the generated wrong logins earn for 127.0.0.1 does not stop them.
        server = env.start("trust.forwarded", "true");
        auth = new AuthClient(AuthEnvironment.client(server));
        username = AuthClient.uniqueName("contract");
        assertThat(auth.register(username, PASSWORD).status()).isEqualTo(201);
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
                    private String token;

                    @Override
                    public synchronized String authorization() {
                        if (token == null) {
                            token = auth.token(username, PASSWORD);
                        }
                        return "Bearer " + token;
                    }

                    @Override
                    public List<byte[]> bodies(String method, String pathTemplate, String mediaType) {
                        if (pathTemplate.equals("/login") && mediaType.equals("application/json")) {
                            return List.of(
                                    AuthClient.credentials(username, PASSWORD).getBytes(StandardCharsets.UTF_8));
                        }
                        return List.of();
                    }

                    @Override
                    public synchronized void answered(String method, String pathTemplate, int status) {
                        if (pathTemplate.equals("/logout") && status == 204) {
                            token = null; // that session is over, maybe the samples' own
                        }
                    }
                },
                300);

        assertThat(result.failures()).isEmpty();
        assertThat(result.requests()).isGreaterThan(300);
    }
}
