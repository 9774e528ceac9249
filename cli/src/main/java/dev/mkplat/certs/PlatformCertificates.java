package dev.mkplat.certs;

import dev.mkplat.certs.CertificateAuthority.ServerCertificate;
import dev.mkplat.certs.CertificateOutcome.Action;
import dev.mkplat.certs.CertificateOutcome.Step;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The decisions of {@code certs generate} and {@code regenerate}: make the CA and server
 * certificate when there are none, keep them while they are valid, renew the server certificate
 * when its names changed or it is about to expire, and rotate on request. Every file written in
 * one call is written at once ({@link CertificateFiles#write}).
 */
public final class PlatformCertificates {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
    private static final String REGENERATE_CA =
            "mkplat certs regenerate --ca makes a new CA (trust it again afterwards: mkplat certs trust)";

    private PlatformCertificates() {}

    /** The names the server certificate must carry, exactly: every platform host, then {@code *.<domain>}. */
    public static List<String> serverNames(PlatformConfig config) {
        Set<String> names = new LinkedHashSet<>(config.hosts().all());
        names.add("*." + config.domain());
        return List.copyOf(names);
    }

    /** Brings the files in {@code files} to what {@code config} and {@code plan} ask for, and says what it did. */
    public static CertificateOutcome ensure(
            CertificateFiles files, PlatformConfig config, CertificatePlan plan, Clock clock) {
        List<String> notes = new ArrayList<>();
        Map<Path, String> toWrite = new LinkedHashMap<>();

        Optional<CertificateAuthority> existingCa =
                plan.rotateCa() ? Optional.empty() : readCa(files, config.domain(), clock);
        boolean caExisted = plan.rotateCa()
                && (files.read(files.caCertificate()).isPresent()
                        || files.read(files.caKey()).isPresent());
        CertificateAuthority ca;
        Step caStep;
        if (existingCa.isPresent()) {
            ca = existingCa.get();
            caStep = new Step(Action.KEPT, validity(ca.certificate(), clock));
            plan.keyType()
                    .filter(type -> type != ca.keyType())
                    .ifPresent(type -> notes.add("the CA stays " + ca.keyType().description()
                            + "; --key-type " + type.name().toLowerCase(Locale.ROOT)
                            + " applies to the new server certificate only"
                            + " (regenerate --ca to change the CA)"));
            if (files.tightenKeyPermissions(files.caKey())) {
                notes.add(files.caKey() + " was readable by others; set it back to 0600");
            }
            if (CertificateSummary.of(ca.certificate()).timeLeft(clock).compareTo(CertificatePlan.RENEW_BEFORE) < 0) {
                notes.add("the CA expires on "
                        + DAY.format(ca.certificate().getNotAfter().toInstant()) + "; " + REGENERATE_CA);
            }
        } else {
            KeyType type = plan.keyType().orElse(KeyType.EC);
            ca = CertificateAuthority.create(config.domain(), type, plan.caDays(), clock);
            caStep = new Step(
                    caExisted ? Action.RENEWED : Action.CREATED,
                    "new " + type.description() + " CA for *." + config.domain() + ", valid "
                            + plan.caDays().toDays() + " days"
                            + (caExisted ? "; trust it again: mkplat certs trust" : ""));
            toWrite.put(files.caCertificate(), Pem.certificates(List.of(ca.certificate())));
            toWrite.put(files.caKey(), Pem.privateKey(ca.key()));
        }

        List<String> names = serverNames(config);
        KeyType serverType = plan.keyType().orElse(ca.keyType());
        Optional<Step> renewal = caStep.action() != Action.KEPT
                ? Optional.of(new Step(Action.CREATED, "issued by the new CA"))
                : plan.rotateServer()
                        ? Optional.of(new Step(Action.RENEWED, "rotated on request"))
                        : serverRenewal(files, ca, names, clock);
        Step serverStep;
        X509Certificate server;
        if (renewal.isPresent()) {
            ServerCertificate issued = ca.issue(names, serverType, plan.serverDays(), clock);
            server = issued.certificate();
            serverStep = renewal.get();
            toWrite.put(files.serverChain(), Pem.certificates(List.of(issued.certificate(), ca.certificate())));
            toWrite.put(files.serverKey(), Pem.privateKey(issued.key()));
        } else {
            server = readChain(files).getFirst();
            serverStep = new Step(Action.KEPT, validity(server, clock));
            if (files.tightenKeyPermissions(files.serverKey())) {
                notes.add(files.serverKey() + " was readable by others; set it back to 0600");
            }
        }
        if (!toWrite.isEmpty()) {
            files.write(toWrite);
        }
        return new CertificateOutcome(
                files.directory(),
                caStep,
                serverStep,
                CertificateSummary.of(ca.certificate()),
                CertificateSummary.of(server),
                notes);
    }

    /**
     * The CA and server certificate on disk, for {@code certs show}, and whether the chain verifies.
     *
     * @param ca            the CA certificate
     * @param server        the server certificate
     * @param chainVerifies whether tls.crt verifies against ca.crt with the JDK's PKIX validator
     * @param problem       why it does not, when it does not
     */
    public record Stored(
            CertificateSummary ca, CertificateSummary server, boolean chainVerifies, Optional<String> problem) {}

    /** Reads the certificates for {@code certs show}; fails with a hint when there are none. */
    public static Stored read(CertificateFiles files) {
        Optional<byte[]> caPem = files.read(files.caCertificate());
        if (caPem.isEmpty() || files.read(files.serverChain()).isEmpty()) {
            throw MkplatException.failed("no certificates in " + files.directory(), "mkplat certs generate makes them");
        }
        X509Certificate ca =
                parseCertificates(files.caCertificate(), caPem.get()).getFirst();
        List<X509Certificate> chain = readChain(files);
        Optional<String> problem = pkixProblem(chain, ca);
        return new Stored(
                CertificateSummary.of(ca), CertificateSummary.of(chain.getFirst()), problem.isEmpty(), problem);
    }

    /**
     * Why {@code chain} (as {@code tls.crt} holds it: server certificate first, then the CA) does
     * not verify with {@code ca} as the only trust anchor under the JDK's PKIX rules, or empty.
     * The CA must be in the path, not only the anchor: the JDK does not apply a trust anchor's own
     * name constraints ("name constraints in trust anchor not supported"), but it does apply those
     * of every certificate in the path, as browsers apply a root's.
     */
    public static Optional<String> pkixProblem(List<X509Certificate> chain, X509Certificate ca) {
        try {
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
            parameters.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            return Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static Optional<CertificateAuthority> readCa(CertificateFiles files, String domain, Clock clock) {
        Optional<byte[]> certificatePem = files.read(files.caCertificate());
        Optional<byte[]> keyPem = files.read(files.caKey());
        if (certificatePem.isEmpty() && keyPem.isEmpty()) {
            return Optional.empty();
        }
        if (certificatePem.isEmpty() || keyPem.isEmpty()) {
            Path missing = certificatePem.isEmpty() ? files.caCertificate() : files.caKey();
            Path present = certificatePem.isEmpty() ? files.caKey() : files.caCertificate();
            throw MkplatException.failed(
                    missing + " is missing but " + present + " exists, so the CA cannot sign", REGENERATE_CA);
        }
        X509Certificate certificate =
                parseCertificates(files.caCertificate(), certificatePem.get()).getFirst();
        PrivateKey key;
        try {
            key = Pem.readPrivateKey(keyPem.get());
        } catch (IOException | RuntimeException e) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    files.caKey() + " is not a readable private key: " + e.getMessage(),
                    REGENERATE_CA,
                    e);
        }
        if (!CertificateAuthority.matches(certificate, key)) {
            throw MkplatException.failed(files.caKey() + " does not belong to " + files.caCertificate(), REGENERATE_CA);
        }
        if (certificate.getBasicConstraints() < 0) {
            throw MkplatException.failed(files.caCertificate() + " is not a CA certificate", REGENERATE_CA);
        }
        List<String> permitted = CertificateSummary.permittedDnsSubtrees(certificate);
        if (!permitted.contains(domain)) {
            throw MkplatException.failed(
                    files.caCertificate() + " may sign for " + permitted + ", not for the domain " + domain,
                    REGENERATE_CA);
        }
        if (CertificateSummary.of(certificate).timeLeft(clock).isNegative()) {
            throw MkplatException.failed(
                    "the CA in " + files.caCertificate() + " expired on "
                            + DAY.format(certificate.getNotAfter().toInstant()),
                    REGENERATE_CA);
        }
        return Optional.of(new CertificateAuthority(certificate, key));
    }

    /** Why the server certificate on disk must be replaced, or empty when it is fine. */
    private static Optional<Step> serverRenewal(
            CertificateFiles files, CertificateAuthority ca, List<String> names, Clock clock) {
        Optional<byte[]> chainPem = files.read(files.serverChain());
        Optional<byte[]> keyPem = files.read(files.serverKey());
        if (chainPem.isEmpty() && keyPem.isEmpty()) {
            return Optional.of(new Step(Action.CREATED, "there was none"));
        }
        if (chainPem.isEmpty() || keyPem.isEmpty()) {
            return Optional.of(new Step(Action.RENEWED, (chainPem.isEmpty() ? "tls.crt" : "tls.key") + " was missing"));
        }
        List<X509Certificate> chain;
        PrivateKey key;
        try {
            chain = Pem.readCertificates(chainPem.get());
            key = Pem.readPrivateKey(keyPem.get());
        } catch (CertificateException | IOException | RuntimeException e) {
            return Optional.of(new Step(Action.RENEWED, "the files were unreadable (" + e.getMessage() + ")"));
        }
        X509Certificate server = chain.getFirst();
        if (!CertificateAuthority.matches(server, key)) {
            return Optional.of(new Step(Action.RENEWED, "tls.key did not belong to tls.crt"));
        }
        if (!issuedBy(server, ca.certificate())) {
            return Optional.of(new Step(Action.RENEWED, "it was not issued by the current CA"));
        }
        if (chain.size() != 2 || !chain.get(1).equals(ca.certificate())) {
            return Optional.of(new Step(Action.RENEWED, "tls.crt did not end with the CA certificate"));
        }
        List<String> actual = CertificateSummary.dnsNames(server);
        if (!Set.copyOf(actual).equals(Set.copyOf(names))) {
            List<String> added = names.stream()
                    .filter(name -> !actual.contains(name))
                    .map(name -> "+" + name)
                    .toList();
            List<String> removed = actual.stream()
                    .filter(name -> !names.contains(name))
                    .map(name -> "-" + name)
                    .toList();
            List<String> change = new ArrayList<>(added);
            change.addAll(removed);
            return Optional.of(new Step(Action.RENEWED, "SANs changed: " + String.join(" ", change)));
        }
        CertificateSummary summary = CertificateSummary.of(server);
        if (summary.timeLeft(clock).compareTo(renewBefore(server)) < 0) {
            return Optional.of(new Step(
                    Action.RENEWED,
                    summary.timeLeft(clock).isNegative()
                            ? "it had expired"
                            : "only " + summary.daysLeft(clock) + " days were left"));
        }
        return Optional.empty();
    }

    /** Whether {@code ca} signed {@code server} (validity aside: expiry has its own reason). */
    private static boolean issuedBy(X509Certificate server, X509Certificate ca) {
        try {
            server.verify(ca.getPublicKey());
            return server.getIssuerX500Principal().equals(ca.getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * 30 days, or a third of the certificate's lifetime when that is shorter: a certificate made
     * with {@code --days 7} is not renewed by every following {@code generate}.
     */
    static Duration renewBefore(X509Certificate server) {
        Duration lifetime = Duration.between(
                server.getNotBefore().toInstant(), server.getNotAfter().toInstant());
        Duration third = lifetime.dividedBy(3);
        return third.compareTo(CertificatePlan.RENEW_BEFORE) < 0 ? third : CertificatePlan.RENEW_BEFORE;
    }

    private static List<X509Certificate> readChain(CertificateFiles files) {
        byte[] pem = files.read(files.serverChain())
                .orElseThrow(() ->
                        MkplatException.failed(files.serverChain() + " is missing", "mkplat certs generate makes it"));
        return parseCertificates(files.serverChain(), pem);
    }

    private static List<X509Certificate> parseCertificates(Path file, byte[] pem) {
        try {
            return Pem.readCertificates(pem);
        } catch (CertificateException e) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    file + " is not a readable PEM certificate: " + e.getMessage(),
                    "mkplat certs regenerate replaces the server certificate; --ca also the CA",
                    e);
        }
    }

    private static String validity(X509Certificate certificate, Clock clock) {
        return "valid until " + DAY.format(certificate.getNotAfter().toInstant()) + ", "
                + CertificateSummary.of(certificate).daysLeft(clock) + " days left";
    }
}
