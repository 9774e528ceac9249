package dev.mkplat.certs;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code certs generate} or {@code regenerate} is asked to do.
 *
 * @param keyType      the key type of anything newly made; when absent, the existing CA's type, else ECDSA P-256
 * @param serverDays   validity of a new server certificate
 * @param caDays       validity of a new CA
 * @param rotateServer make a new server certificate even when the current one is fine ({@code regenerate})
 * @param rotateCa     make a new CA, and so a new server certificate ({@code regenerate --ca})
 */
public record CertificatePlan(
        Optional<KeyType> keyType, Duration serverDays, Duration caDays, boolean rotateServer, boolean rotateCa) {
    /** 397 days: the longest a browser accepts for a server certificate is 398. */
    public static final int DEFAULT_SERVER_DAYS = 397;
    /** Ten years: long enough not to re-trust the CA every year; the name constraint limits what a leaked key can do. */
    public static final int DEFAULT_CA_DAYS = 3650;
    /** A server certificate with fewer days left than this is renewed by {@code generate}. */
    public static final Duration RENEW_BEFORE = Duration.ofDays(30);

    public CertificatePlan {
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(serverDays, "serverDays");
        Objects.requireNonNull(caDays, "caDays");
    }

    /** {@code certs generate}: keep what is valid. */
    public static CertificatePlan generate(Optional<KeyType> keyType, int serverDays) {
        return new CertificatePlan(
                keyType, Duration.ofDays(serverDays), Duration.ofDays(DEFAULT_CA_DAYS), false, false);
    }

    /** {@code certs regenerate [--ca]}: a new server certificate, and a new CA too when asked. */
    public static CertificatePlan regenerate(Optional<KeyType> keyType, int serverDays, boolean ca) {
        return new CertificatePlan(keyType, Duration.ofDays(serverDays), Duration.ofDays(DEFAULT_CA_DAYS), true, ca);
    }
}
