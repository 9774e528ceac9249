package dev.mkplat.service.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mkplat.service.http.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.event.KeyValuePair;

class JsonLineEncoderTest {
    private final JsonLineEncoder encoder = new JsonLineEncoder();

    @Test
    void anEventIsOneFlatJsonLineWithTypedKeyValues() {
        LoggingEvent event = new LoggingEvent(
                getClass().getName(), new LoggerContext().getLogger("access"), Level.INFO, "request", null, null);
        event.setTimeStamp(1_764_162_533_042L);
        event.addKeyValuePair(new KeyValuePair("method", "GET"));
        event.addKeyValuePair(new KeyValuePair("status", 200));
        event.addKeyValuePair(new KeyValuePair("bytes", 12L));
        event.addKeyValuePair(new KeyValuePair("durationMs", 1.25));
        event.addKeyValuePair(new KeyValuePair("cached", true));
        event.addKeyValuePair(new KeyValuePair("missing", null));
        event.addKeyValuePair(new KeyValuePair("other", Level.WARN));

        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

        assertThat(line).endsWith("}\n").doesNotContain("\n{").hasLineCount(1);
        JsonNode json = Json.read(new java.io.ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)));
        assertThat(json.path("ts").asText()).isEqualTo("2025-11-26T13:08:53.042Z");
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("logger").asText()).isEqualTo("access");
        assertThat(json.path("msg").asText()).isEqualTo("request");
        assertThat(json.path("method").isTextual()).isTrue();
        assertThat(json.path("status").isInt()).isTrue();
        assertThat(json.path("bytes").asLong()).isEqualTo(12L);
        assertThat(json.path("durationMs").isDouble()).isTrue();
        assertThat(json.path("durationMs").asDouble()).isEqualTo(1.25);
        assertThat(json.path("cached").isBoolean()).isTrue();
        assertThat(json.path("missing").isNull()).isTrue();
        assertThat(json.path("other").asText()).isEqualTo("WARN");
    }

    @ParameterizedTest
    @ValueSource(
            longs = {
                0L,
                1L,
                9L,
                10L,
                99L,
                100L,
                999L,
                1000L,
                1_764_162_533_000L,
                1_764_162_533_007L,
                1_764_162_533_070L,
                1_764_162_533_700L,
                1_764_162_533_999L,
                -1L,
                -1000L,
                -1001L,
                253_402_300_800_123L
            })
    void timestampsAreThoseOfInstantToString(long millis) {
        assertThat(encoder.timestamp(millis))
                .isEqualTo(Instant.ofEpochMilli(millis).toString());
    }

    @ParameterizedTest
    @ValueSource(longs = {1_764_162_533_001L, 1_764_162_533_999L, 1_764_162_534_000L, 1_764_162_533_500L})
    void theCachedSecondFollowsTheClockBothWays(long millis) {
        encoder.timestamp(1_764_162_533_500L);
        assertThat(encoder.timestamp(millis))
                .isEqualTo(Instant.ofEpochMilli(millis).toString());
    }
}
