package dev.mkplat.cli;

import dev.mkplat.core.Environment;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Builds the {@code mkplat} command line: the commands, the exit-code mapping and the error
 * printing that every command shares. No command calls {@code System.exit}.
 */
public final class Cli {
    private Cli() {}

    /**
     * The subcommands of {@code mkplat}, in the order its help lists them. picocli builds a command's
     * model by reflecting over its options, mixins and subcommands: for all of them that is most of
     * what {@code mkplat --help} costs, so a process builds only the one it runs
     * ({@link #create(String...)}) and lists the others from their annotation alone.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            InitCommand.class,
            CertsCommand.class,
            CompletionCommand.class,
            TrafficCommand.class,
            DeployCommand.class,
            DiffCommand.class,
            StatusCommand.class,
            DestroyCommand.class,
            UpCommand.class,
            ChaosCommand.class,
            MonitorCommand.class,
            ImagesCommand.class);

    /** The command that writes the completion script, which needs every command's model. */
    private static final String COMPLETION = "completion";

    /**
     * The command line of this process for {@code args}, writing to its stdout and stderr: only the
     * subcommand that {@code args} name is built in full (all of them for {@code completion}).
     */
    public static CommandLine create(String... args) {
        return create(new PrintWriter(System.out, true), new PrintWriter(System.err, true), Environment.system(), args);
    }

    /** A command line writing to {@code out} and {@code err}, with every command built, as the tests use it. */
    public static CommandLine create(PrintWriter out, PrintWriter err) {
        return create(out, err, Environment.system());
    }

    /** A command line writing to {@code out} and {@code err}, working in {@code environment} (tests use a temp dir and home). */
    public static CommandLine create(PrintWriter out, PrintWriter err, Environment environment) {
        return create(out, err, environment, (String[]) null);
    }

    /**
     * A command line for {@code args} (see {@link #create(String...)}); a null {@code args} builds
     * every command.
     */
    public static CommandLine create(PrintWriter out, PrintWriter err, Environment environment, String... args) {
        MkplatCommand root = new MkplatCommand(environment);
        CommandLine cli = new CommandLine(root);
        String running = args == null ? null : subcommandOf(args);
        for (Class<?> type : SUBCOMMANDS) {
            Command command = type.getAnnotation(Command.class);
            boolean build = args == null || command.name().equals(running) || COMPLETION.equals(running);
            cli.addSubcommand(
                    command.name(),
                    build ? new CommandLine(type) : new CommandLine(listing(command)),
                    command.aliases());
        }
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
        cli.setExitCodeExceptionMapper(
                failure -> failure instanceof MkplatException e ? e.exitCode().code() : ExitCode.FAILED.code());
        reflowDescriptions(cli);
        return cli;
    }

    /** Runs {@code args} as {@link #create(String...)} would, writing to {@code out} and {@code err}; the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, Environment environment, String... args) {
        return create(out, err, environment, args).execute(args);
    }

    /** The names of the subcommands, in the order the help lists them. */
    public static List<String> subcommandNames() {
        return SUBCOMMANDS.stream()
                .map(type -> type.getAnnotation(Command.class).name())
                .toList();
    }

    /**
     * The subcommand that {@code args} run: the first argument that is not an option (the root's
     * options are all flags), or null.
     */
    static String subcommandOf(String... args) {
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                return arg;
            }
        }
        return null;
    }

    /**
     * What the root's help and its "did you mean" need of a command that does not run: its name
     * and its help text, read from its annotation without building its options.
     */
    private static CommandSpec listing(Command command) {
        CommandSpec spec = CommandSpec.create().name(command.name()).aliases(command.aliases());
        spec.usageMessage()
                .header(command.header())
                .description(command.description())
                .hidden(command.hidden());
        return spec;
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
        err.println("mkplat: error: "
                + (failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage()));
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
