package dev.mkplat.auth.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class Argon2idHasherTest {
    /**
     * From the reference implementation (phc-winner-argon2):
     * {@code echo -n password | argon2 somesalt -id -t 2 -m 16 -p 4 -l 32 -e}.
     */
    private static final String REFERENCE =
            "$argon2id$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo";

    // Cheap parameters keep the unit tests fast; the OWASP ones are checked once below.
    private final Argon2idHasher cheap = new Argon2idHasher(new Argon2idHasher.Parameters(64, 1, 1));

    @Test
    void verifiesAHashOfTheReferenceImplementation() {
        assertThat(cheap.verify("password", REFERENCE)).isTrue();
        assertThat(cheap.verify("Password", REFERENCE)).isFalse();
    }

    @Test
    void aHashMadeWithOtherParametersNeedsARehash() {
        Argon2idHasher owasp = new Argon2idHasher(Argon2idHasher.OWASP);
        assertThat(owasp.needsRehash(cheap.hash("password"))).isTrue();
        assertThat(cheap.needsRehash(cheap.hash("password"))).isFalse();
        // the reference hash has neither hasher's parameters, and an 8-byte salt
        assertThat(cheap.needsRehash(REFERENCE)).isTrue();
    }

    @Test
    void hashesInThePhcFormatWithTheOwaspParameters() {
        Argon2idHasher owasp = new Argon2idHasher(Argon2idHasher.OWASP);
        String hash = owasp.hash("correct horse battery staple");

        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        Argon2idHasher.PhcHash parsed = Argon2idHasher.parse(hash);
        assertThat(parsed.parameters()).isEqualTo(new Argon2idHasher.Parameters(19_456, 2, 1));
        assertThat(parsed.salt()).hasSize(16);
        assertThat(parsed.hash()).hasSize(32);
        assertThat(parsed.format()).isEqualTo(hash);
        assertThat(owasp.verify("correct horse battery staple", hash)).isTrue();
    }

    @Test
    void rejectsAWrongPassword() {
        String hash = cheap.hash("s3cret-password");
        assertThat(cheap.verify("s3cret-password", hash)).isTrue();
        assertThat(cheap.verify("s3cret-passwore", hash)).isFalse();
        assertThat(cheap.verify("", hash)).isFalse();
    }

    @Test
    void saltsEveryHash() {
        String first = cheap.hash("same password");
        String second = cheap.hash("same password");
        assertThat(first).isNotEqualTo(second);
        assertThat(cheap.verify("same password", first)).isTrue();
        assertThat(cheap.verify("same password", second)).isTrue();
    }

    @Test
    void usesTheParametersStoredInTheHashNotItsOwn() {
        String strong = new Argon2idHasher(new Argon2idHasher.Parameters(128, 3, 2)).hash("pässwörd ünicode");
        assertThat(strong).startsWith("$argon2id$v=19$m=128,t=3,p=2$");
        assertThat(cheap.verify("pässwörd ünicode", strong)).isTrue();
        assertThat(cheap.verify("passwörd ünicode", strong)).isFalse();
    }

    @Test
    void aTruncatedDigestDoesNotVerify() {
        // The comparison covers the whole stored digest; a prefix of the right one is not enough.
        Argon2idHasher.PhcHash reference = Argon2idHasher.parse(REFERENCE);
        byte[] truncated = java.util.Arrays.copyOf(reference.hash(), 16);
        String shorter = new Argon2idHasher.PhcHash(reference.parameters(), reference.salt(), truncated).format();
        assertThat(cheap.verify("password", shorter)).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
            strings = {
                "plaintext-password",
                "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$IMit9qkFULCMA/ViizL57cnTLOa5DiVM9eMwpAvPwr4",
                "$argon2d$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$cZn5d+rFh+ZfuRhm2iGUGgcrW5YLeM6q7L3vBsdmFA0",
                "$argon2id$v=16$m=65536,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo",
                "$argon2id$m=65536,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo",
                "$argon2id$v=19$t=2,m=65536,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo",
                "$argon2id$v=19$m=65536,t=2,p=4$c29tZXNhbHQ",
                "$argon2id$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo$extra",
                "$argon2id$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo=",
                "$argon2id$v=19$m=65536,t=2,p=4$c29t*XNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo",
                "$argon2id$v=19$m=65536,t=2,p=4$c2FsdA$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo",
                "$argon2id$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/6",
                "$argon2id$v=19$m=65536,t=0,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo",
                "$argon2id$v=19$m=65536,t=2,p=0$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo",
                "$argon2id$v=19$m=16,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo",
                "$argon2id$v=19$m=99999999,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo",
                "$argon2id$v=19$m=-1,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo",
                " $argon2id$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo",
            })
    void refusesMalformedStoredHashes(String stored) {
        assertThatThrownBy(() -> Argon2idHasher.parse(stored)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cheap.verify("password", stored)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parsesTheReferenceHash() {
        Argon2idHasher.PhcHash parsed = Argon2idHasher.parse(REFERENCE);
        assertThat(parsed.parameters()).isEqualTo(new Argon2idHasher.Parameters(65_536, 2, 4));
        assertThat(parsed.salt()).isEqualTo("somesalt".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(Base64.getEncoder().withoutPadding().encodeToString(parsed.hash()))
                .isEqualTo("GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo");
        assertThat(parsed.toString()).doesNotContain("GpZ3");
    }

    @Test
    void refusesUnreasonableParameters() {
        assertThatThrownBy(() -> new Argon2idHasher.Parameters(4, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2idHasher.Parameters(64, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2idHasher.Parameters(64, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2idHasher.Parameters(2 << 20, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
