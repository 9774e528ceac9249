package dev.mkplat.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Writes files so that a reader sees the old content or the new, never half of it: each file is
 * written to a temporary file in the same directory, with its final permissions from creation
 * (a key is never world-readable, not even for a moment), synced to disk, then moved over the target.
 * A group of files is staged completely before the first move, so an unwritable directory leaves
 * nothing behind.
 *
 * <p>A group in one directory (a certificate and its key) is committed as a whole: once every file is
 * staged, a journal naming the staged files is written (atomically, synced) before the first move and
 * removed after the last. A crash or failure between the moves leaves the journal, and {@link
 * #recover} finishes the moves before anyone reads the group, so a reader that recovers first sees
 * either all the old files or all the new, never a new certificate with an old key.
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

    private AtomicFileWriter() {}

    /** Writes one file atomically. */
    public static void write(Path target, byte[] bytes, Set<PosixFilePermission> permissions) {
        writeAll(Map.of(target, new Content(bytes, permissions)));
    }

    /** The journal of a group being moved into {@code directory}; present only between the first and the last move. */
    public static Path journalOf(Path directory) {
        return directory.resolve(JOURNAL);
    }

    private static final String JOURNAL = ".mkplat-group.pending";

    /**
     * Writes every file: all are staged as temporary files first, then moved into place. When staging
     * fails, no target is touched and no temporary file is left. Files in one directory are committed
     * as a group (see the class comment).
     */
    public static void writeAll(Map<Path, Content> files) {
        writeAll(files, moved -> {});
    }

    /** {@link #writeAll(Map)}, calling {@code afterMove} after each move: tests interrupt a group there. */
    static void writeAll(Map<Path, Content> files, Consumer<Path> afterMove) {
        Map<Path, Path> staged = new LinkedHashMap<>();
        Path journal = null;
        try {
            for (Map.Entry<Path, Content> file : files.entrySet()) {
                staged.put(file.getKey(), stage(file.getKey(), file.getValue()));
            }
            Path directory = parentOf(files.keySet().iterator().next());
            boolean group = staged.size() > 1
                    && staged.keySet().stream()
                            .allMatch(target -> parentOf(target).equals(directory));
            if (group) {
                recover(directory); // an older interrupted group is finished first, so the two never mix
                writeJournal(directory, staged);
                journal = journalOf(directory);
            }
            for (Map.Entry<Path, Path> entry : staged.entrySet()) {
                Files.move(
                        entry.getValue(),
                        entry.getKey(),
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                afterMove.accept(entry.getKey());
            }
            syncDirectory(directory);
            if (journal != null) {
                Files.delete(journal);
                syncDirectory(directory);
            }
        } catch (IOException e) {
            if (journal != null) {
                // The group is committed: finish it rather than leave it half moved.
                try {
                    recover(parentOf(journal));
                } catch (MkplatException stillBroken) {
                    e.addSuppressed(stillBroken);
                }
                throw failure(files, e);
            }
            for (Path temporary : staged.values()) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // Best effort: the original failure is what the user needs to see.
                }
            }
            throw failure(files, e);
        }
    }

    private static MkplatException failure(Map<Path, Content> files, IOException e) {
        Path where = e instanceof FileSystemException fs && fs.getFile() != null
                ? Path.of(fs.getFile())
                : files.keySet().iterator().next();
        return new MkplatException(
                ExitCode.FAILED,
                "cannot write " + where + ": " + reason(e),
                "check that the directory exists and is writable by you (ls -ld " + parentOf(where) + ")",
                e);
    }

    /**
     * Finishes a group that a crash or failure interrupted in {@code directory}: every staged file the
     * journal names that is still there is moved into place, then the journal goes. Nothing to do
     * (the usual case) when there is no journal. Readers of a group call this first.
     *
     * @throws MkplatException exit 1 when the moves cannot be finished (for example without write rights)
     */
    public static void recover(Path directory) {
        Path journal = journalOf(directory);
        if (!Files.exists(journal)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                String[] names = line.split("\t");
                if (names.length != 2 || names[0].contains("/") || names[1].contains("/")) {
                    continue; // not ours: the journal only ever names files of its own directory
                }
                Path temporary = directory.resolve(names[0]);
                if (Files.exists(temporary)) {
                    Files.move(
                            temporary,
                            directory.resolve(names[1]),
                            StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
            syncDirectory(directory);
            Files.delete(journal);
            syncDirectory(directory);
        } catch (IOException e) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    "cannot finish the interrupted write in " + directory + ": " + reason(e),
                    "run mkplat as the user who owns " + directory + ", or remove it and generate again",
                    e);
        }
    }

    /** The journal: one line per file, staged name and target name, written and synced before it appears. */
    private static void writeJournal(Path directory, Map<Path, Path> staged) throws IOException {
        StringBuilder text = new StringBuilder();
        staged.forEach((target, temporary) -> text.append(temporary.getFileName())
                .append('\t')
                .append(target.getFileName())
                .append('\n'));
        Path temporary = Files.createTempFile(directory, JOURNAL + ".", ".tmp");
        try {
            writeSynced(temporary, text.toString().getBytes(StandardCharsets.UTF_8));
            Files.move(
                    temporary,
                    journalOf(directory),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        syncDirectory(directory);
    }

    private static void writeSynced(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel =
                FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** Makes the directory's entries (the renames) durable; where a directory cannot be opened (Windows), the rename has to do. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // Not every platform lets a directory be opened; the data itself was synced before the rename.
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
            writeSynced(temporary, content.bytes());
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
