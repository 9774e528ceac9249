package dev.mkplat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkplat.core.AtomicFileWriter.Content;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A group of files (a certificate and its key) is seen all old or all new, also after a crash between the moves. */
class AtomicFileWriterTest {
    @TempDir
    Path dir;

    /** Stands for the process dying: thrown after a move, it skips every clean-up the writer has. */
    private static final class Crash extends RuntimeException {}

    private Map<Path, Content> group(String generation) {
        Map<Path, Content> files = new LinkedHashMap<>();
        files.put(
                dir.resolve("tls.crt"),
                new Content(("crt " + generation).getBytes(StandardCharsets.US_ASCII), AtomicFileWriter.PUBLIC));
        files.put(
                dir.resolve("tls.key"),
                new Content(("key " + generation).getBytes(StandardCharsets.US_ASCII), AtomicFileWriter.PRIVATE));
        return files;
    }

    private String read(String name) throws Exception {
        return Files.readString(dir.resolve(name));
    }

    private String[] left() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(path -> path.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void aGroupInterruptedAfterItsFirstMoveIsFinishedByTheNextReader() throws Exception {
        AtomicFileWriter.writeAll(group("old"));

        assertThatThrownBy(() -> AtomicFileWriter.writeAll(group("new"), moved -> {
                    throw new Crash();
                }))
                .isInstanceOf(Crash.class);
        // What a crash leaves: the new certificate with the old key, and the journal that says so.
        assertThat(read("tls.crt")).isEqualTo("crt new");
        assertThat(read("tls.key")).isEqualTo("key old");
        assertThat(AtomicFileWriter.journalOf(dir)).exists();

        AtomicFileWriter.recover(dir);

        assertThat(read("tls.crt")).isEqualTo("crt new");
        assertThat(read("tls.key")).isEqualTo("key new");
        assertThat(left()).containsExactly("tls.crt", "tls.key");
        assertThat(Files.getPosixFilePermissions(dir.resolve("tls.key"))).isEqualTo(AtomicFileWriter.PRIVATE);
        AtomicFileWriter.recover(dir); // nothing left to do
        assertThat(read("tls.key")).isEqualTo("key new");
    }

    @Test
    void theNextWriteFinishesAnInterruptedOneBeforeItsOwn() throws Exception {
        AtomicFileWriter.writeAll(group("1"));
        assertThatThrownBy(() -> AtomicFileWriter.writeAll(group("2"), moved -> {
                    throw new Crash();
                }))
                .isInstanceOf(Crash.class);

        AtomicFileWriter.writeAll(group("3"));

        assertThat(read("tls.crt")).isEqualTo("crt 3");
        assertThat(read("tls.key")).isEqualTo("key 3");
        assertThat(left()).containsExactly("tls.crt", "tls.key");
    }

    @Test
    void aCompleteGroupLeavesNoJournalAndASingleFileNeedsNone() throws Exception {
        AtomicFileWriter.writeAll(
                group("old"),
                moved -> assertThat(AtomicFileWriter.journalOf(dir)).exists());
        assertThat(left()).containsExactly("tls.crt", "tls.key");

        AtomicFileWriter.write(
                dir.resolve("ca.crt"), "ca".getBytes(StandardCharsets.US_ASCII), AtomicFileWriter.PUBLIC);
        assertThat(left()).containsExactly("ca.crt", "tls.crt", "tls.key");
    }
}
