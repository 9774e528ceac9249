package dev.mkplat.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The image archive the Maven build wrote for one service: {@code services/<service>/target/image/<service>.tar}
 * (an OCI image layout in a tar), and next to it the manifest digest Jib recorded, which is the
 * digest a registry shows once the archive is pushed.
 *
 * @param service    {@code api}, {@code auth} or {@code images}
 * @param archive    the tar
 * @param digestFile the {@code .digest} file next to it
 */
public record ServiceArchive(String service, Path archive, Path digestFile) {
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    /** Whether the archive exists. */
    public boolean built() {
        return Files.isRegularFile(archive);
    }

    /** The digest Jib wrote, when the archive and a well-formed digest file are there. */
    public Optional<String> digest() {
        if (!built() || !Files.isRegularFile(digestFile)) {
            return Optional.empty();
        }
        try {
            String digest =
                    Files.readString(digestFile, StandardCharsets.US_ASCII).strip();
            return DIGEST.matcher(digest).matches() ? Optional.of(digest) : Optional.empty();
        } catch (IOException unreadable) {
            return Optional.empty();
        }
    }
}
