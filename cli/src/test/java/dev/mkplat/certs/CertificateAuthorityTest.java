package dev.mkplat.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkplat.certs.CertificateAuthority.ServerCertificate;
import java.math.BigInteger;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The CA and server certificates, judged by the JDK's own PKIX validator rather than by our code. */
class CertificateAuthorityTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    private static final List<String> NAMES =
            List.of("api.test", "auth.test", "images.test", "monitoring.test", "*.test");

    /**
     * Validates the chain a client receives (the server certificate, then the CA, as in tls.crt)
     * with the CA as the only trust anchor, at the fixed clock's time. The CA is in the path as well
     * as the anchor because the JDK refuses name constraints on a trust anchor
     * ("name constraints in trust anchor not supported") but applies those of certificates in the path.
     */
    static void pkixValidate(X509Certificate server, X509Certificate ca) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(CLOCK.instant()));
        CertPathValidator.getInstance("PKIX")
                .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(server, ca)), parameters);
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void chainVerifiesWithThePkixValidator(KeyType keyType) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test", keyType, Duration.ofDays(3650), CLOCK);
        ServerCertificate server = ca.issue(NAMES, keyType, Duration.ofDays(397), CLOCK);

        pkixValidate(server.certificate(), ca.certificate());
        assertThat(ca.keyType()).isEqualTo(keyType);
        assertThat(KeyType.of(server.certificate().getPublicKey())).isEqualTo(keyType);
        assertThat(server.certificate().getSigAlgName())
                .isEqualTo(keyType == KeyType.EC ? "SHA256withECDSA" : "SHA256withRSA");
        if (keyType == KeyType.RSA) {
            assertThat(((java.security.interfaces.RSAPublicKey) ca.certificate().getPublicKey())
                            .getModulus()
                            .bitLength())
                    .isEqualTo(3072);
        } else {
            assertThat(((java.security.interfaces.ECPublicKey) ca.certificate().getPublicKey())
                            .getParams()
                            .getCurve()
                            .getField()
                            .getFieldSize())
                    .isEqualTo(256);
        }
    }

    @Test
    void caIsAConstrainedCriticalCaForTenYears() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test", KeyType.EC, Duration.ofDays(3650), CLOCK);
        X509Certificate certificate = ca.certificate();

        assertThat(certificate.getBasicConstraints()).isZero(); // a CA, path length 0
        assertThat(certificate.getCriticalExtensionOIDs())
                .contains(
                        Extension.basicConstraints.getId(),
                        Extension.keyUsage.getId(),
                        Extension.nameConstraints.getId());
        boolean[] usage = certificate.getKeyUsage();
        assertThat(usage[5]).as("keyCertSign").isTrue();
        assertThat(usage[6]).as("cRLSign").isTrue();
        assertThat(usage[0]).as("digitalSignature").isFalse();
        assertThat(ca.permittedDomains()).containsExactly("test");
        assertThat(Duration.between(
                        certificate.getNotBefore().toInstant(),
                        certificate.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(3650).plus(CertificateAuthority.BACKDATE));
        assertThat(certificate.getSubjectX500Principal()).isEqualTo(certificate.getIssuerX500Principal());
    }

    @Test
    void serverCertificateHasExactlyTheSansAndServerAuth() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test", KeyType.EC, Duration.ofDays(3650), CLOCK);
        X509Certificate server =
                ca.issue(NAMES, KeyType.EC, Duration.ofDays(397), CLOCK).certificate();

        assertThat(CertificateSummary.dnsNames(server)).containsExactlyElementsOf(NAMES);
        assertThat(server.getSubjectAlternativeNames()).hasSize(NAMES.size()); // nothing but the DNS names
        assertThat(server.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_serverAuth.getId());
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getNotAfter().toInstant()).isEqualTo(CLOCK.instant().plus(Duration.ofDays(397)));
        assertThat(new JcaX509CertificateHolder(server).getExtension(Extension.authorityKeyIdentifier))
                .isNotNull();
    }

    @Test
    void nameConstraintMakesALeafOutsideTheDomainFailValidation() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test", KeyType.EC, Duration.ofDays(3650), CLOCK);
        // Signed with the CA's real key, skipping our own name check: only the constraint stands in the way.
        X509Certificate outside = ca.sign(List.of("www.google.com"), KeyType.EC, Duration.ofDays(30), CLOCK)
                .certificate();
        X509Certificate mixed = ca.sign(List.of("api.test", "evil.example"), KeyType.EC, Duration.ofDays(30), CLOCK)
                .certificate();
        X509Certificate lookalike = ca.sign(List.of("nottest"), KeyType.EC, Duration.ofDays(30), CLOCK)
                .certificate();
        X509Certificate inside = ca.sign(List.of("deep.sub.api.test"), KeyType.EC, Duration.ofDays(30), CLOCK)
                .certificate();

        for (X509Certificate rejected : List.of(outside, mixed, lookalike)) {
            assertThatThrownBy(() -> pkixValidate(rejected, ca.certificate()))
                    .isInstanceOf(CertPathValidatorException.class)
                    .hasMessageContaining("name constraints");
        }
        pkixValidate(inside, ca.certificate());

        // Control: an unconstrained CA with the same subject and key makes the same outside leaf valid,
        // so the failures above come from the name constraint and not from a bad signature or date.
        X509Certificate unconstrained = selfSigned(ca, false);
        X509Certificate constrainedCopy = selfSigned(ca, true);
        pkixValidate(outside, unconstrained);
        assertThatThrownBy(() -> pkixValidate(outside, constrainedCopy)).hasMessageContaining("name constraints");
    }

    @Test
    void nameConstraintMakesALeafForAnIpAddressFailValidation() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test", KeyType.EC, Duration.ofDays(3650), CLOCK);
        // A leaked ca.key must not mint certificates for addresses: a DNS-only constraint leaves them open.
        for (String address : List.of("10.0.0.1", "93.184.216.34", "2001:db8::1")) {
            X509Certificate withAddress = leafWithAddress(ca, address);
            assertThatThrownBy(() -> pkixValidate(withAddress, ca.certificate()))
                    .as(address)
                    .isInstanceOf(CertPathValidatorException.class)
                    .hasMessageContaining("name constraints");
        }
    }

    /** A leaf for {@code api.test} and the IP address {@code address}, signed with the CA's own key. */
    static X509Certificate leafWithAddress(CertificateAuthority ca, String address) throws Exception {
        X500Name subject = new X500Name("CN=api.test");
        java.security.KeyPair keys = KeyType.EC.generate();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                        ca.certificate(),
                        BigInteger.valueOf(7),
                        Date.from(CLOCK.instant().minus(Duration.ofDays(1))),
                        Date.from(Instant.now().plus(Duration.ofDays(30))),
                        subject,
                        keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(
                        Extension.subjectAlternativeName,
                        false,
                        new org.bouncycastle.asn1.x509.GeneralNames(new GeneralName[] {
                            new GeneralName(GeneralName.dNSName, "api.test"),
                            new GeneralName(GeneralName.iPAddress, address)
                        }));
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.key())));
    }

    /** A copy of {@code ca}'s certificate (same subject and key), with or without the name constraint. */
    private static X509Certificate selfSigned(CertificateAuthority ca, boolean constrained) throws Exception {
        X500Name subject =
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                        subject,
                        BigInteger.TWO,
                        Date.from(CLOCK.instant().minus(Duration.ofDays(1))),
                        Date.from(CLOCK.instant().plus(Duration.ofDays(10))),
                        subject,
                        ca.certificate().getPublicKey())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
        if (constrained) {
            builder.addExtension(
                    Extension.nameConstraints,
                    true,
                    new NameConstraints(
                            new GeneralSubtree[] {new GeneralSubtree(new GeneralName(GeneralName.dNSName, "test"))},
                            null));
        }
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.key())));
    }

    @Test
    void issueRefusesNamesOutsideTheDomainBeforeSigning() {
        CertificateAuthority ca = CertificateAuthority.create("dev.test", KeyType.EC, Duration.ofDays(3650), CLOCK);
        assertThatThrownBy(() -> ca.issue(List.of("api.dev.test", "api.test"), KeyType.EC, Duration.ofDays(30), CLOCK))
                .hasMessageContaining("api.test is outside the domains this CA may sign for: [dev.test]");
    }

    @Test
    void keyMatchingTellsPairsApart() {
        CertificateAuthority one = CertificateAuthority.create("test", KeyType.EC, Duration.ofDays(10), CLOCK);
        CertificateAuthority other = CertificateAuthority.create("test", KeyType.EC, Duration.ofDays(10), CLOCK);
        assertThat(CertificateAuthority.matches(one.certificate(), one.key())).isTrue();
        assertThat(CertificateAuthority.matches(one.certificate(), other.key())).isFalse();
    }

    @Test
    void pemRoundTrips() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("test", KeyType.RSA, Duration.ofDays(10), CLOCK);
        ServerCertificate server = ca.issue(List.of("api.test"), KeyType.EC, Duration.ofDays(10), CLOCK);
        String chain = Pem.certificates(List.of(server.certificate(), ca.certificate()));

        assertThat(Pem.readCertificates(chain.getBytes())).containsExactly(server.certificate(), ca.certificate());
        assertThat(Pem.privateKey(ca.key()))
                .startsWith("-----BEGIN PRIVATE KEY-----\n")
                .endsWith("-----END PRIVATE KEY-----\n");
        assertThat(Pem.readPrivateKey(Pem.privateKey(server.key()).getBytes())).isEqualTo(server.key());
        assertThat(chain.lines().filter(line -> !line.startsWith("-----")).allMatch(line -> line.length() <= 64))
                .isTrue();
    }
}
