package dev.mkplat.api.items;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mkplat.service.http.ApiException;
import dev.mkplat.service.http.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ItemDraftTest {
    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(text);
    }

    @Test
    void nameAndOptionalDescription() throws Exception {
        assertThat(ItemDraft.from(json("{\"name\":\"a\",\"description\":\"b\"}")))
                .isEqualTo(new ItemDraft("a", "b"));
        assertThat(ItemDraft.from(json("{\"name\":\"a\"}"))).isEqualTo(new ItemDraft("a", ""));
        assertThat(ItemDraft.from(json("{\"name\":\"a\",\"description\":null}")))
                .isEqualTo(new ItemDraft("a", ""));
        assertThat(ItemDraft.from(json("{\"name\":\" padded \"}")).name())
                .as("kept as given")
                .isEqualTo(" padded ");
    }

    @Test
    void limitsCountCodePoints() throws Exception {
        String emoji = "\uD83D\uDE00";
        assertThat(ItemDraft.from(json("{\"name\":\"" + emoji.repeat(200) + "\"}"))
                        .name())
                .hasSize(400);
        assertThatThrownBy(() -> ItemDraft.from(json("{\"name\":\"" + emoji.repeat(201) + "\"}")))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("got 201");
        assertThat(ItemDraft.from(json("{\"name\":\"a\",\"description\":\"" + "d".repeat(2000) + "\"}"))
                        .description())
                .hasSize(2000);
        assertThat(ItemDraft.from(json("{\"name\":\"a\",\"description\":\"\"}")).description())
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "{\"name\":\"\"}",
                "{\"name\":\" \\t\\n\"}",
                "{\"name\":1}",
                "{\"name\":\"a\",\"x\":1}",
                "{\"name\":\"a\",\"description\":false}",
                "{\"name\":\"\\u0000\"}",
                "{\"name\":\"a\",\"description\":\"x\\u0000\"}",
                "{\"name\":\"\\ud800\"}",
                "{\"name\":\"\\udc00\\ud800\"}",
                "{\"name\":\"a\\ud83d\"}"
            })
    void invalidDraftsAre400(String body) {
        assertThatThrownBy(() -> ItemDraft.from(json(body)))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status().code()).isEqualTo(400));
    }
}
