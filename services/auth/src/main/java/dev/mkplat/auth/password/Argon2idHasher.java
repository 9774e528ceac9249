package dev.mkplat.auth.password;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashing (BouncyCastle) with hashes stored in the PHC string format,
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}. The parameters travel inside each stored
 * hash, so they can be raised later without invalidating existing passwords.
 *
 * <p>This class only computes; it is CPU- and memory-heavy (about {@code m} KiB per call), so
 * callers run it through {@link PasswordHashing}, which bounds how many run at once.
 */
public final class Argon2idHasher {
    /** OWASP's first recommended Argon2id configuration: 19 MiB, 2 passes, 1 lane. */
    public static final Parameters OWASP = new Parameters(19_456, 2, 1);

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();
    // Strict on purpose: a stored hash is either exactly what we write or it is not ours.
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{11,86})\\$([A-Za-z0-9+/]{22,86})");

    private final Parameters parameters;
    private final SecureRandom random = new SecureRandom();

    public Argon2idHasher(Parameters parameters) {
        this.parameters = parameters;
    }

    /**
     * Argon2id cost parameters.
     *
     * @param memoryKib   memory in KiB ({@code m})
     * @param iterations  passes over the memory ({@code t})
     * @param parallelism lanes ({@code p})
     */
    public record Parameters(int memoryKib, int iterations, int parallelism) {
        // Upper bounds keep a tampered stored hash from making one login allocate gigabytes.
        private static final int MAX_MEMORY_KIB = 1 << 20;
        private static final int MAX_ITERATIONS = 100;
        private static final int MAX_PARALLELISM = 16;

        public Parameters {
            if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
                throw new IllegalArgumentException(
                        "argon2 parallelism must be 1 to " + MAX_PARALLELISM + ", got " + parallelism);
            }
            if (iterations < 1 || iterations > MAX_ITERATIONS) {
                throw new IllegalArgumentException(
                        "argon2 iterations must be 1 to " + MAX_ITERATIONS + ", got " + iterations);
            }
            if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
                throw new IllegalArgumentException("argon2 memory must be " + 8 * parallelism + " to " + MAX_MEMORY_KIB
                        + " KiB, got " + memoryKib);
            }
        }
    }

    /** A parsed PHC string: the parameters, the salt and the derived hash. */
    public record PhcHash(Parameters parameters, byte[] salt, byte[] hash) {
        public PhcHash {
            salt = salt.clone();
            hash = hash.clone();
        }

        @Override
        public byte[] salt() {
            return salt.clone();
        }

        @Override
        public byte[] hash() {
            return hash.clone();
        }

        /** The PHC string, e.g. {@code $argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA}. */
        public String format() {
            return "$argon2id$v=19$m=" + parameters.memoryKib() + ",t=" + parameters.iterations() + ",p="
                    + parameters.parallelism() + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
        }

        @Override
        public String toString() {
            // The record's default toString would print array identities; the hash itself stays out of logs.
            return "PhcHash[" + parameters + "]";
        }
    }

    /**
     * Parses a stored hash.
     *
     * @throws IllegalArgumentException when {@code phc} is not an Argon2id v19 PHC string with sane parameters
     */
    public static PhcHash parse(String phc) {
        if (phc == null) {
            throw new IllegalArgumentException("no stored password hash");
        }
        Matcher matcher = PHC.matcher(phc);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("stored password hash is not an argon2id v=19 PHC string");
        }
        Parameters parameters = new Parameters(
                Integer.parseInt(matcher.group(1)),
                Integer.parseInt(matcher.group(2)),
                Integer.parseInt(matcher.group(3)));
        byte[] salt = B64_DECODER.decode(matcher.group(4));
        byte[] hash = B64_DECODER.decode(matcher.group(5));
        if (salt.length < 8 || hash.length < 16) {
            throw new IllegalArgumentException(
                    "stored password hash has a salt of " + salt.length + " or a hash of " + hash.length + " bytes");
        }
        return new PhcHash(parameters, salt, hash);
    }

    /** Hashes {@code password} with a fresh 16-byte salt; returns the PHC string to store. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new PhcHash(parameters, salt, derive(password, parameters, salt, HASH_BYTES)).format();
    }

    /**
     * True when {@code password} matches {@code storedPhc}. The comparison takes the same time
     * wherever the first differing byte is.
     *
     * @throws IllegalArgumentException when {@code storedPhc} is malformed
     */
    public boolean verify(String password, String storedPhc) {
        PhcHash stored = parse(storedPhc);
        byte[] expected = stored.hash();
        byte[] actual = derive(password, stored.parameters(), stored.salt(), expected.length);
        return org.bouncycastle.util.Arrays.constantTimeAreEqual(expected, actual);
    }

    public Parameters parameters() {
        return parameters;
    }

    /**
     * True when {@code storedPhc} was made with other parameters (or salt and hash lengths) than
     * this hasher uses: after the parameters are raised, each user's hash is brought up to them at
     * their next login, the only time the password is known.
     *
     * @throws IllegalArgumentException when {@code storedPhc} is malformed
     */
    public boolean needsRehash(String storedPhc) {
        PhcHash stored = parse(storedPhc);
        return !stored.parameters().equals(parameters)
                || stored.salt().length != SALT_BYTES
                || stored.hash().length != HASH_BYTES;
    }

    private static byte[] derive(String password, Parameters parameters, byte[] salt, int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(parameters.memoryKib())
                .withIterations(parameters.iterations())
                .withParallelism(parameters.parallelism())
                .withSalt(salt)
                .build());
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[length];
        try {
            generator.generateBytes(secret, out);
            return out;
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
