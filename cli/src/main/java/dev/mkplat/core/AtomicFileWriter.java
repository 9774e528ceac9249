package dev.mkplat.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Writes files so that a reader sees the old content or the new, never half of it: each file is
 * written to a temporary file in the same directory, with its final permissions from creation
 * (a key is never world-readable, not even for a moment), then moved over the target. A group of
 * files is staged completely before the first move, so an unwritable directory leaves nothing behind.
 */
public final class AtomicFileWriter {
    /** Owner read/write only: private keys. */
    public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    /** Owner read/write, everyone read: certificates and config. */
    public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    /** The content and permissions of one file to write. */
    public record Content(byte[] bytes, Set<PosixFilePermission> permissions) {
        public Content {
            bytes = bytes.clone();
            permissions = Set.copyOf(permissions);
        }
    }

    private AtomicFileWriter() {
    }

    /** Writes one file atomically. */
    public static void write(Path target, byte[] bytes, Set<PosixFilePermission> permissions) {
        writeAll(Map.of(target, new Content(bytes, permissions)));
    }

    /**
     * Writes every file: all are staged as temporary files first, then moved into place. When staging
     * fails, no target is touched and no temporary file is left.
     */
    public static void writeAll(Map<Path, Content> files) {
        Map<Path, Path> staged = new LinkedHashMap<>();
        try {
            for (Map.Entry<Path, Content> file : files.entrySet()) {
                staged.put(file.getKey(), stage(file.getKey(), file.getValue()));
            }
            for (Map.Entry<Path, Path> entry : staged.entrySet()) {
                Files.move(entry.getValue(), entry.getKey(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            for (Path temporary : staged.values()) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // Best effort: the original failure is what the user needs to see.
                }
            }
            Path where = e instanceof FileSystemException fs && fs.getFile() != null ? Path.of(fs.getFile()) : files.keySet().iterator().next();
            String why = reason(e);
            throw new MkplatException(ExitCode.FAILED, "cannot write " + where + ": " + why,
                    "check that the directory exists and is writable by you (ls -ld " + parentOf(where) + ")", e);
        }
    }

    private static Path stage(Path target, Content content) throws IOException {
        Path directory = parentOf(target);
        Path temporary;
        if (Files.getFileStore(directory).supportsFileAttributeView("posix")) {
            FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(content.permissions());
            temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp", mode);
            Files.setPosixFilePermissions(temporary, content.permissions()); // the umask may have removed bits
        } else {
            temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
        }
        try {
            Files.write(temporary, content.bytes());
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        return temporary;
    }

    /** The operating system's reason for {@code failure}, without the path Java repeats in its message. */
    public static String reason(IOException failure) {
        if (failure instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (failure instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return switch (failure) {
            case FileAlreadyExistsException exists -> exists.getFile() + " exists and is not a directory";
            case NoSuchFileException missing -> missing.getFile() + " does not exist";
            case NotDirectoryException notDirectory -> notDirectory.getFile() + " is not a directory";
            default -> String.valueOf(failure.getMessage());
        };
    }

    private static Path parentOf(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        return parent == null ? Path.of("") : parent;
    }
}
