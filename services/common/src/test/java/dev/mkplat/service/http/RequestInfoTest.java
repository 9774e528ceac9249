package dev.mkplat.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestInfoTest {
    @ParameterizedTest
    @ValueSource(
            strings = {"a", "abc-123", "A.b_c:d-e", "0123456789012345678901234567890123456789012345678901234567890123"})
    void safeClientIdsAreTaken(String id) {
        assertThat(RequestInfo.isSafeClientId(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "01234567890123456789012345678901234567890123456789012345678901234",
                "a b",
                "a\nb",
                "a\"b",
                "<script>",
                "é",
                "a/b",
                "a=b"
            })
    void unsafeClientIdsAreNot(String id) {
        assertThat(RequestInfo.isSafeClientId(id)).isFalse();
    }

    @Test
    void newIdsAreDistinctVersion4Uuids() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestInfo.newRequestId();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(id);
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }
}
