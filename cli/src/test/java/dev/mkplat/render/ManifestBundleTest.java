package dev.mkplat.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkplat.core.MkplatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestBundleTest {
    @TempDir
    Path root;

    @Test
    void indexListsFilesInOrderSkippingCommentsAndBlankLines() {
        assertThat(ManifestBundle.index("# header\n\na/one.yaml  # trailing\n b/two.yaml\n"))
                .containsExactly("a/one.yaml", "b/two.yaml");
    }

    @Test
    void directoryBundleParsesEveryDocumentOfEveryListedFile() throws IOException {
        Files.createDirectories(root.resolve("app"));
        Files.writeString(root.resolve("index.txt"), "app/all.yaml\n");
        Files.writeString(root.resolve("app/all.yaml"), """
                # a comment-only document first
                ---
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: app
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  namespace: app
                data:
                  PORT: "8080"
                """);
        ManifestBundle bundle = ManifestBundle.load(ManifestSource.directory(root));
        assertThat(bundle.objects()).extracting(object -> object.getKind()).containsExactly("Namespace", "ConfigMap");
        assertThat(bundle.secretsSpec()).isEqualTo("secrets: []\n");
        assertThat(KubernetesYaml.toYaml(bundle.objects().get(1))).contains("PORT: \"8080\"");
    }

    @Test
    void missingFileIsAUsageErrorNamingIt() throws IOException {
        Files.writeString(root.resolve("index.txt"), "gone.yaml\n");
        assertThatThrownBy(() -> ManifestBundle.load(ManifestSource.directory(root)))
                .isInstanceOf(MkplatException.class)
                .hasMessageContaining("gone.yaml does not exist");
    }

    @Test
    void theJarHoldsTheBundleWithItsSecretSpecification() {
        ManifestBundle bundle = ManifestBundle.bundled();
        assertThat(bundle.files()).hasSizeGreaterThan(10);
        assertThat(bundle.files().getFirst().path()).isEqualTo("namespaces/namespaces.yaml");
        assertThat(bundle.secretsSpec()).contains("kind: GeneratedSecrets");
    }
}
