package dev.mkplat.traffic;

import dev.mkplat.certs.CertificateAuthority;
import dev.mkplat.certs.KeyType;
import dev.mkplat.certs.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Server-side TLS for "localhost" from a fresh CA made by the project's own code, with the CA
 * written as a PEM file for the client under test to trust (--cacert).
 */
public record ProjectCaTls(SSLContext server, Path caFile) {

    public static ProjectCaTls create(Path dir) throws Exception {
        CertificateAuthority ca =
                CertificateAuthority.create("localhost", KeyType.EC, Duration.ofDays(2), Clock.systemUTC());
        CertificateAuthority.ServerCertificate cert =
                ca.issue(List.of("localhost"), KeyType.EC, Duration.ofDays(1), Clock.systemUTC());
        Path caFile = dir.resolve("ca.crt");
        Files.writeString(caFile, Pem.certificates(List.of(ca.certificate())));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", cert.key(), new char[0], new Certificate[] {cert.certificate(), ca.certificate()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        return new ProjectCaTls(tls, caFile);
    }
}
