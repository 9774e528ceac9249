package dev.mkplat.certs;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The platform's own certificate authority: a self-signed CA certificate whose name constraints
 * permit only DNS names inside the platform domain, and the key that signs server certificates.
 * Because of the constraint, trusting this CA on a laptop risks nothing outside {@code *.<domain>}
 * even if its key leaks.
 *
 * @param certificate the CA certificate
 * @param key         its private key
 */
public record CertificateAuthority(X509Certificate certificate, PrivateKey key) {
    /** Certificates start a little in the past, so that a clock a few minutes behind still accepts them. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    public CertificateAuthority {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
    }

    /** 0.0.0.0/0 and ::/0 (address then mask, RFC 5280 4.2.1.10). */
    private static final GeneralSubtree[] EVERY_IP_ADDRESS = {
        new GeneralSubtree(new GeneralName(GeneralName.iPAddress, new DEROctetString(new byte[8]))),
        new GeneralSubtree(new GeneralName(GeneralName.iPAddress, new DEROctetString(new byte[32]))),
    };

    /**
     * A new CA for {@code domain}: basicConstraints CA (path length 0: it signs servers, not other
     * CAs), key usage keyCertSign and cRLSign, and a critical name constraint permitting the DNS
     * subtree {@code domain} (which RFC 5280 defines as the domain and every name under it) and
     * excluding every IPv4 and IPv6 address: a permitted DNS subtree alone leaves the other name
     * types open, so a leaked {@code ca.key} could otherwise still sign for any address.
     */
    public static CertificateAuthority create(String domain, KeyType keyType, Duration validity, Clock clock) {
        KeyPair keys = keyType.generate();
        Instant now = clock.instant();
        String id = HexFormat.of().formatHex(randomBytes(4));
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "mkplat")
                .addRDN(BCStyle.OU, "local development CA, valid only for *." + domain)
                // Unique per CA, so that two trusted mkplat CAs can be told apart in a keychain.
                .addRDN(BCStyle.CN, "mkplat " + domain + " CA " + DAY.format(now) + " " + id)
                .build();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            subject,
                            serial(),
                            Date.from(now.minus(BACKDATE)),
                            Date.from(now.plus(validity)),
                            subject,
                            keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(
                            Extension.nameConstraints,
                            true,
                            new NameConstraints(
                                    new GeneralSubtree[] {
                                        new GeneralSubtree(new GeneralName(GeneralName.dNSName, domain))
                                    },
                                    EVERY_IP_ADDRESS))
                    .addExtension(
                            Extension.subjectKeyIdentifier,
                            false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(sign(builder, keys.getPrivate(), keyType), keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build the CA certificate", e);
        }
    }

    /** The type of this CA's key. */
    public KeyType keyType() {
        return KeyType.of(certificate.getPublicKey());
    }

    /** The DNS subtrees this CA may sign for, as its name constraints say. */
    public List<String> permittedDomains() {
        return CertificateSummary.permittedDnsSubtrees(certificate);
    }

    /**
     * Issues a server certificate for {@code dnsNames}, each of which must be inside the domains this
     * CA is constrained to (so it fails here, with a clear message, rather than in a browser).
     */
    public ServerCertificate issue(List<String> dnsNames, KeyType keyType, Duration validity, Clock clock) {
        List<String> permitted = permittedDomains();
        for (String name : dnsNames) {
            String bare = name.startsWith("*.") ? name.substring(2) : name;
            boolean inside = permitted.stream().anyMatch(domain -> bare.equals(domain) || bare.endsWith("." + domain));
            if (!inside) {
                throw new IllegalArgumentException(name + " is outside the domains this CA may sign for: " + permitted);
            }
        }
        return sign(dnsNames, keyType, validity, clock);
    }

    /**
     * Signs a server certificate without checking the names: the name constraint in the CA is what
     * must stop a name outside the domain, and the tests prove it does.
     */
    ServerCertificate sign(List<String> dnsNames, KeyType keyType, Duration validity, Clock clock) {
        if (dnsNames.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one DNS name");
        }
        KeyPair keys = keyType.generate();
        Instant now = clock.instant();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "mkplat")
                .addRDN(BCStyle.CN, dnsNames.getFirst())
                .build();
        GeneralName[] names = dnsNames.stream()
                .map(name -> new GeneralName(GeneralName.dNSName, name))
                .toArray(GeneralName[]::new);
        // RSA keys may also be used for key exchange by old TLS clients; ECDSA keys only sign.
        int usage = keyType == KeyType.RSA
                ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
                : KeyUsage.digitalSignature;
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                            certificate,
                            serial(),
                            Date.from(now.minus(BACKDATE)),
                            Date.from(now.plus(validity)),
                            subject,
                            keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
                    .addExtension(
                            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
                    .addExtension(
                            Extension.subjectKeyIdentifier,
                            false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(
                            Extension.authorityKeyIdentifier,
                            false,
                            extensions.createAuthorityKeyIdentifier(certificate));
            return new ServerCertificate(sign(builder, key, keyType()), keys.getPrivate());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot build the server certificate", e);
        }
    }

    /** Whether {@code key} is the private half of {@code certificate}'s public key: it signs a challenge the certificate verifies. */
    public static boolean matches(X509Certificate certificate, PrivateKey key) {
        PublicKey publicKey = certificate.getPublicKey();
        try {
            String algorithm = KeyType.of(publicKey).signatureAlgorithm();
            byte[] challenge = randomBytes(32);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer, KeyType signerType)
            throws CertificateException {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder(signerType.signatureAlgorithm()).build(signer)));
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with " + signerType.description(), e);
        }
    }

    /** A positive random serial of 159 bits: unique without a database, within RFC 5280's 20 octets. */
    private static BigInteger serial() {
        return new BigInteger(159, RANDOM).setBit(158);
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A server certificate and its private key. */
    public record ServerCertificate(X509Certificate certificate, PrivateKey key) {
        public ServerCertificate {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(key, "key");
        }
    }
}
