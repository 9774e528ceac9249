package dev.mkplat.cli;

import dev.mkplat.certs.CertificatePlan;
import dev.mkplat.certs.KeyType;
import dev.mkplat.core.MkplatException;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options shared by {@code certs generate} and {@code certs regenerate}. */
public final class CertsWriteOptions {
    /** The longest server certificate mkplat makes: Apple platforms refuse longer ones for any CA. */
    static final int MAX_DAYS = 825;

    @Option(
            names = "--key-type",
            paramLabel = "TYPE",
            description =
                    "Key type of new certificates: ec (ECDSA P-256) or rsa (RSA 3072). Default: the existing CA's, else ec.")
    KeyType keyType;

    @Option(
            names = "--days",
            paramLabel = "DAYS",
            defaultValue = "" + CertificatePlan.DEFAULT_SERVER_DAYS,
            description =
                    "Validity of a new server certificate in days, 1-" + MAX_DAYS + " (default: ${DEFAULT-VALUE}).")
    int days = CertificatePlan.DEFAULT_SERVER_DAYS;

    @Option(names = "--no-apply", description = "Only write the files; leave the cluster's platform-tls Secrets alone.")
    boolean noApply;

    @Option(names = "--allow-remote", description = "Also update the Secrets when the context is not a local cluster.")
    boolean allowRemote;

    /** Checks the values before anything is read or written. */
    void validate() {
        if (days < 1 || days > MAX_DAYS) {
            throw MkplatException.usage(
                    "--days must be between 1 and " + MAX_DAYS + ", was " + days,
                    "browsers accept server certificates of at most 398 days; the default is "
                            + CertificatePlan.DEFAULT_SERVER_DAYS);
        }
        if (noApply && allowRemote) {
            throw MkplatException.usage(
                    "--no-apply and --allow-remote contradict each other: --no-apply never touches a cluster",
                    "drop one of them");
        }
    }

    Optional<KeyType> keyType() {
        return Optional.ofNullable(keyType);
    }
}
