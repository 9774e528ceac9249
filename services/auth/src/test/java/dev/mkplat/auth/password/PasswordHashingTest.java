package dev.mkplat.auth.password;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PasswordHashingTest {
    private final Argon2idHasher hasher = new Argon2idHasher(new Argon2idHasher.Parameters(1024, 2, 1));
    private final PasswordHashing hashing = new PasswordHashing(hasher, 1, 4);

    @AfterEach
    void close() {
        hashing.close();
    }

    @Test
    void hashesAndVerifiesOffTheCallingThread() {
        String stored = hashing.hash("a long enough password");
        assertThat(hashing.verify("a long enough password", Optional.of(stored)))
                .isTrue();
        assertThat(hashing.verify("another password", Optional.of(stored))).isFalse();
    }

    @Test
    void anUnknownUserIsRefusedAfterTheSameWork() {
        // Warm up, then compare: without the dummy hash an unknown user would answer in microseconds.
        String stored = hashing.hash("a long enough password");
        hashing.verify("warm up", Optional.of(stored));
        long known = timeNanos(() -> hashing.verify("wrong password", Optional.of(stored)));
        long unknown = timeNanos(() ->
                assertThat(hashing.verify("wrong password", Optional.empty())).isFalse());
        // A tenth, not a half: the best of five still wobbles on a loaded machine, and what is ruled
        // out is the no-hash path, which is a thousand times faster than a hash.
        assertThat(unknown).isGreaterThan(known / 10);
    }

    /**
     * The premise of the timing argument in {@link PasswordHashing#verify}: an unknown user costs
     * exactly what a user with a current hash costs, because the dummy has today's parameters (with
     * old ones, every unknown name would stand out); and the parameters are raised by a new hasher,
     * whose dummy follows.
     */
    @Test
    void theDummyHashHasTodaysParametersWhateverTheyAre() {
        assertThat(hasher.needsRehash(hashing.dummyHash())).isFalse();
        Argon2idHasher raised = new Argon2idHasher(new Argon2idHasher.Parameters(2048, 3, 1));
        try (PasswordHashing afterUpgrade = new PasswordHashing(raised, 1, 4)) {
            assertThat(afterUpgrade.dummyHash()).startsWith("$argon2id$v=19$m=2048,t=3,p=1$");
            assertThat(raised.needsRehash(afterUpgrade.dummyHash())).isFalse();
            assertThat(raised.needsRehash(hashing.hash("a long enough password")))
                    .as("an old user's hash")
                    .isTrue();
        }
    }

    @Test
    void aCorruptStoredHashRefusesTheLoginInsteadOfFailing() {
        assertThat(hashing.verify("a long enough password", Optional.of("$argon2id$garbage")))
                .isFalse();
        assertThat(hashing.verify("a long enough password", Optional.of("plaintext")))
                .isFalse();
    }

    private static long timeNanos(Runnable work) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            work.run();
            best = Math.min(best, System.nanoTime() - start);
        }
        return best;
    }
}
