package dev.mkplat.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tar that minikube and kind load: the same blobs and digest, named for containerd and Docker; GNU tar reads it. */
class OciLayoutTest {
    @TempDir
    Path work;

    @Test
    void namedArchiveKeepsTheDigestAndNamesTheImageForBothRuntimes() throws Exception {
        Path layout = Files.createDirectories(work.resolve("layout/blobs/sha256"));
        String layer = blob(layout, "not really a layer, but bytes");
        String config = blob(layout, "{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        String manifest = blob(
                layout,
                "{\"schemaVersion\":2,\"config\":{\"digest\":\"" + config + "\"},\"layers\":[{\"digest\":\"" + layer
                        + "\"}]}");
        Files.writeString(work.resolve("layout/oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(
                work.resolve("layout/index.json"),
                "{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"" + manifest
                        + "\",\"annotations\":{\"org.opencontainers.image.ref.name\":\"mkplat/api:1.0\"}}]}");

        Path named = work.resolve("api.tar");
        new OciLayout(work.resolve("layout")).writeNamedArchive(named, "docker.io/mkplat/api:1.0");

        assertThat(run("tar", "-tf", named.toString()).lines())
                .containsExactlyInAnyOrder(
                        "blobs/sha256/" + config.substring(7),
                        "blobs/sha256/" + layer.substring(7),
                        "blobs/sha256/" + manifest.substring(7),
                        "index.json",
                        "manifest.json",
                        "oci-layout");
        OciLayout again = OciLayout.unpack(named, work.resolve("again"));
        assertThat(again.manifestDigest()).isEqualTo(manifest);
        assertThat(Files.readString(work.resolve("again/index.json")))
                .contains(
                        "\"io.containerd.image.name\":\"docker.io/mkplat/api:1.0\"",
                        "\"org.opencontainers.image.ref.name\":\"1.0\"");
        assertThat(Files.readString(work.resolve("again/manifest.json")))
                .isEqualTo("[{\"Config\":\"blobs/sha256/" + config.substring(7)
                        + "\",\"RepoTags\":[\"docker.io/mkplat/api:1.0\"],\"Layers\":[\"blobs/sha256/"
                        + layer.substring(7) + "\"]}]");
        assertThat(Files.readString(work.resolve("again/blobs/sha256/" + layer.substring(7))))
                .isEqualTo("not really a layer, but bytes");
    }

    private static String blob(Path blobs, String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String hex =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        Files.write(blobs.resolve(hex), bytes);
        return "sha256:" + hex;
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        process.getInputStream().transferTo(out);
        assertThat(process.waitFor()).as(out.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
