package dev.mkplat.certs;

import dev.mkplat.core.AtomicFileWriter;
import dev.mkplat.core.AtomicFileWriter.Content;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The PEM files of one domain, in {@code <root>/<domain>/}: {@code ca.crt}, {@code ca.key} (0600),
 * {@code tls.crt} (the server certificate followed by the CA, as nginx wants the chain) and
 * {@code tls.key} (0600).
 *
 * @param directory the domain's directory, for example {@code certs/test}
 */
public record CertificateFiles(Path directory) {
    /** The default root, relative to the working directory. */
    public static final String DEFAULT_ROOT = "certs";

    public static CertificateFiles of(Path root, String domain) {
        return new CertificateFiles(root.resolve(domain));
    }

    public Path caCertificate() {
        return directory.resolve("ca.crt");
    }

    public Path caKey() {
        return directory.resolve("ca.key");
    }

    public Path serverChain() {
        return directory.resolve("tls.crt");
    }

    public Path serverKey() {
        return directory.resolve("tls.key");
    }

    /**
     * The bytes of one file, empty when it does not exist. A group write that was interrupted is
     * finished first, so the files read belong together.
     */
    Optional<byte[]> read(Path file) {
        AtomicFileWriter.recover(directory);
        try {
            return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (AccessDeniedException e) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    "cannot read " + file + ": permission denied",
                    "the certificate files belong to the user who made them; run mkplat as that user",
                    e);
        } catch (IOException e) {
            throw new MkplatException(ExitCode.FAILED, "cannot read " + file + ": " + e.getMessage(), null, e);
        }
    }

    /** The contents of {@code tls.crt} and {@code tls.key}, for the {@code kubernetes.io/tls} Secret; empty when either is missing. */
    public Optional<TlsPair> tlsPair() {
        Optional<byte[]> chain = read(serverChain());
        Optional<byte[]> key = read(serverKey());
        return chain.isPresent() && key.isPresent()
                ? Optional.of(new TlsPair(chain.get(), key.get()))
                : Optional.empty();
    }

    /**
     * Writes the given PEM texts (file → text) all at once: staged, then moved, so that an
     * unwritable directory leaves no partial files (and a directory this call made is removed again).
     */
    void write(Map<Path, String> files) {
        List<Path> created = createDirectories();
        Map<Path, Content> contents = new LinkedHashMap<>();
        files.forEach((file, text) -> contents.put(
                file,
                new Content(
                        text.getBytes(StandardCharsets.US_ASCII),
                        file.getFileName().toString().endsWith(".key")
                                ? AtomicFileWriter.PRIVATE
                                : AtomicFileWriter.PUBLIC)));
        try {
            AtomicFileWriter.writeAll(contents);
        } catch (MkplatException e) {
            for (Path directoryMade : created.reversed()) {
                try {
                    Files.deleteIfExists(directoryMade);
                } catch (IOException ignored) {
                    // Not empty or not ours to remove: leave it.
                }
            }
            throw e;
        }
    }

    /** Sets a key file back to 0600 when someone widened it; true when it had to. */
    boolean tightenKeyPermissions(Path keyFile) {
        try {
            if (!Files.exists(keyFile) || !Files.getFileStore(keyFile).supportsFileAttributeView("posix")) {
                return false;
            }
            Set<PosixFilePermission> current = Files.getPosixFilePermissions(keyFile);
            if (current.equals(AtomicFileWriter.PRIVATE)) {
                return false;
            }
            Files.setPosixFilePermissions(keyFile, AtomicFileWriter.PRIVATE);
            return true;
        } catch (IOException e) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    "cannot set " + keyFile + " to mode 0600: " + e.getMessage(),
                    "make the file yours (chown) or remove it and run mkplat certs regenerate",
                    e);
        }
    }

    private List<Path> createDirectories() {
        List<Path> missing = new ArrayList<>();
        for (Path step = directory.toAbsolutePath(); step != null && !Files.exists(step); step = step.getParent()) {
            missing.addFirst(step);
        }
        List<Path> created = new ArrayList<>();
        try {
            for (Path step : missing) {
                Files.createDirectory(step);
                created.add(step);
            }
            return created;
        } catch (IOException e) {
            for (Path made : created.reversed()) {
                try {
                    Files.deleteIfExists(made);
                } catch (IOException ignored) {
                    // Best effort.
                }
            }
            Path parent =
                    missing.isEmpty() ? directory : missing.get(created.size()).getParent();
            throw new MkplatException(
                    ExitCode.FAILED,
                    "cannot create " + directory + ": " + AtomicFileWriter.reason(e),
                    "make " + parent + " writable, or choose another place with --certs-dir",
                    e);
        }
    }

    /**
     * The two files of the TLS Secret, as bytes.
     *
     * @param chain {@code tls.crt}
     * @param key   {@code tls.key}
     */
    public record TlsPair(byte[] chain, byte[] key) {
        public TlsPair {
            chain = chain.clone();
            key = key.clone();
        }

        @Override
        public byte[] chain() {
            return chain.clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        /** Never the key: this record may end up in a log line or an assertion message. */
        @Override
        public String toString() {
            return "TlsPair[chain=" + chain.length + " bytes, key=<redacted>]";
        }
    }
}
