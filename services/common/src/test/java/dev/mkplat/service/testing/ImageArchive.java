package dev.mkplat.service.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An image archive as Jib's {@code buildTar} and {@code scripts/images} write it, opened with the
 * system's {@code tar}: the OCI image layout (index.json, blobs) or, failing that, a
 * {@code docker save} manifest.json. Gives the image's config as the runtime reads it and unpacks
 * its layers into a root filesystem.
 */
public final class ImageArchive {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final String refName;
    private final ImageConfig config;
    private final List<Path> layers;

    private ImageArchive(Path dir, String refName, ImageConfig config, List<Path> layers) {
        this.dir = dir;
        this.refName = refName;
        this.config = config;
        this.layers = layers;
    }

    /** What the image's config says about how it runs. Absent values are empty, never null. */
    public record ImageConfig(
            String user,
            List<String> entrypoint,
            List<String> cmd,
            List<String> env,
            String workingDir,
            Set<String> exposedPorts,
            Map<String, String> labels) {}

    /** Extracts {@code archive} into {@code workDir} and reads it. */
    public static ImageArchive open(Path archive, Path workDir) {
        try {
            Path dir = Files.createDirectories(workDir.resolve("archive"));
            HostCommand.run(List.of("tar", "-xf", archive.toString(), "-C", dir.toString()));
            JsonNode manifest;
            String ref;
            if (Files.exists(dir.resolve("index.json"))) {
                JsonNode entry =
                        read(dir.resolve("index.json")).path("manifests").path(0);
                // containerd's full name when present (scripts/lib/oci.sh writes it; there ref.name is
                // only the tag), else OCI's ref.name (Jib writes the whole reference there).
                JsonNode annotations = entry.path("annotations");
                ref = annotations
                        .path("io.containerd.image.name")
                        .asText(annotations
                                .path("org.opencontainers.image.ref.name")
                                .asText(""));
                manifest = read(blob(dir, entry.path("digest").asText()));
            } else {
                JsonNode entry = read(dir.resolve("manifest.json")).path(0);
                ref = entry.path("RepoTags").path(0).asText("");
                ObjectMapper mapper = JSON;
                manifest = mapper.createObjectNode()
                        .set(
                                "config",
                                mapper.createObjectNode()
                                        .put(
                                                "digest",
                                                "sha256:"
                                                        + fileName(entry.path("Config")
                                                                .asText())));
                List<Path> layers = new ArrayList<>();
                entry.path("Layers").forEach(l -> layers.add(dir.resolve(l.asText())));
                return new ImageArchive(
                        dir,
                        ref,
                        config(read(
                                blob(dir, manifest.path("config").path("digest").asText()))),
                        layers);
            }
            List<Path> layers = new ArrayList<>();
            manifest.path("layers")
                    .forEach(l -> layers.add(blob(dir, l.path("digest").asText())));
            return new ImageArchive(
                    dir,
                    ref,
                    config(read(blob(dir, manifest.path("config").path("digest").asText()))),
                    layers);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image archive " + archive, e);
        }
    }

    /** The name the archive gives the image, e.g. {@code mkplat/api:0.1.0}. */
    public String refName() {
        return refName;
    }

    public ImageConfig config() {
        return config;
    }

    /** Unpacks every layer, in order, into {@code rootfs} (created), keeping owners and modes. */
    public Path unpack(Path rootfs) {
        try {
            Files.createDirectories(rootfs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path layer : layers) {
            // -z: every layer here is gzip'd; --same-owner: the uids in the layer (we run as root).
            HostCommand.run(List.of(
                    "tar",
                    "--warning=no-unknown-keyword",
                    "--same-owner",
                    "-xzpf",
                    layer.toString(),
                    "-C",
                    rootfs.toString()));
        }
        return rootfs;
    }

    /** Where the archive was extracted. */
    public Path directory() {
        return dir;
    }

    private static ImageConfig config(JsonNode image) {
        JsonNode c = image.path("config");
        Set<String> ports = new TreeSet<>();
        c.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        Map<String, String> labels = new LinkedHashMap<>();
        c.path("Labels")
                .fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return new ImageConfig(
                c.path("User").asText(""),
                strings(c.path("Entrypoint")),
                strings(c.path("Cmd")),
                strings(c.path("Env")),
                c.path("WorkingDir").asText(""),
                ports,
                labels);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    private static Path blob(Path dir, String digest) {
        return dir.resolve("blobs/sha256").resolve(digest.substring(digest.indexOf(':') + 1));
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static JsonNode read(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }
}
