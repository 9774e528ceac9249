package dev.mkplat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.cli.CliSession.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionCommandTest {
    @TempDir
    Path work;

    @Test
    void bashScriptCompletesTheCommandsAndTheirOptions() {
        Run run = CliSession.in(work, work).run("completion", "bash");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("complete -F _complete_mkplat")
                .contains("init")
                .contains("certs")
                .contains("generate")
                .contains("--write-hosts")
                .contains("--key-type");
    }

    @Test
    void zshScriptLoadsBashCompatibilityFirst() {
        Run run = CliSession.in(work, work).run("completion", "zsh");
        assertThat(run.out())
                .startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n")
                .contains("complete -F _complete_mkplat");
    }

    @Test
    void unknownShellIsABadUsage() {
        Run run = CliSession.in(work, work).run("completion", "fish");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("fish").contains("BASH, ZSH");
    }
}
