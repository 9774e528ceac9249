package dev.mkplat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.core.Environment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The process builds only the subcommand it runs (Cli.create(args)); what it prints must be what
 * the command line with every command built prints, for help, usage errors and suggestions.
 */
class LazySubcommandsTest {
    @TempDir
    Path work;

    record Run(int exitCode, String out, String err) {}

    @ParameterizedTest(name = "mkplat {0}")
    @ValueSource(
            strings = {
                "",
                "--help",
                "-h",
                "--version",
                "--no-color --help",
                "init --help",
                "certs --help",
                "certs generate --help",
                "completion --help",
                "completion bash",
                "traffic --help",
                "deploy --help",
                "diff --help",
                "status --help",
                "destroy --help",
                "up --help",
                "chaos --help",
                "chaos kill-pod --help",
                "monitor --help",
                "images --help",
                "images build --help",
                "deplyo",
                "bogus --help",
                "--bogus",
                "deploy --bogus",
            })
    void printsWhatTheFullCommandLinePrints(String line) {
        String[] args = line.isEmpty() ? new String[0] : line.split(" ");

        Run lazy = run(
                Cli.create(
                        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), environment(), args),
                args);
        Run full = run(
                Cli.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), environment()),
                args);

        assertThat(lazy).isEqualTo(full);
        assertThat(lazy.out() + lazy.err()).isNotBlank();
    }

    @ParameterizedTest(name = "mkplat {0}")
    @ValueSource(
            strings = {"--help", "-v --help", "deploy --help", "--verbose certs generate --help", "completion bash"})
    void buildsOnlyTheCommandThatRuns(String line) {
        String[] args = line.split(" ");
        String running = Cli.subcommandOf(args);

        CommandLine cli = Cli.create(
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), environment(), args);

        cli.getSubcommands().forEach((name, sub) -> {
            boolean built = sub.getCommandSpec().userObject() != null;
            assertThat(built).as(name).isEqualTo(name.equals(running) || "completion".equals(running));
        });
    }

    private Environment environment() {
        return Environment.of(work, work.resolve("home"));
    }

    private static Run run(CommandLine cli, String[] args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
