package dev.mkplat.preflight;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.mkplat.core.MkplatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostsFileTest {
    private static final List<String> HOSTS = List.of("api.test", "auth.test", "images.test", "monitoring.test");
    private static final String ORIGINAL = "127.0.0.1 localhost\n::1 localhost ip6-localhost\n# comment api.test\n";

    @TempDir
    Path dir;

    @Test
    void writeAddsTheLineOnceWithABackup() throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), ORIGINAL);

        assertThat(HostsFile.write(hosts, "192.168.49.2", HOSTS)).isEqualTo(HostsFile.Outcome.WRITTEN);
        String once = Files.readString(hosts);
        assertThat(once).isEqualTo(ORIGINAL + "192.168.49.2 api.test auth.test images.test monitoring.test # mkplat\n");
        assertThat(Files.readString(HostsFile.backupOf(hosts))).isEqualTo(ORIGINAL);
        var modified = Files.getLastModifiedTime(hosts);

        assertThat(HostsFile.write(hosts, "192.168.49.2", HOSTS)).isEqualTo(HostsFile.Outcome.ALREADY);
        assertThat(Files.readString(hosts)).isEqualTo(once);
        assertThat(Files.getLastModifiedTime(hosts)).isEqualTo(modified);
    }

    @Test
    void aNewAddressReplacesMkplatsOwnLine() throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), ORIGINAL);
        HostsFile.write(hosts, "192.168.49.2", HOSTS);

        assertThat(HostsFile.inspect(Files.readString(hosts), "192.168.58.2", HOSTS).mapped()).isFalse();
        HostsFile.write(hosts, "192.168.58.2", HOSTS);

        assertThat(Files.readString(hosts)).isEqualTo(ORIGINAL + "192.168.58.2 api.test auth.test images.test monitoring.test # mkplat\n");
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
        })).isEqualTo(new IngressAddress("192.168.49.2", "minikube ip"));
        assertThat(IngressAddress.find("minikube", Optional.empty(), command -> Optional.empty()).address()).isEqualTo("127.0.0.1");
        assertThat(IngressAddress.find("kind-dev", Optional.empty(), command -> {
            throw new AssertionError("minikube is only asked about minikube contexts");
        }).address()).isEqualTo("127.0.0.1");
    }
}
