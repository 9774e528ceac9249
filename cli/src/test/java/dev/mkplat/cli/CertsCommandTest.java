package dev.mkplat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.certs.LockedDirectory;
import dev.mkplat.certs.Pem;
import dev.mkplat.cli.CliSession.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code mkplat certs} through the real command line, in a temporary project directory, without a cluster. */
class CertsCommandTest {
    private static final Pattern FINGERPRINT = Pattern.compile("sha256:\\s+((?:[0-9A-F]{2}:){31}[0-9A-F]{2})");

    @TempDir
    Path work;

    @TempDir
    Path home;

    CliSession cli;
    String kubeconfig;

    @BeforeEach
    void session() throws Exception {
        cli = CliSession.in(work, home);
        kubeconfig = Kubeconfigs.unreachable(work, "kind-dev").toString();
    }

    private Map<String, String> files() throws Exception {
        try (Stream<Path> entries = Files.list(work.resolve("certs/test"))) {
            return entries.collect(Collectors.toMap(path -> path.getFileName().toString(), path -> {
                try {
                    return Files.readString(path) + Files.getLastModifiedTime(path);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
    }

    private static List<String> fingerprints(String output) {
        Matcher matcher = FINGERPRINT.matcher(output);
        List<String> found = new java.util.ArrayList<>();
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    @Test
    void generateWritesTheFilesAndASecondRunKeepsThem() throws Exception {
        Run first = cli.run("certs", "generate", "--no-apply");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out())
                .startsWith("certs/test/ca.crt, ca.key: created (new ECDSA P-256 CA for *.test, valid 3650 days)\n"
                        + "certs/test/tls.crt, tls.key: created (issued by the new CA)\n"
                        + "  SANs:    api.test, auth.test, images.test, monitoring.test, *.test\n")
                .contains("next: mkplat certs trust");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("certs/test/ca.key"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("certs/test/tls.key"))))
                .isEqualTo("rw-------");
        assertThat(first.out() + first.err()).doesNotContain("PRIVATE KEY");
        Map<String, String> before = files();

        Run second = cli.run("certs", "generate", "--no-apply");

        assertThat(second.exitCode()).isZero();
        assertThat(second.out())
                .contains("certs/test/ca.crt, ca.key: kept (valid until ")
                .contains("certs/test/tls.crt, tls.key: kept (valid until ")
                .doesNotContain("next:");
        assertThat(files()).isEqualTo(before);
        assertThat(fingerprints(second.out())).isEqualTo(fingerprints(first.out()));
    }

    @Test
    void changedHostsInMkplatYamlRenewTheServerCertificate() throws Exception {
        cli.run("certs", "generate", "--no-apply");
        Files.writeString(work.resolve("mkplat.yaml"), "hosts:\n  monitoring: grafana.test\n");

        Run run = cli.run("certs", "generate", "--no-apply");

        assertThat(run.out())
                .contains("certs/test/ca.crt, ca.key: kept")
                .contains("certs/test/tls.crt, tls.key: renewed (SANs changed: +grafana.test -monitoring.test)")
                .contains("SANs:    api.test, auth.test, images.test, grafana.test, *.test");
    }

    @Test
    void generateWithoutAReachableClusterWritesTheFilesAndSaysSo() {
        Run run = cli.run("certs", "generate", "--kubeconfig", kubeconfig);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .containsPattern("cannot reach the cluster of context 'kind-dev' at https://127\\.0\\.0\\.1:\\d+/: .*; "
                        + "Secrets not updated; mkplat deploy creates them from these files");
        assertThat(work.resolve("certs/test/tls.crt")).exists();
    }

    @Test
    void generateDoesNotTouchARemoteContext() throws Exception {
        String remote = Kubeconfigs.unreachable(work, "prod").toString();
        Run run = cli.run("certs", "generate", "--kubeconfig", remote);
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("context prod is not a local cluster; Secrets not updated");
    }

    @Test
    void aContextThatIsNotThereIsABadUsageBeforeAnyFileIsWritten() {
        Run run = cli.run("certs", "generate", "--kubeconfig", kubeconfig, "--context", "nope");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("mkplat: error: context 'nope' is not in ");
        assertThat(work.resolve("certs")).doesNotExist();
    }

    @Test
    void regenerateRotatesTheLeafAndWithCaTheCa() {
        List<String> original =
                fingerprints(cli.run("certs", "generate", "--no-apply").out());

        Run leaf = cli.run("certs", "regenerate", "--no-apply");
        assertThat(leaf.out()).contains("ca.key: kept").contains("tls.key: renewed (rotated on request)");
        Run ca = cli.run("certs", "regenerate", "--ca", "--key-type", "rsa", "--no-apply");
        assertThat(ca.out())
                .contains("ca.key: renewed (new RSA 3072 CA for *.test")
                .contains("next: mkplat certs trust");

        Run show = cli.run("certs", "show", "--kubeconfig", kubeconfig);
        List<String> now = fingerprints(show.out());
        assertThat(now).hasSize(2).doesNotContainAnyElementsOf(original);
    }

    @Test
    void showPrintsBothCertificatesAndTheClusterState() throws Exception {
        cli.run("certs", "generate", "--no-apply");
        X509Certificate server = Pem.readCertificates(Files.readAllBytes(work.resolve("certs/test/tls.crt")))
                .getFirst();

        Run run = cli.run("certs", "show", "--kubeconfig", kubeconfig);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("CA (certs/test/ca.crt)\n  subject: CN=mkplat test CA ")
                .contains("  issuer:  itself (self-signed)\n  key:     ECDSA P-256\n")
                .contains("  permits: *.test and test (name constraint)")
                .contains("Server certificate (certs/test/tls.crt)\n  subject: CN=api.test,O=mkplat\n")
                .contains("  SANs:    api.test, auth.test, images.test, monitoring.test, *.test\n")
                .containsPattern("  valid:   \\d{4}-\\d\\d-\\d\\d to \\d{4}-\\d\\d-\\d\\d \\(39[67] days left\\)")
                .contains("  chain:   verifies against ca.crt (PKIX)")
                .containsPattern("Cluster\n  cannot reach the cluster of context 'kind-dev'");
        assertThat(fingerprints(run.out()))
                .hasSize(2)
                .last()
                .isEqualTo(dev.mkplat.certs.CertificateSummary.of(server).sha256Fingerprint());
    }

    @Test
    void showAsJson() throws Exception {
        cli.run("certs", "generate", "--no-apply");
        Run run = cli.run("certs", "show", "-o", "json", "--kubeconfig", kubeconfig);

        JsonNode json = JsonMapper.builder().build().readTree(run.out());
        assertThat(json.path("server").path("sans").toString())
                .isEqualTo("[\"api.test\",\"auth.test\",\"images.test\",\"monitoring.test\",\"*.test\"]");
        assertThat(json.path("ca").path("permittedDomains").toString()).isEqualTo("[\"test\"]");
        assertThat(json.path("server").path("daysLeft").asInt()).isBetween(396, 397);
        assertThat(json.path("chainVerifies").asBoolean()).isTrue();
        assertThat(json.path("server").path("sha256").asString()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }

    @Test
    void showWithoutCertificatesSaysHowToMakeThem() {
        Run run = cli.run("certs", "show", "--kubeconfig", kubeconfig);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .isEqualTo("mkplat: error: no certificates in " + work.resolve("certs/test")
                        + "\n  hint: mkplat certs generate makes them\n");
    }

    @Test
    void daysOutOfRangeIsABadUsageNamingTheFlag() {
        Run run = cli.run("certs", "generate", "--days", "0", "--no-apply");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("mkplat: error: --days must be between 1 and 825, was 0\n");
        assertThat(work.resolve("certs")).doesNotExist();

        Run keyType = cli.run("certs", "generate", "--key-type", "dsa");
        assertThat(keyType.exitCode()).isEqualTo(2);
        assertThat(keyType.err()).contains("--key-type").contains("EC, RSA");
    }

    @Test
    void unwritableCertsDirectoryIsOneClearErrorAndNoFiles() throws Exception {
        Path certs = Files.createDirectories(work.resolve("certs"));
        LockedDirectory lock = LockedDirectory.lock(certs);
        try {
            Run run = cli.run("certs", "generate", "--no-apply");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err().lines().toList()).hasSize(2);
            assertThat(run.err())
                    .startsWith("mkplat: error: cannot create " + work.resolve("certs/test") + ": ")
                    .contains("  hint: make " + certs + " writable, or choose another place with --certs-dir");
        } finally {
            lock.unlock();
        }
        try (Stream<Path> left = Files.list(certs)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void malformedConfigStopsCertsWithFileLineColumn() throws Exception {
        Files.writeString(work.resolve("mkplat.yaml"), "domain: test\nhosts:\n  api: api.example.com\n");
        Run run = cli.run("certs", "generate", "--no-apply");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .startsWith(
                        "mkplat: error: mkplat.yaml:3:8: hosts.api: 'api.example.com' is outside the domain 'test'");
        assertThat(work.resolve("certs")).doesNotExist();
    }

    @Test
    void trustPrintsInstructionsForThisMachine() {
        cli.run("certs", "generate", "--no-apply");
        Run run = cli.run("certs", "trust");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .startsWith("The mkplat CA for *.test: certs/test/ca.crt\n  sha256: ")
                .contains("Java (")
                .contains("-importcert")
                .contains("mkplat certs trust --install runs these")
                .contains("warning: the JDK ignores name constraints on the CAs it trusts");
    }

    @Test
    void certsWithoutSubcommandPrintsItsHelp() {
        Run run = cli.run("certs");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Usage: mkplat certs")
                .contains("generate")
                .contains("regenerate")
                .contains("show")
                .contains("trust");
    }
}
