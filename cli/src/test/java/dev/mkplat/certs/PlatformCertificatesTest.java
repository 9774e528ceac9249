package dev.mkplat.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkplat.certs.CertificateOutcome.Action;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.MkplatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformCertificatesTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final PlatformConfig CONFIG = PlatformConfig.defaults();
    private static final CertificatePlan GENERATE =
            CertificatePlan.generate(Optional.empty(), CertificatePlan.DEFAULT_SERVER_DAYS);

    @TempDir
    Path root;

    private CertificateFiles files() {
        return CertificateFiles.of(root.resolve("certs"), "test");
    }

    private Map<String, String> snapshot() throws IOException {
        try (Stream<Path> entries = Files.list(files().directory())) {
            return entries.collect(Collectors.toMap(path -> path.getFileName().toString(), path -> {
                try {
                    return Files.readString(path) + "|" + Files.getLastModifiedTime(path) + "|"
                            + PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
    }

    private X509Certificate server() throws Exception {
        return Pem.readCertificates(Files.readAllBytes(files().serverChain())).getFirst();
    }

    private X509Certificate ca() throws Exception {
        return Pem.readCertificates(Files.readAllBytes(files().caCertificate())).getFirst();
    }

    @Test
    void firstGenerateWritesTheFourFilesWithPrivateKeys() throws Exception {
        CertificateOutcome outcome = PlatformCertificates.ensure(files(), CONFIG, GENERATE, CLOCK);

        assertThat(outcome.ca().action()).isEqualTo(Action.CREATED);
        assertThat(outcome.server().action()).isEqualTo(Action.CREATED);
        try (Stream<Path> entries = Files.list(files().directory())) {
            assertThat(entries.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("ca.crt", "ca.key", "tls.crt", "tls.key");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files().caKey())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files().serverKey())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files().caCertificate())))
                .isEqualTo("rw-r--r--");
        // tls.crt is the chain nginx serves: the server certificate, then the CA.
        assertThat(Pem.readCertificates(Files.readAllBytes(files().serverChain())))
                .containsExactly(server(), ca());
        assertThat(CertificateSummary.dnsNames(server()))
                .containsExactly("api.test", "auth.test", "images.test", "monitoring.test", "*.test");
        assertThat(PlatformCertificates.pkixProblem(List.of(server(), ca()), ca()))
                .isEmpty();
        assertThat(outcome.serverSummary().daysLeft(CLOCK)).isEqualTo(397);
    }

    @Test
    void secondGenerateChangesNothing() throws Exception {
        CertificateOutcome first = PlatformCertificates.ensure(files(), CONFIG, GENERATE, CLOCK);
        Map<String, String> before = snapshot();

        CertificateOutcome second =
                PlatformCertificates.ensure(files(), CONFIG, GENERATE, Clock.offset(CLOCK, Duration.ofDays(100)));

        assertThat(second.changed()).isFalse();
        assertThat(second.ca().action()).isEqualTo(Action.KEPT);
        assertThat(second.server().reason()).isEqualTo("valid until 2027-12-28, 297 days left");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(second.serverSummary().sha256Fingerprint())
                .isEqualTo(first.serverSummary().sha256Fingerprint());
        assertThat(second.caSummary().sha256Fingerprint())
                .isEqualTo(first.caSummary().sha256Fingerprint());
    }

    @Test
    void changedHostsRenewTheServerCertificateButKeepTheCa() throws Exception {
        CertificateOutcome first = PlatformCertificates.ensure(files(), CONFIG, GENERATE, CLOCK);
        PlatformConfig renamed = new PlatformConfig(
                "test",
                new PlatformConfig.Hosts("api.test", "auth.test", "images.test", "grafana.test"),
                CONFIG.replicas(),
                CONFIG.images(),
                CONFIG.storage(),
                CONFIG.monitoring(),
                CONFIG.timeouts());

        CertificateOutcome second = PlatformCertificates.ensure(files(), renamed, GENERATE, CLOCK);

        assertThat(second.ca().action()).isEqualTo(Action.KEPT);
        assertThat(second.caSummary().sha256Fingerprint())
                .isEqualTo(first.caSummary().sha256Fingerprint());
        assertThat(second.server().action()).isEqualTo(Action.RENEWED);
        assertThat(second.server().reason()).isEqualTo("SANs changed: +grafana.test -monitoring.test");
        assertThat(CertificateSummary.dnsNames(server()))
                .containsExactly("api.test", "auth.test", "images.test", "grafana.test", "*.test");
        assertThat(PlatformCertificates.pkixProblem(List.of(server(), ca()), ca()))
                .isEmpty();
    }

    @Test
    void serverCertificateIsRenewedWhenFewerThanThirtyDaysAreLeft() throws Exception {
        PlatformCertificates.ensure(files(), CONFIG, GENERATE, CLOCK);
        String fingerprint = CertificateSummary.of(server()).sha256Fingerprint();

        CertificateOutcome at31 =
                PlatformCertificates.ensure(files(), CONFIG, GENERATE, Clock.offset(CLOCK, Duration.ofDays(366)));
        assertThat(at31.server().action()).isEqualTo(Action.KEPT);

        Clock late = Clock.offset(CLOCK, Duration.ofDays(370));
        CertificateOutcome at27 = PlatformCertificates.ensure(files(), CONFIG, GENERATE, late);
        assertThat(at27.server()).isEqualTo(new CertificateOutcome.Step(Action.RENEWED, "only 27 days were left"));
        assertThat(CertificateSummary.of(server()).sha256Fingerprint()).isNotEqualTo(fingerprint);
        assertThat(CertificateSummary.of(server()).daysLeft(late)).isEqualTo(397);
    }

    @Test
    void shortLivedCertificateIsNotRenewedOnEveryRun() throws Exception {
        CertificatePlan week = CertificatePlan.generate(Optional.empty(), 7);
        PlatformCertificates.ensure(files(), CONFIG, week, CLOCK);
        assertThat(PlatformCertificates.ensure(files(), CONFIG, week, Clock.offset(CLOCK, Duration.ofDays(1)))
                        .changed())
                .isFalse();
        assertThat(PlatformCertificates.ensure(files(), CONFIG, week, Clock.offset(CLOCK, Duration.ofDays(5)))
                        .server()
                        .action())
                .isEqualTo(Action.RENEWED);
    }

    /**
     * What a crash between the moves of regenerate leaves: the new tls.crt, the old tls.key, the new
     * key still staged and the journal naming it. The next reader finishes the group and gets a pair
     * that belongs together (a leaked or mismatched key would never reach a Secret).
     */
    @Test
    void aRegenerateInterruptedBetweenTheMovesIsReadAsTheNewPair() throws Exception {
        PlatformCertificates.ensure(files(), CONFIG, GENERATE, CLOCK);
        byte[] oldKey = Files.readAllBytes(files().serverKey());
        PlatformCertificates.ensure(files(), CONFIG, CertificatePlan.regenerate(Optional.empty(), 397, false), CLOCK);
        byte[] newChain = Files.readAllBytes(files().serverChain());
        byte[] newKey = Files.readAllBytes(files().serverKey());
        Path staged = files().directory().resolve(".tls.key.4711.tmp");
        Files.write(staged, newKey);
        Files.write(files().serverKey(), oldKey);
        Files.writeString(
                dev.mkplat.core.AtomicFileWriter.journalOf(files().directory()),
                ".tls.crt.4710.tmp\ttls.crt\n.tls.key.4711.tmp\ttls.key\n");

        CertificateFiles.TlsPair pair = files().tlsPair().orElseThrow();

        assertThat(pair.chain()).isEqualTo(newChain);
        assertThat(pair.key()).isEqualTo(newKey);
        assertThat(CertificateAuthority.matches(server(), Pem.readPrivateKey(pair.key())))
                .isTrue();
        assertThat(staged).doesNotExist();
        assertThat(dev.mkplat.core.AtomicFileWriter.journalOf(files().directory()))
                .doesNotExist();
    }

    @Test
    void regenerateRotatesTheServerCertificateAndWithCaTheCaToo() throws Exception {
        CertificateOutcome first = PlatformCertificates.ensure(files(), CONFIG, GENERATE, CLOCK);

        CertificateOutcome leaf = PlatformCertificates.ensure(
                files(), CONFIG, CertificatePlan.regenerate(Optional.empty(), 397, false), CLOCK);
        assertThat(leaf.ca().action()).isEqualTo(Action.KEPT);
        assertThat(leaf.server().action()).isEqualTo(Action.RENEWED);
        assertThat(leaf.serverSummary().sha256Fingerprint())
                .isNotEqualTo(first.serverSummary().sha256Fingerprint());

        CertificateOutcome both = PlatformCertificates.ensure(
                files(), CONFIG, CertificatePlan.regenerate(Optional.of(KeyType.RSA), 397, true), CLOCK);
        assertThat(both.ca().action()).isEqualTo(Action.RENEWED);
        assertThat(both.ca().reason()).contains("RSA 3072", "trust it again");
        assertThat(both.caSummary().sha256Fingerprint())
                .isNotEqualTo(first.caSummary().sha256Fingerprint());
        assertThat(PlatformCertificates.pkixProblem(List.of(server(), ca()), ca()))
                .isEmpty();
        assertThat(KeyType.of(ca().getPublicKey())).isEqualTo(KeyType.RSA);
    }

    @Test
    void serverCertificateFromAnotherCaIsReplaced() throws Exception {
        PlatformCertificates.ensure(files(), CONFIG, GENERATE, CLOCK);
        CertificateAuthority stranger = CertificateAuthority.create("test", KeyType.EC, Duration.ofDays(100), CLOCK);
        var foreign = stranger.issue(PlatformCertificates.serverNames(CONFIG), KeyType.EC, Duration.ofDays(100), CLOCK);
        Files.writeString(
                files().serverChain(), Pem.certificates(List.of(foreign.certificate(), stranger.certificate())));
        Files.writeString(files().serverKey(), Pem.privateKey(foreign.key()));

        CertificateOutcome outcome = PlatformCertificates.ensure(files(), CONFIG, GENERATE, CLOCK);

        assertThat(outcome.server().reason()).isEqualTo("it was not issued by the current CA");
        assertThat(PlatformCertificates.pkixProblem(List.of(server(), ca()), ca()))
                .isEmpty();
    }

    @Test
    void caWithoutItsKeyIsAnErrorNotASilentNewCa() throws Exception {
        PlatformCertificates.ensure(files(), CONFIG, GENERATE, CLOCK);
        Files.delete(files().caKey());

        assertThatThrownBy(() -> PlatformCertificates.ensure(files(), CONFIG, GENERATE, CLOCK))
                .isInstanceOfSatisfying(MkplatException.class, e -> {
                    assertThat(e.getMessage())
                            .endsWith("ca.key is missing but " + files().caCertificate()
                                    + " exists, so the CA cannot sign");
                    assertThat(e.hint())
                            .hasValueSatisfying(hint -> assertThat(hint).contains("regenerate --ca"));
                });
        assertThat(files().caKey()).doesNotExist();
    }

    @Test
    void widenedKeyPermissionsAreTightenedAgain() throws Exception {
        PlatformCertificates.ensure(files(), CONFIG, GENERATE, CLOCK);
        Files.setPosixFilePermissions(files().serverKey(), PosixFilePermissions.fromString("rw-r--r--"));

        CertificateOutcome outcome = PlatformCertificates.ensure(files(), CONFIG, GENERATE, CLOCK);

        assertThat(outcome.notes())
                .containsExactly(files().serverKey() + " was readable by others; set it back to 0600");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files().serverKey())))
                .isEqualTo("rw-------");
    }

    @Test
    void unwritableDirectoryIsAClearErrorAndLeavesNoFiles() throws Exception {
        Path locked = Files.createDirectories(root.resolve("certs"));
        LockedDirectory lock = LockedDirectory.lock(locked);
        try {
            assertThatThrownBy(() -> PlatformCertificates.ensure(files(), CONFIG, GENERATE, CLOCK))
                    .isInstanceOfSatisfying(MkplatException.class, e -> {
                        assertThat(e.getMessage())
                                .startsWith("cannot create " + files().directory() + ": ")
                                .doesNotContain("\n");
                        assertThat(e.hint())
                                .contains("make " + locked + " writable, or choose another place with --certs-dir");
                        assertThat(e.exitCode().code()).isEqualTo(1);
                    });
        } finally {
            lock.unlock();
        }
        try (Stream<Path> left = Files.list(locked)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void unwritableDomainDirectoryKeepsTheOldFilesAndLeavesNoTemporaryOnes() throws Exception {
        PlatformCertificates.ensure(files(), CONFIG, GENERATE, CLOCK);
        Map<String, String> before = snapshot();
        LockedDirectory lock = LockedDirectory.lock(files().directory());
        try {
            assertThatThrownBy(() -> PlatformCertificates.ensure(
                            files(), CONFIG, CertificatePlan.regenerate(Optional.empty(), 397, true), CLOCK))
                    .isInstanceOf(MkplatException.class)
                    .hasMessageStartingWith("cannot write " + files().directory());
        } finally {
            lock.unlock();
        }
        assertThat(snapshot()).isEqualTo(before);
    }
}
