package dev.mkplat.cli;

import java.io.PrintWriter;

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
        MkplatCommand root = new MkplatCommand();
        CommandLine cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((failure, commandLine, parseResult) -> report(root, commandLine, failure));
        cli.setParameterExceptionHandler(Cli::reportUsage);
        cli.setExitCodeExceptionMapper(failure -> failure instanceof MkplatException e ? e.exitCode().code() : ExitCode.FAILED.code());
        return cli;
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
