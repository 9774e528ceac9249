package dev.mkplat.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration rules that are easy to get wrong and hard to see from outside. */
class MainTest {
    private static Config config(Map<String, String> values) {
        return Config.just(ConfigSources.create(values));
    }

    @Test
    void maxSizeDefaultsTo10MiBAndMustBePositive() {
        assertThat(Main.maxSize(config(Map.of()).get("images.max.size"))).isEqualTo(10 * 1024 * 1024);
        assertThat(Main.maxSize(config(Map.of("images.max.size", "1234")).get("images.max.size")))
                .isEqualTo(1234);
        assertThatThrownBy(() ->
                        Main.maxSize(config(Map.of("images.max.size", "0")).get("images.max.size")))
                .hasMessageContaining("IMAGES_MAX_SIZE");
        assertThatThrownBy(() -> Main.maxSize(
                        config(Map.of("images.max.size", "99999999999")).get("images.max.size")))
                .hasMessageContaining("IMAGES_MAX_SIZE");
    }

    @Test
    void payloadLimitLeavesRoomForMultipartAndFollowsARaisedImageLimit() {
        Config small = Main.withPayloadRoom(
                config(Map.of("server.port", "1234", "server.max-payload-size", "11534336")), 10 * 1024 * 1024);
        assertThat(small.get("server.max-payload-size").asLong().get()).isEqualTo(11534336L);

        Config raised = Main.withPayloadRoom(
                config(Map.of("server.port", "1234", "server.max-payload-size", "11534336", "auth.url", "http://a")),
                50 * 1024 * 1024);
        assertThat(raised.get("server.max-payload-size").asLong().get())
                .isEqualTo(50L * 1024 * 1024 + Main.MULTIPART_ALLOWANCE);
        // Everything else is untouched.
        assertThat(raised.get("server.port").asInt().get()).isEqualTo(1234);
        assertThat(raised.get("auth.url").asString().get()).isEqualTo("http://a");
    }

    @Test
    void applicationYamlSetsEveryDocumentedKey() {
        Config yaml = Config.just(ConfigSources.classpath("application.yaml"));
        for (String key : new String[] {
            "server.port",
            "server.host",
            "server.max-payload-size",
            "images.max.size",
            "gcs.bucket",
            "gcs.project.id",
            "gcs.credentials.file",
            "gcs.emulator.host",
            "gcs.timeout",
            "gcs.connect.timeout",
            "auth.url",
            "auth.timeout",
            "auth.cache.ttl",
            "auth.cache.size",
            "readiness.timeout"
        }) {
            assertThat(yaml.get(key).exists()).as(key).isTrue();
        }
        assertThat(yaml.get("server.port").asInt().get()).isEqualTo(8080);
        assertThat(yaml.get("server.max-payload-size").asLong().get())
                .isEqualTo(yaml.get("images.max.size").asLong().get() + Main.MULTIPART_ALLOWANCE);
    }
}
