package dev.mkplat.images;

import static dev.mkplat.service.testing.HttpTestClient.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mkplat.service.testing.AuthStandIn;
import dev.mkplat.service.testing.GcsEmulatorFixture;
import dev.mkplat.service.testing.HttpTestClient;
import dev.mkplat.service.testing.OpenApiContract;
import dev.mkplat.service.testing.TestImages;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * images keeps its OpenAPI document: requests generated from the document, every answer checked
 * against it, with the bucket in a real GCS emulator (fake-gcs-server).
 */
class ImagesContractIT {
    private static final String USER = "contract-user";

    @TempDir
    Path data;

    @Test
    void everyAnswerIsTheDocuments() throws Exception {
        Path binary = GcsEmulatorFixture.binaryOrNull();
        assumeTrue(binary != null, GcsEmulatorFixture.MISSING);
        try (AuthStandIn auth = AuthStandIn.create();
                GcsEmulatorFixture emulator = GcsEmulatorFixture.on(
                                binary, data.resolve("gcs"), Path.of("target", "fake-gcs-server"))
                        .start()) {
            Map<String, String> values = new HashMap<>();
            values.put("server.port", "0");
            values.put("metrics.port", "0");
            values.put("server.host", "127.0.0.1");
            values.put("gcs.bucket", "mkplat-images-contract");
            values.put("gcs.emulator.host", emulator.url());
            values.put("images.max.size", Integer.toString(64 * 1024));
            values.put("auth.url", auth.url());
            values.put("auth.timeout", "5s");
            WebServer server = Main.start(Config.just(ConfigSources.create(values)));
            try {
                HttpTestClient client = new HttpTestClient("http://127.0.0.1:" + server.port());
                await("/readyz 200")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> client.get("/readyz").status() == 200);

                OpenApiContract.Result result = OpenApiContract.run(
                        URI.create("http://127.0.0.1:" + server.port()),
                        new OpenApiContract.Samples() {
                            @Override
                            public String authorization() {
                                return "Bearer " + auth.login(USER);
                            }

                            @Override
                            public Optional<String> existing(String pathTemplate, String parameter) {
                                // A new image each time: a generated DELETE may have removed the last one.
                                var created =
                                        client.postBytes("/images/upload", TestImages.png(), bearer(auth.login(USER)));
                                return Optional.of(created.json().path("id").asText());
                            }

                            @Override
                            public List<byte[]> bodies(String method, String pathTemplate, String mediaType) {
                                return switch (mediaType) {
                                    case "image/png", "application/octet-stream" -> List.of(TestImages.png());
                                    case "image/jpeg" -> List.of(TestImages.jpeg());
                                    case "image/gif" -> List.of(TestImages.gif());
                                    case "image/webp" -> List.of(TestImages.webp());
                                    default -> List.of();
                                };
                            }
                        },
                        300);

                assertThat(result.failures()).isEmpty();
                assertThat(result.requests()).isGreaterThan(300);
            } finally {
                server.stop();
            }
        }
    }
}
