package dev.mkplat.cli;

import dev.mkplat.core.Environment;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Runs the real command line, as {@code Main} does, in a temporary working directory and home, with
 * captured output: what a user in that directory would see, and the exit code.
 *
 * @param environment the working directory, home, variables and whether stdout is a terminal
 */
public record CliSession(Environment environment) {
    /** The output and exit code of one run. */
    public record Run(int exitCode, String out, String err) {
        /** Both streams, for assertion messages. */
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public static CliSession in(Path workingDirectory, Path home) {
        return new CliSession(Environment.of(workingDirectory, home));
    }

    public CliSession withVariable(String name, String value) {
        return new CliSession(environment.withVariable(name, value));
    }

    public CliSession onTerminal() {
        return new CliSession(
                new Environment(environment.workingDirectory(), environment.home(), environment.variables(), true));
    }

    public Path resolve(String path) {
        return environment.workingDirectory().resolve(path);
    }

    /**
     * Runs {@code args}. The writers are built as {@link Cli#create(String...)} builds them for the process
     * (buffered, flushing on println) and are read without a final flush, like a process that exits:
     * output a command forgets to flush is missing here as it would be in a terminal.
     */
    public Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.create(
                        new PrintWriter(out, true, StandardCharsets.UTF_8),
                        new PrintWriter(err, true, StandardCharsets.UTF_8),
                        environment)
                .execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
