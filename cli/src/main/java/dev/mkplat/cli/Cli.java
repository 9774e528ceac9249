package dev.mkplat.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import dev.mkplat.core.Environment;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import picocli.CommandLine;

/**
 * Builds the {@code mkplat} command line: the commands, the exit-code mapping and the error
 * printing that every command shares. No command calls {@code System.exit}.
 */
public final class Cli {
    private Cli() {
    }

    /** A command line writing to the process's stdout and stderr. */
    public static CommandLine create() {
        return create(new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** A command line writing to {@code out} and {@code err}, as the tests use it. */
    public static CommandLine create(PrintWriter out, PrintWriter err) {
        return create(out, err, Environment.system());
    }

    /** A command line writing to {@code out} and {@code err}, working in {@code environment} (tests use a temp dir and home). */
    public static CommandLine create(PrintWriter out, PrintWriter err, Environment environment) {
        MkplatCommand root = new MkplatCommand(environment);
        CommandLine cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // Once the options are parsed: --no-color and NO_COLOR also turn off the colors of picocli's own help.
        cli.setExecutionStrategy(parseResult -> {
            if (!root.color()) {
                cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        cli.setExecutionExceptionHandler((failure, commandLine, parseResult) -> report(root, commandLine, failure));
        cli.setParameterExceptionHandler(Cli::reportUsage);
        cli.setExitCodeExceptionMapper(failure -> failure instanceof MkplatException e ? e.exitCode().code() : ExitCode.FAILED.code());
        reflowDescriptions(cli);
        return cli;
    }

    /**
     * Descriptions are written as lines in the source; picocli wraps each line on its own, which
     * breaks sentences at odd places in a narrow terminal. When help is shown, consecutive lines
     * become one paragraph for picocli to wrap; an empty line still separates paragraphs and an
     * indented line (an example) stays as written.
     */
    private static void reflowDescriptions(CommandLine commandLine) {
        commandLine.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION, help -> {
            var usage = help.commandSpec().usageMessage();
            usage.description(paragraphs(usage.description()));
            return help.description();
        });
        commandLine.getSubcommands().values().forEach(Cli::reflowDescriptions);
    }

    static String[] paragraphs(String[] lines) {
        List<String> paragraphs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            boolean verbatim = line.isBlank() || line.startsWith(" ");
            if (verbatim || current.isEmpty()) {
                if (!current.isEmpty()) {
                    paragraphs.add(current.toString());
                    current.setLength(0);
                }
                if (verbatim) {
                    paragraphs.add(line);
                    continue;
                }
            } else {
                current.append(' ');
            }
            current.append(line.strip());
        }
        if (!current.isEmpty()) {
            paragraphs.add(current.toString());
        }
        return paragraphs.toArray(String[]::new);
    }

    private static int report(MkplatCommand root, CommandLine commandLine, Exception failure) {
        PrintWriter err = commandLine.getErr();
        if (failure instanceof MkplatException known) {
            err.println("mkplat: error: " + known.getMessage());
            known.hint().ifPresent(hint -> err.println("  hint: " + hint));
            if (root.verbose()) {
                failure.printStackTrace(err);
            }
            err.flush();
            return known.exitCode().code();
        }
        err.println("mkplat: error: " + (failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage()));
        if (root.verbose()) {
            failure.printStackTrace(err);
        } else {
            err.println("  hint: run again with --verbose for the stack trace");
        }
        err.flush();
        return ExitCode.FAILED.code();
    }

    private static int reportUsage(CommandLine.ParameterException failure, String[] args) {
        CommandLine commandLine = failure.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("mkplat: error: " + failure.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(failure, err);
        err.println("  hint: see '" + commandLine.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return ExitCode.USAGE.code();
    }
}
