package dev.mkplat.certs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.certs.CaTrust.Command;
import dev.mkplat.certs.CaTrust.Machine;
import dev.mkplat.certs.CaTrust.Platform;
import dev.mkplat.certs.CaTrust.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaTrustTest {
    @TempDir
    Path home;

    @TempDir
    Path javaHome;

    private Machine machine(Platform platform, Set<String> programs, boolean root) throws Exception {
        Files.createDirectories(javaHome.resolve("lib/security"));
        Files.writeString(javaHome.resolve("lib/security/cacerts"), "");
        return new Machine(platform, home, javaHome, programs::contains, path -> root || path.startsWith(home));
    }

    @Test
    void debianUserGetsSudoForTheSystemAndJavaStoresAndCertutilForFirefox() throws Exception {
        Path profile = Files.createDirectories(home.resolve(".mozilla/firefox/abc.default-release"));
        Files.writeString(profile.resolve("cert9.db"), "");
        Files.createDirectories(home.resolve(".mozilla/firefox/no-database"));
        Path ca = Path.of("/work/certs/test/ca.crt");

        List<Step> steps =
                CaTrust.plan(ca, "test", machine(Platform.DEBIAN, Set.of("update-ca-certificates", "certutil"), false));

        assertThat(steps)
                .extracting(Step::store)
                .containsExactly(
                        "system store (Debian/Ubuntu ca-certificates: curl, wget, most programs)",
                        "Java (" + javaHome.resolve("lib/security/cacerts") + ")",
                        "Firefox profile abc.default-release");
        assertThat(steps).extracting(Step::needsRoot).containsExactly(true, true, false);
        String text = CaTrust.instructions(steps);
        assertThat(text)
                .contains(
                        "  sudo cp /work/certs/test/ca.crt /usr/local/share/ca-certificates/mkplat-test.crt\n  sudo update-ca-certificates\n")
                .contains(
                        "-importcert -noprompt -cacerts -storepass changeit -alias mkplat-test -file /work/certs/test/ca.crt")
                .contains(
                        "  certutil -A -d sql:" + profile + " -t C,, -n 'mkplat test CA' -i /work/certs/test/ca.crt\n")
                .doesNotContain("sudo certutil");
    }

    @Test
    void macosUsesTheSystemKeychainAndWithoutCertutilSaysWhatToInstall() throws Exception {
        Path profile = Files.createDirectories(home.resolve("Library/Application Support/Firefox/Profiles/x.default"));
        Files.writeString(profile.resolve("cert9.db"), "");

        List<Step> steps = CaTrust.plan(Path.of("/p/ca.crt"), "test", machine(Platform.MACOS, Set.of(), false));

        assertThat(steps.getFirst().commands().getFirst().shell(true))
                .isEqualTo(
                        "sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain /p/ca.crt");
        assertThat(steps.getLast().available()).isFalse();
        assertThat(steps.getLast().unavailable()).contains("brew install nss");
    }

    /**
     * Why {@code trust} warns about Java: with the CA in a truststore, the JDK's own trust manager
     * accepts a certificate for another site that a leaked {@code ca.key} signed. If a JDK ever
     * enforces the constraint, this fails and the warning can go.
     */
    @Test
    void aJavaTruststoreAcceptsWhatTheCaSignsForAnySite() throws Exception {
        Clock now = Clock.systemUTC();
        CertificateAuthority ca = CertificateAuthority.create("test", KeyType.EC, Duration.ofDays(3650), now);
        X509Certificate outside = ca.sign(List.of("www.google.com"), KeyType.EC, Duration.ofDays(30), now)
                .certificate();
        KeyStore truststore = KeyStore.getInstance("PKCS12");
        truststore.load(null, null);
        truststore.setCertificateEntry("mkplat-test", ca.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(truststore);
        X509TrustManager trustManager = (X509TrustManager) factory.getTrustManagers()[0];

        trustManager.checkServerTrusted(new X509Certificate[] {outside, ca.certificate()}, "ECDHE_ECDSA");
    }

    @Test
    void theJavaStepAndOnlyItWarnsThatTheNameConstraintDoesNotHoldThere() throws Exception {
        List<Step> steps = CaTrust.plan(
                Path.of("/p/ca.crt"), "test", machine(Platform.DEBIAN, Set.of("update-ca-certificates"), true));

        assertThat(steps)
                .filteredOn(step -> !step.caveat().isEmpty())
                .extracting(Step::store)
                .containsExactly("Java (" + javaHome.resolve("lib/security/cacerts") + ")");
        String warning =
                "  warning: the JDK ignores name constraints on the CAs it trusts, so Java programs using this store accept a "
                        + "certificate signed with ca.key for any site, not only *.test";
        assertThat(CaTrust.instructions(steps))
                .contains("Java (" + javaHome.resolve("lib/security/cacerts") + "):\n" + warning);

        Step java = new Step(
                "Java (cacerts)", List.of(new Command(List.of("true"), false)), false, "", CaTrust.javaCaveat("test"));
        Step javaAsRoot = new Step(
                "Java (cacerts)",
                List.of(new Command(List.of("keytool"), false)),
                true,
                "",
                CaTrust.javaCaveat("test"));
        assertThat(CaTrust.install(List.of(java)).lines()).hasSize(2).first().isEqualTo("trusted in Java (cacerts)");
        assertThat(CaTrust.install(List.of(java)).lines().getLast()).startsWith(warning);
        assertThat(CaTrust.install(List.of(javaAsRoot)).lines().getLast()).startsWith(warning);
    }

    @Test
    void installRunsWhatItMayAndPrintsTheRest() {
        List<Step> steps = List.of(
                new Step(
                        "works",
                        List.of(new Command(List.of("false"), true), new Command(List.of("true"), false)),
                        false,
                        ""),
                new Step("needs root", List.of(new Command(List.of("update-ca-certificates"), false)), true, ""),
                new Step("fails", List.of(new Command(List.of("false"), false)), false, ""),
                new Step("missing tool", List.of(), false, "certutil is not installed"));

        CaTrust.Installation installation = CaTrust.install(steps);

        assertThat(installation.lines())
                .containsExactly(
                        "trusted in works",
                        "skipped needs root: needs root; run:",
                        "  sudo update-ca-certificates",
                        "FAILED fails: false exited 1",
                        "skipped missing tool: certutil is not installed");
        assertThat(installation.failed()).isTrue();
    }
}
