package dev.mkplat.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HelmReleasesTest {
    @Test
    void decodesHelmsRecordBase64OfBase64OfGzippedJson() throws Exception {
        String record = """
                {"name":"kube-prometheus-stack","version":3,"namespace":"monitoring",
                 "info":{"status":"deployed","description":"mkplat 0123456789abcdef"},
                 "chart":{"metadata":{"name":"kube-prometheus-stack","version":"75.13.0"}},"config":{"a":1}}
                """;
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(record.getBytes(StandardCharsets.UTF_8));
        }
        String helmValue = Base64.getEncoder().encodeToString(gzipped.toByteArray());
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                .withName("sh.helm.release.v1.kube-prometheus-stack.v3")
                .withLabels(
                        Map.of("owner", "helm", "name", "kube-prometheus-stack", "version", "3", "status", "deployed"))
                .endMetadata()
                .withData(Map.of(
                        "release", Base64.getEncoder().encodeToString(helmValue.getBytes(StandardCharsets.US_ASCII))))
                .build();

        assertThat(HelmReleases.decode(secret, "kube-prometheus-stack"))
                .isEqualTo(new HelmReleases.StoredRelease(
                        "kube-prometheus-stack",
                        3,
                        "deployed",
                        "kube-prometheus-stack",
                        "75.13.0",
                        "mkplat 0123456789abcdef"));
    }

    @Test
    void helmGetsTheKubeconfigWithTheChosenContextCurrent(@TempDir Path dir) throws Exception {
        Path kubeconfig = Files.writeString(dir.resolve("config"), """
                apiVersion: v1
                kind: Config
                current-context: a
                contexts:
                  - name: a
                    context: {cluster: a, user: a}
                  - name: b
                    context: {cluster: b, user: b}
                """);

        String text = HelmReleases.kubeconfig(
                new KubeTarget(java.util.Optional.of(kubeconfig), java.util.Optional.of("b")), "b");

        assertThat(text).contains("current-context: \"b\"").contains("name: \"a\"");
    }
}
