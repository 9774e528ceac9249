package dev.mkplat.api.items;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ItemTest {
    @Test
    void canonicalIdsParseInEitherCase() {
        UUID id = UUID.randomUUID();
        assertThat(Item.parseId(id.toString())).contains(id);
        assertThat(Item.parseId(id.toString().toUpperCase())).contains(id);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "x",
                "1-2-3-4-5",
                "00000000-0000-0000-0000-00000000000",
                "00000000-0000-0000-0000-0000000000000",
                "00000000000000000000000000000000",
                "g0000000-0000-0000-0000-000000000000",
                " 00000000-0000-0000-0000-000000000000",
                "00000000-0000-0000-0000-000000000000\n",
                "../../../etc/passwd",
                "{00000000-0000-0000-0000-000000000000}"
            })
    void anythingElseIsNotAnId(String text) {
        assertThat(Item.parseId(text)).isEmpty();
    }

    @Test
    void nullIsNotAnId() {
        assertThat(Item.parseId(null)).isEmpty();
    }
}
