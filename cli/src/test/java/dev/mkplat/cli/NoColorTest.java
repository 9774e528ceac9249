package dev.mkplat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --no-color and NO_COLOR also reach picocli's own help, which would otherwise color for a terminal. */
class NoColorTest {
    private static final String ESCAPE = "\u001b[";

    @TempDir
    Path work;

    String before;

    @BeforeEach
    void pretendPicocliWritesToATerminal() {
        before = System.getProperty("picocli.ansi");
        System.setProperty("picocli.ansi", "true");
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty("picocli.ansi");
        } else {
            System.setProperty("picocli.ansi", before);
        }
    }

    @Test
    void helpIsColoredOnATerminalUnlessAskedNotTo() {
        CliSession terminal = CliSession.in(work, work).onTerminal();
        assertThat(terminal.run("certs", "--help").out()).contains(ESCAPE);
        assertThat(terminal.run("--no-color", "certs", "--help").out())
                .doesNotContain(ESCAPE)
                .contains("Usage: mkplat certs");
        assertThat(terminal.run("certs", "--no-color", "--help").out()).doesNotContain(ESCAPE);
        assertThat(terminal.withVariable("NO_COLOR", "1").run("certs", "--help").out())
                .doesNotContain(ESCAPE);
    }
}
