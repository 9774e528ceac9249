package dev.mkplat.certs;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

/**
 * What {@code certs show} prints about one certificate, read from the certificate itself.
 *
 * @param subject           the subject DN
 * @param issuer            the issuer DN
 * @param dnsNames          the DNS subject alternative names, in order (empty for the CA)
 * @param permittedDomains  the DNS subtrees a CA's name constraints permit (empty for a server certificate)
 * @param notBefore         start of validity
 * @param notAfter          end of validity
 * @param keyType           the type of the certified key
 * @param sha256Fingerprint SHA-256 of the DER encoding, as {@code AB:CD:...} (the form openssl and browsers show)
 */
public record CertificateSummary(
        String subject,
        String issuer,
        List<String> dnsNames,
        List<String> permittedDomains,
        Instant notBefore,
        Instant notAfter,
        KeyType keyType,
        String sha256Fingerprint) {

    public CertificateSummary {
        dnsNames = List.copyOf(dnsNames);
        permittedDomains = List.copyOf(permittedDomains);
    }

    public static CertificateSummary of(X509Certificate certificate) {
        return new CertificateSummary(
                certificate.getSubjectX500Principal().getName(),
                certificate.getIssuerX500Principal().getName(),
                dnsNames(certificate),
                permittedDnsSubtrees(certificate),
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(),
                KeyType.of(certificate.getPublicKey()),
                fingerprint(certificate));
    }

    /** Time until {@code notAfter}; negative once expired. */
    public Duration timeLeft(Clock clock) {
        return Duration.between(clock.instant(), notAfter);
    }

    /**
     * Days until {@code notAfter}, to the nearest day (a certificate made for 397 days a minute ago
     * has 397 left, not 396); negative once expired.
     */
    public long daysLeft(Clock clock) {
        return Math.round(
                timeLeft(clock).toSeconds() / (double) Duration.ofDays(1).toSeconds());
    }

    /** The DNS names in the certificate's subjectAltName extension. */
    static List<String> dnsNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            List<String> dns = new ArrayList<>();
            for (List<?> name : names) {
                if (Integer.valueOf(GeneralName.dNSName).equals(name.get(0))) {
                    dns.add((String) name.get(1));
                }
            }
            return dns;
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException(
                    "malformed subjectAltName in " + certificate.getSubjectX500Principal(), e);
        }
    }

    /** The permitted DNS subtrees of a CA certificate's name constraints (empty when it has none). */
    static List<String> permittedDnsSubtrees(X509Certificate certificate) {
        try {
            Extension extension = new JcaX509CertificateHolder(certificate).getExtension(Extension.nameConstraints);
            if (extension == null) {
                return List.of();
            }
            GeneralSubtree[] permitted =
                    NameConstraints.getInstance(extension.getParsedValue()).getPermittedSubtrees();
            List<String> domains = new ArrayList<>();
            for (GeneralSubtree subtree : permitted == null ? new GeneralSubtree[0] : permitted) {
                if (subtree.getBase().getTagNo() == GeneralName.dNSName) {
                    domains.add(ASN1IA5String.getInstance(subtree.getBase().getName())
                            .getString());
                }
            }
            return domains;
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("malformed certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint " + certificate.getSubjectX500Principal(), e);
        }
    }
}
