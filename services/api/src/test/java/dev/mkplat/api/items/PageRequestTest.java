package dev.mkplat.api.items;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkplat.service.http.ApiException;
import io.helidon.common.uri.UriQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageRequestTest {
    @Test
    void defaultsAndBounds() {
        assertThat(PageRequest.from(UriQuery.create(""))).isEqualTo(new PageRequest(20, 0));
        assertThat(PageRequest.from(UriQuery.create("limit=1&offset=0"))).isEqualTo(new PageRequest(1, 0));
        assertThat(PageRequest.from(UriQuery.create("limit=100&offset=2147483647")))
                .isEqualTo(new PageRequest(100, 2147483647L));
        assertThat(PageRequest.from(UriQuery.create("limit=007&other=x"))).isEqualTo(new PageRequest(7, 0));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "limit=0",
                "limit=101",
                "limit=-5",
                "limit=",
                "limit=x",
                "limit=1.0",
                "limit=+1",
                "limit= 1",
                "limit=1&limit=1",
                "offset=-1",
                "offset=2147483648",
                "offset=1e3",
                "offset=9999999999999",
                "limit=%zz",
                "offset=%"
            })
    void badValuesAre400(String query) {
        assertThatThrownBy(() -> PageRequest.from(UriQuery.create(query)))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status().code()).isEqualTo(400));
    }
}
