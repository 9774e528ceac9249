package dev.mkplat.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mkplat completion bash|zsh}: the shell completion script, generated from the commands themselves. */
@Command(
        name = "completion",
        usageHelpAutoWidth = true,
        header = "Prints a shell completion script for bash or zsh.",
        description = {
            "",
            "The script completes every command, option and enumerated value (for example --format and",
            "chaos targets). It is printed, not installed: put it where your shell reads it (below).",
        },
        footer = {
            "",
            "Install:",
            "  bash:  source <(mkplat completion bash)          # or save it to /etc/bash_completion.d/mkplat",
            "  zsh:   source <(mkplat completion zsh)           # in ~/.zshrc",
        })
public final class CompletionCommand implements Callable<Integer> {
    /** The shells picocli's generated script supports (zsh through its bash-completion emulation). */
    enum Shell {
        BASH,
        ZSH
    }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Override
    public Integer call() {
        String script = AutoComplete.bash(spec.root().name(), spec.root().commandLine());
        if (shell == Shell.ZSH) {
            // picocli's script runs in zsh once bashcompinit emulates bash's complete builtin.
            script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
