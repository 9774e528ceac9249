package dev.mkplat.service.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenVerifierTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "abcdefghijklmnop",
                "AZaz09_-AZaz09_-AZaz09_-AZaz09_-AZaz09_-abc",
                "01234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567"
            })
    void base64urlTokensOf16To128CharactersAreWorthACall(String token) {
        assertThat(TokenVerifier.isTokenShaped(token)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "abcdefghijklmno",
                "abcdefghijklmnop+",
                "abcdefghijklmnop/",
                "abcdefghijklmnop=",
                "abcdefghij klmnop",
                "abcdefghijklmnopé",
                "012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678"
            })
    void anythingElseIsRefusedWithoutACall(String token) {
        assertThat(TokenVerifier.isTokenShaped(token)).isFalse();
    }
}
