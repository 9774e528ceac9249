package dev.mkplat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The real command line with captured output. */
class CliTest {
    record Run(int exitCode, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.create(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void versionPrintsTheBuildVersion() {
        Run run = run("--version");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("mkplat 0.").doesNotContain("${");
    }

    @Test
    void versionNamesTheCommitAndTheBuildTime() {
        // The test runs from the checkout's classes, so the build stamped the commit HEAD points at.
        Run run = run("--version");
        assertThat(run.out().lines().toList().get(1))
                .matches(
                        "commit [0-9a-f]{12}(-dirty)? \\(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\), built \\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void unknownOptionIsUsageErrorWithHint() {
        Run run = run("--bogus");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("mkplat: error: Unknown option: '--bogus'")
                .contains("hint: see 'mkplat --help'");
    }

    @Test
    void noArgumentsPrintsHelp() {
        Run run = run();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: mkplat").contains("Exit codes:");
    }

    @Test
    void descriptionLinesBecomeParagraphsButExamplesStayAsWritten() {
        String[] lines = {"First sentence that", "goes on.", "", "Second one.", "  mkplat up   # an example", "Third."};
        assertThat(Cli.paragraphs(lines))
                .containsExactly(
                        "First sentence that goes on.", "", "Second one.", "  mkplat up   # an example", "Third.");
    }

    @Test
    void everySubcommandDescribesItselfNotTheRoot() {
        // The root's scope INHERIT hands its description to a subcommand that has none: `mkplat status
        // --help` would tell what mkplat is instead of what status does.
        CommandLine root = Cli.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<String> rootDescription =
                Arrays.asList(root.getCommandSpec().usageMessage().description());
        List<String> inheriting = new ArrayList<>();
        List<CommandLine> commands = new ArrayList<>(root.getSubcommands().values());
        while (!commands.isEmpty()) {
            CommandLine command = commands.removeFirst();
            commands.addAll(command.getSubcommands().values());
            List<String> description =
                    Arrays.asList(command.getCommandSpec().usageMessage().description());
            if (description.isEmpty() || description.equals(rootDescription)) {
                inheriting.add(command.getCommandSpec().qualifiedName());
            }
        }
        assertThat(inheriting).as("commands without a description of their own").isEmpty();
    }
}
