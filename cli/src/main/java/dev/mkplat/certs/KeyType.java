package dev.mkplat.certs;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;

/** The kinds of key mkplat makes: ECDSA P-256 (small and fast, the default) or RSA 3072 (for old clients). */
public enum KeyType {
    EC("ECDSA P-256", "SHA256withECDSA"),
    RSA("RSA 3072", "SHA256withRSA");

    private final String description;
    private final String signatureAlgorithm;

    KeyType(String description, String signatureAlgorithm) {
        this.description = description;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** A new key pair of this type. */
    public KeyPair generate() {
        try {
            if (this == EC) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"), Randomness.SOURCE);
                return generator.generateKeyPair();
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(new RSAKeyGenParameterSpec(3072, RSAKeyGenParameterSpec.F4), Randomness.SOURCE);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make " + description + " keys", e);
        }
    }

    /** The algorithm a key of this type signs certificates with. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** For people: {@code ECDSA P-256} or {@code RSA 3072}. */
    public String description() {
        return description;
    }

    /** The type of an existing key. */
    public static KeyType of(PublicKey key) {
        if (key instanceof ECPublicKey) {
            return EC;
        }
        if (key instanceof RSAPublicKey) {
            return RSA;
        }
        throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
    }

    /** Made on first use, not when picocli loads this enum to describe --key-type: seeding costs start-up time. */
    private static final class Randomness {
        static final SecureRandom SOURCE = new SecureRandom();
    }
}
