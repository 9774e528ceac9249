package dev.mkplat.auth;

import static dev.mkplat.auth.AuthClient.credentials;
import static dev.mkplat.auth.AuthClient.randomAddress;
import static dev.mkplat.auth.AuthClient.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.HttpTestClient.Reply;
import io.helidon.webserver.WebServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-address registration limit, against real Redis: 2 registrations per address in a
 * 2 second window, addresses from X-Forwarded-For.
 */
class RegistrationLimitIT {
    private static AuthEnvironment environment;
    private static WebServer server;
    private static HttpTestClient http;

    @BeforeAll
    static void start() {
        environment = AuthEnvironment.create();
        server = environment.start("trust.forwarded", "true", "register.max", "2", "register.window", "2s");
        http = AuthEnvironment.client(server);
    }

    @AfterAll
    static void stop() {
        environment.close();
    }

    @Test
    void anAddressGetsItsRegistrationsPerWindowAndThen429UntilTheWindowEnds() {
        String address = randomAddress();
        assertThat(register(uniqueName("first"), address).status()).isEqualTo(201);
        assertThat(register(uniqueName("second"), address).status()).isEqualTo(201);

        String refusedName = uniqueName("third");
        Reply third = register(refusedName, address);
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.json().path("error").asText())
                .isEqualTo("too many registrations from this address; try again later");
        assertThat(third.header("Retry-After"))
                .hasValueSatisfying(
                        seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 2));
        // refused before the user was made: the name is still free once the window is over
        await().atMost(Duration.ofSeconds(5))
                .until(() -> register(refusedName, address).status() == 201);
    }

    @Test
    void otherAddressesAndMalformedBodiesDoNotUseItUp() {
        String address = randomAddress();
        for (int i = 0; i < 5; i++) {
            assertThat(http.post("/register", "{\"username\":", "X-Forwarded-For", address)
                            .status())
                    .isEqualTo(400);
        }
        assertThat(register(uniqueName("a"), address).status()).isEqualTo(201);
        assertThat(register(uniqueName("b"), address).status()).isEqualTo(201);
        assertThat(register(uniqueName("c"), randomAddress()).status()).isEqualTo(201);
    }

    private static Reply register(String name, String address) {
        return http.post("/register", credentials(name, "a long enough password"), "X-Forwarded-For", address);
    }
}
