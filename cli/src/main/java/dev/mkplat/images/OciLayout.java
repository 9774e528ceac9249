package dev.mkplat.images;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OCI image layout unpacked from an image archive (Jib's {@code buildTar} with the OCI format:
 * {@code oci-layout}, {@code index.json}, {@code blobs/sha256/...}, one image). crane pushes the
 * directory as it is, so the registry shows the archive's digest. For {@code minikube image load}
 * and {@code kind load image-archive} it writes a tar that names the image the way each runtime
 * reads a name: containerd's {@code io.containerd.image.name} annotation and Docker's {@code
 * manifest.json} (Jib's archive has neither, only the short {@code org.opencontainers.image.ref.name}).
 *
 * @param directory where the layout is unpacked
 */
public record OciLayout(Path directory) {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int BLOCK = 512;

    /** Unpacks an archive (a plain tar) into {@code directory}. */
    public static OciLayout unpack(Path archive, Path directory) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive))) {
            byte[] header = new byte[BLOCK];
            String longName = null;
            while (in.readNBytes(header, 0, BLOCK) == BLOCK && header[0] != 0) {
                String name = longName != null ? longName : name(header);
                longName = null;
                long size = Long.parseLong(
                        field(header, 124, 12).strip().isEmpty()
                                ? "0"
                                : field(header, 124, 12).strip(),
                        8);
                char type = (char) header[156];
                long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                if (type == 'L' || type == 'x') {
                    byte[] data = in.readNBytes((int) padded);
                    if (type == 'L') {
                        longName = new String(data, 0, (int) size, StandardCharsets.UTF_8).replace("\0", "");
                    } else {
                        longName = paxPath(new String(data, 0, (int) size, StandardCharsets.UTF_8));
                    }
                    continue;
                }
                Path target = directory.resolve(name).normalize();
                if (!target.startsWith(directory)) {
                    throw new MkplatException(
                            ExitCode.FAILED, archive + " has an entry outside the archive: " + name, null);
                }
                if (type == '5') {
                    Files.createDirectories(target);
                } else if (type == '0' || type == 0) {
                    Files.createDirectories(target.getParent());
                    try (OutputStream file = Files.newOutputStream(target)) {
                        copy(in, file, size);
                    }
                    in.skipNBytes(padded - size);
                } else {
                    in.skipNBytes(padded);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof MkplatException known) {
                throw known;
            }
            throw new MkplatException(
                    ExitCode.FAILED,
                    "cannot read the image archive " + archive + ": " + e.getMessage(),
                    "build it again: mkplat images build",
                    e);
        }
        OciLayout layout = new OciLayout(directory);
        layout.manifestDigest();
        return layout;
    }

    /** The image's manifest digest, from {@code index.json}: what a registry shows once it is pushed. */
    public String manifestDigest() {
        JsonNode manifests = index().path("manifests");
        if (manifests.size() != 1
                || !manifests.get(0).path("digest").asString("").startsWith("sha256:")) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    directory + "/index.json does not hold exactly one image",
                    "build it again: mkplat images build");
        }
        return manifests.get(0).path("digest").asString();
    }

    /**
     * Writes a tar of this layout that names the image {@code reference} for containerd (the
     * index's {@code io.containerd.image.name}) and for Docker ({@code manifest.json}), around the
     * same blobs: the digest does not change.
     */
    public void writeNamedArchive(Path out, String reference) {
        try {
            ObjectNode index = (ObjectNode) index();
            ObjectNode entry = (ObjectNode) index.path("manifests").get(0);
            ObjectNode annotations = JSON.createObjectNode();
            annotations.put("io.containerd.image.name", reference);
            annotations.put("org.opencontainers.image.ref.name", reference.substring(reference.lastIndexOf(':') + 1));
            entry.set("annotations", annotations);
            JsonNode manifest = JSON.readTree(blob(manifestDigest()));
            ArrayNode layers = JSON.createArrayNode();
            manifest.path("layers")
                    .forEach(layer -> layers.add(blobPath(layer.path("digest").asString())));
            ObjectNode saved = JSON.createObjectNode();
            saved.put("Config", blobPath(manifest.path("config").path("digest").asString()));
            saved.set("RepoTags", JSON.createArrayNode().add(reference));
            saved.set("Layers", layers);
            Map<String, Object> entries = new TreeMap<>();
            entries.put("oci-layout", Files.readAllBytes(directory.resolve("oci-layout")));
            entries.put("index.json", JSON.writeValueAsBytes(index));
            entries.put(
                    "manifest.json",
                    JSON.writeValueAsBytes(JSON.createArrayNode().add(saved)));
            try (var blobs = Files.list(directory.resolve("blobs/sha256"))) {
                blobs.sorted().forEach(blob -> entries.put("blobs/sha256/" + blob.getFileName(), blob));
            }
            try (OutputStream tar = new BufferedOutputStream(Files.newOutputStream(out))) {
                for (Map.Entry<String, Object> item : entries.entrySet()) {
                    if (item.getValue() instanceof byte[] bytes) {
                        writeEntry(tar, item.getKey(), bytes.length, new ByteArrayInputStream(bytes));
                    } else {
                        Path file = (Path) item.getValue();
                        try (InputStream in = Files.newInputStream(file)) {
                            writeEntry(tar, item.getKey(), Files.size(file), in);
                        }
                    }
                }
                tar.write(new byte[BLOCK * 2]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode index() {
        try {
            return JSON.readTree(Files.readAllBytes(directory.resolve("index.json")));
        } catch (IOException | RuntimeException e) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    "no readable index.json in the image archive (" + e.getMessage() + ")",
                    "build it again: mkplat images build",
                    e);
        }
    }

    private byte[] blob(String digest) throws IOException {
        return Files.readAllBytes(directory.resolve(blobPath(digest)));
    }

    private static String blobPath(String digest) {
        return "blobs/" + digest.replace(':', '/');
    }

    private static void writeEntry(OutputStream tar, String name, long size, InputStream content) throws IOException {
        byte[] header = new byte[BLOCK];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", size));
        put(header, 136, "00000000000");
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        tar.write(header);
        long copied = copy(content, tar, size);
        long padding = (BLOCK - copied % BLOCK) % BLOCK;
        tar.write(new byte[(int) padding]);
    }

    private static long copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = size;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new IOException("the archive ends in the middle of an entry");
            }
            out.write(buffer, 0, read);
            left -= read;
        }
        return size;
    }

    private static void put(byte[] header, int offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > 100 && offset == 0) {
            throw new IllegalArgumentException("name too long for a tar header: " + value);
        }
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    private static String name(byte[] header) {
        String name = field(header, 0, 100);
        String prefix = field(header, 345, 155);
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }

    /** The {@code path} record of a pax extended header, if it has one. */
    private static String paxPath(String records) {
        List<String> paths = new ArrayList<>();
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.substring(space + 1).startsWith("path=")) {
                paths.add(record.substring(space + 1 + "path=".length()));
            }
        }
        return paths.isEmpty() ? null : paths.getFirst();
    }
}
