package dev.mkplat.certs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.config.PlatformConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** The files as the rest of the world reads them: openssl is what nginx and curl are built on. */
class OpensslInteropTest {
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");

    @TempDir
    static Path root;

    static CertificateFiles files;

    record Result(int exitCode, String output) {}

    @BeforeAll
    static void generate() {
        if (!Files.isExecutable(OPENSSL)) {
            String reason = OPENSSL + " is not installed";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(reason + " (CI=true: this check must run)");
            }
            throw new TestAbortedException(reason + ": skipping the openssl interop checks");
        }
        files = CertificateFiles.of(root, "test");
        PlatformCertificates.ensure(
                files, PlatformConfig.defaults(), CertificatePlan.generate(Optional.empty(), 397), Clock.systemUTC());
    }

    static Result openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(OPENSSL.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }

    @Test
    void opensslVerifiesTheServerChainAgainstTheCa() throws Exception {
        Result verify = openssl(
                "verify",
                "-CAfile",
                files.caCertificate().toString(),
                files.serverChain().toString());
        assertThat(verify.output()).isEqualTo(files.serverChain() + ": OK\n");
        assertThat(verify.exitCode()).isZero();

        Result hostname = openssl(
                "verify",
                "-CAfile",
                files.caCertificate().toString(),
                "-verify_hostname",
                "images.test",
                "-purpose",
                "sslserver",
                files.serverChain().toString());
        assertThat(hostname.exitCode()).as(hostname.output()).isZero();
    }

    @Test
    void opensslReadsTheCertificatesAndKeys() throws Exception {
        Result server = openssl("x509", "-in", files.serverChain().toString(), "-noout", "-text");
        assertThat(server.exitCode()).isZero();
        assertThat(server.output())
                .contains("DNS:api.test, DNS:auth.test, DNS:images.test, DNS:monitoring.test, DNS:*.test")
                .contains("TLS Web Server Authentication")
                .contains("CA:FALSE");

        Result ca = openssl("x509", "-in", files.caCertificate().toString(), "-noout", "-text");
        assertThat(ca.exitCode()).isZero();
        assertThat(ca.output())
                .contains("X509v3 Name Constraints: critical")
                .containsPattern("Permitted:\\s+DNS:test")
                .contains("CA:TRUE, pathlen:0")
                .contains("Certificate Sign, CRL Sign")
                .contains("NIST CURVE: P-256");

        for (Path key : List.of(files.caKey(), files.serverKey())) {
            Result check = openssl("pkey", "-in", key.toString(), "-noout", "-check");
            assertThat(check.exitCode()).as(key + ": " + check.output()).isZero();
        }
    }

    @Test
    void opensslRejectsALeafOutsideTheDomain(@TempDir Path scratch) throws Exception {
        CertificateAuthority ca = new CertificateAuthority(
                Pem.readCertificates(Files.readAllBytes(files.caCertificate())).getFirst(),
                Pem.readPrivateKey(Files.readAllBytes(files.caKey())));
        Path outside = scratch.resolve("outside.crt");
        Files.writeString(
                outside,
                Pem.certificates(
                        List.of(ca.sign(List.of("www.example.com"), KeyType.EC, Duration.ofDays(30), Clock.systemUTC())
                                .certificate())));

        Result verify = openssl("verify", "-CAfile", files.caCertificate().toString(), outside.toString());

        assertThat(verify.exitCode()).isNotZero();
        assertThat(verify.output()).contains("permitted subtree violation");
    }

    @Test
    void opensslRejectsALeafForAnIpAddress(@TempDir Path scratch) throws Exception {
        CertificateAuthority ca = new CertificateAuthority(
                Pem.readCertificates(Files.readAllBytes(files.caCertificate())).getFirst(),
                Pem.readPrivateKey(Files.readAllBytes(files.caKey())));
        for (String address : List.of("127.0.0.1", "::1")) {
            Path withAddress = scratch.resolve("address.crt");
            Files.writeString(
                    withAddress, Pem.certificates(List.of(CertificateAuthorityTest.leafWithAddress(ca, address))));

            Result verify = openssl("verify", "-CAfile", files.caCertificate().toString(), withAddress.toString());

            assertThat(verify.exitCode()).as(address + ": " + verify.output()).isNotZero();
            assertThat(verify.output()).contains("excluded subtree violation");
        }
    }
}
