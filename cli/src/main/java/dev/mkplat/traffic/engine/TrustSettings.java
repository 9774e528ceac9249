package dev.mkplat.traffic.engine;

import dev.mkplat.certs.CertificateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Which servers to trust over https: the JDK's CAs plus an extra CA (the one {@code --cacert} names,
 * or the project's generated {@code certs/test/ca.crt} when it exists), or nobody checked at all with
 * {@code --insecure}.
 */
public record TrustSettings(Optional<Path> caFile, boolean insecure) {
    /** Where {@code mkplat certs generate} writes the CA of the ingress hosts (*.test), relative to the working directory. */
    public static final Path GENERATED_CA =
            CertificateFiles.of(Path.of(CertificateFiles.DEFAULT_ROOT), "test").caCertificate();

    public TrustSettings {
        if (insecure && caFile.isPresent()) {
            throw new IllegalArgumentException("--cacert and --insecure exclude each other");
        }
    }

    /** The default: the generated CA if it is there, plus the JDK's CAs. */
    public static TrustSettings defaults() {
        return new TrustSettings(
                Files.isRegularFile(GENERATED_CA) ? Optional.of(GENERATED_CA) : Optional.empty(), false);
    }

    /** The certificates to trust besides the JDK's: every one in the PEM file. */
    public List<X509Certificate> extraAnchors() {
        if (caFile.isEmpty()) {
            return List.of();
        }
        Path file = caFile.get();
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certs = new ArrayList<>();
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certs.add((X509Certificate) cert);
            }
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(file + ": no certificate in it (expected PEM)");
            }
            return certs;
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + ": not a PEM certificate: " + e.getMessage(), e);
        }
    }

    /** The JDK's own trust anchors, so that an extra CA adds to them rather than replacing them. */
    public static List<X509Certificate> jdkAnchors() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return Arrays.stream(factory.getTrustManagers())
                    .filter(X509TrustManager.class::isInstance)
                    .flatMap(m -> Arrays.stream(((X509TrustManager) m).getAcceptedIssuers()))
                    .toList();
        } catch (GeneralSecurityException e) {
            return List.of();
        }
    }
}
