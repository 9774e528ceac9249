package dev.mkplat.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mkplat.core.MkplatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostsFileTest {
    private static final List<String> HOSTS = List.of("api.test", "auth.test", "images.test", "monitoring.test");
    private static final String ORIGINAL = "127.0.0.1 localhost\n::1 localhost ip6-localhost\n# comment api.test\n";

    @TempDir
    Path dir;

    @Test
    void writeAddsTheLineOnceWithABackup() throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), ORIGINAL);

        assertThat(HostsFile.write(hosts, "192.168.49.2", HOSTS)).isEqualTo(HostsFile.Edit.WRITTEN);
        String once = Files.readString(hosts);
        assertThat(once).isEqualTo(ORIGINAL + "192.168.49.2 api.test auth.test images.test monitoring.test # mkplat\n");
        assertThat(Files.readString(HostsFile.backupOf(hosts))).isEqualTo(ORIGINAL);
        var modified = Files.getLastModifiedTime(hosts);

        assertThat(HostsFile.write(hosts, "192.168.49.2", HOSTS)).isEqualTo(HostsFile.Edit.ALREADY);
        assertThat(Files.readString(hosts)).isEqualTo(once);
        assertThat(Files.getLastModifiedTime(hosts)).isEqualTo(modified);
    }

    @Test
    void aNewAddressReplacesMkplatsOwnLine() throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), ORIGINAL);
        HostsFile.write(hosts, "192.168.49.2", HOSTS);

        assertThat(HostsFile.inspect(Files.readString(hosts), "192.168.58.2", HOSTS)
                        .mapped())
                .isFalse();
        HostsFile.write(hosts, "192.168.58.2", HOSTS);

        assertThat(Files.readString(hosts))
                .isEqualTo(ORIGINAL + "192.168.58.2 api.test auth.test images.test monitoring.test # mkplat\n");
    }

    @Test
    void someoneElsesLineForAHostIsAConflictAndNothingIsWritten() throws Exception {
        String content = ORIGINAL + "10.0.0.5 images.test\n";
        Path hosts = Files.writeString(dir.resolve("hosts"), content);

        HostsFile.Inspection inspection = HostsFile.inspect(content, "192.168.49.2", HOSTS);
        assertThat(inspection.conflicts()).containsExactly("4: 10.0.0.5 images.test");
        assertThat(inspection.unmapped()).containsExactly("api.test", "auth.test", "monitoring.test");

        assertThatThrownBy(() -> HostsFile.write(hosts, "192.168.49.2", HOSTS))
                .isInstanceOf(MkplatException.class)
                .hasMessageContaining("already maps platform hosts elsewhere (line 4: 10.0.0.5 images.test)");
        assertThat(Files.readString(hosts)).isEqualTo(content);
        assertThat(HostsFile.backupOf(hosts)).doesNotExist();
    }

    @Test
    void hostsMappedByTheUsersOwnLinesCount() {
        String content = "192.168.49.2 api.test auth.test\n192.168.49.2 images.test monitoring.test\n";
        assertThat(HostsFile.inspect(content, "192.168.49.2", HOSTS).mapped()).isTrue();
        assertThat(HostsFile.inspect(content, "127.0.0.1", HOSTS).conflicts()).hasSize(2);
    }

    @Test
    void ingressAddressPrefersTheLoadBalancerThenMinikube() {
        assertThat(IngressAddress.find("minikube", Optional.of("10.96.0.10"), command -> Optional.of("192.168.49.2\n")))
                .isEqualTo(new IngressAddress("10.96.0.10", "the ingress-nginx LoadBalancer"));
        assertThat(IngressAddress.find("minikube", Optional.empty(), command -> {
                    assertThat(command).containsExactly("minikube", "ip", "-p", "minikube");
                    return Optional.of("192.168.49.2\n");
                }))
                .isEqualTo(new IngressAddress("192.168.49.2", "minikube ip"));
        assertThat(IngressAddress.find("minikube", Optional.empty(), command -> Optional.empty())
                        .address())
                .isEqualTo("127.0.0.1");
        assertThat(IngressAddress.find("kind-dev", Optional.empty(), command -> {
                            throw new AssertionError("minikube is only asked about minikube contexts");
                        })
                        .address())
                .isEqualTo("127.0.0.1");
    }

    @Test
    void theFileIsReplacedByARenameKeepingItsModeAndOwner() throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), ORIGINAL);
        Files.setPosixFilePermissions(hosts, PosixFilePermissions.fromString("rw-r-----"));
        boolean root = "root".equals(System.getProperty("user.name"));
        UserPrincipalLookupService users = hosts.getFileSystem().getUserPrincipalLookupService();
        if (root) {
            Files.setOwner(hosts, users.lookupPrincipalByName("nobody"));
        }
        Object inode = Files.getAttribute(hosts, "unix:ino");
        Path link = Files.createLink(dir.resolve("old-inode"), hosts); // sees what a reader holding the old file sees

        HostsFile.write(hosts, "192.168.49.2", HOSTS);

        assertThat(Files.getAttribute(hosts, "unix:ino"))
                .as("a new file was renamed into place")
                .isNotEqualTo(inode);
        assertThat(Files.readString(link)).isEqualTo(ORIGINAL);
        assertThat(Files.readString(hosts))
                .endsWith("192.168.49.2 api.test auth.test images.test monitoring.test # mkplat\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hosts)))
                .isEqualTo("rw-r-----");
        if (root) {
            assertThat(Files.getOwner(hosts).getName()).isEqualTo("nobody");
        }
        try (var left = Files.list(dir)) {
            assertThat(left.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("hosts", "hosts.mkplat.bak", "old-inode");
        }
    }

    /** A container's /etc/hosts is a bind mount, which a rename cannot replace: it is rewritten in place there. */
    @Test
    void aBindMountedFileIsRewrittenInPlace() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "bind mounts need root");
        Path source = Files.writeString(dir.resolve("real-hosts"), ORIGINAL);
        Path hosts = Files.writeString(dir.resolve("hosts"), "");
        assumeTrue(
                new ProcessBuilder("mount", "--bind", source.toString(), hosts.toString())
                                .start()
                                .waitFor()
                        == 0,
                "mount --bind failed");
        try {
            HostsFile.write(hosts, "192.168.49.2", HOSTS);

            String expected = ORIGINAL + "192.168.49.2 api.test auth.test images.test monitoring.test # mkplat\n";
            assertThat(Files.readString(hosts)).isEqualTo(expected);
            assertThat(Files.readString(source)).isEqualTo(expected);
        } finally {
            new ProcessBuilder("umount", hosts.toString()).start().waitFor();
        }
        try (var left = Files.list(dir)) {
            assertThat(left.map(path -> path.getFileName().toString()))
                    .containsExactlyInAnyOrder("hosts", "hosts.mkplat.bak", "real-hosts");
        }
    }

    @Test
    void onlyTheExactLineMkplatWroteIsReplaced() throws Exception {
        String others = "10.1.1.1 wiki.corp # mkplat\n10.1.1.2 api.test.example # mkplat\n";
        Path hosts = Files.writeString(
                dir.resolve("hosts"),
                ORIGINAL + others + "  192.168.49.2 api.test auth.test images.test monitoring.test # mkplat\n");

        HostsFile.write(hosts, "fd00::2", HOSTS);

        assertThat(Files.readString(hosts))
                .isEqualTo(ORIGINAL + others + "fd00::2 api.test auth.test images.test monitoring.test # mkplat\n");
    }

    @Test
    void anAddressThatIsNotAnIpAddressIsRefusedAndNothingIsWritten() throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), ORIGINAL);
        for (String address : List.of(
                "192.168.49.2\n10.6.6.6 bank.example", "lb.example.com", "192.168.49.256", "", "1.2.3.4 # mkplat")) {
            assertThatThrownBy(() -> HostsFile.write(hosts, address, HOSTS))
                    .as(address)
                    .isInstanceOf(MkplatException.class)
                    .hasMessageContaining("is not an IP address")
                    .hasMessageNotContaining("\n");
        }
        assertThat(Files.readString(hosts)).isEqualTo(ORIGINAL);
        assertThat(HostsFile.backupOf(hosts)).doesNotExist();
    }

    @Test
    void aLoadBalancerAddressThatIsNotAnIpAddressIsNotUsed() {
        assertThat(IngressAddress.find(
                                "kind-dev", Optional.of("10.0.0.1\n10.6.6.6 bank.example"), command -> Optional.empty())
                        .address())
                .isEqualTo("127.0.0.1");
        assertThat(IngressAddress.find("kind-dev", Optional.of("2001:db8::7"), command -> Optional.empty())
                        .address())
                .isEqualTo("2001:db8::7");
    }
}
