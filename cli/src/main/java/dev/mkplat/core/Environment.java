package dev.mkplat.core;

import java.io.Console;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a command may read from its surroundings: the working directory (where {@code mkplat.yaml}
 * and {@code certs/} are), the home directory and the environment variables. Passed in rather than
 * read from {@code System} so that tests run the real command line in a temporary directory.
 *
 * @param workingDirectory where relative paths start
 * @param home             the user's home directory
 * @param variables        the environment variables
 * @param terminal         whether standard output is a terminal (colors, live progress, prompts)
 */
public record Environment(Path workingDirectory, Path home, Map<String, String> variables, boolean terminal) {
    public Environment {
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(home, "home");
        variables = Map.copyOf(variables);
    }

    /** The process's own working directory, home and environment. */
    public static Environment system() {
        return new Environment(
                Path.of("").toAbsolutePath(),
                Path.of(System.getProperty("user.home")),
                System.getenv(),
                stdoutIsTerminal());
    }

    /** A test's environment: a temporary working directory and home, no variables, no terminal. */
    public static Environment of(Path workingDirectory, Path home) {
        return new Environment(workingDirectory, home, Map.of(), false);
    }

    /** The same, with one more environment variable. */
    public Environment withVariable(String name, String value) {
        Map<String, String> more = new HashMap<>(variables);
        more.put(name, value);
        return new Environment(workingDirectory, home, more, terminal);
    }

    private static boolean stdoutIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22+ returns a console even when output is redirected; isTerminal() tells the truth there.
            return (boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException olderJava) {
            return true; // before Java 22, a console exists only for a terminal
        }
    }

    /** One environment variable, absent when unset or empty. */
    public Optional<String> variable(String name) {
        return Optional.ofNullable(variables.get(name)).filter(value -> !value.isEmpty());
    }

    /** {@code path} resolved against the working directory. */
    public Path resolve(Path path) {
        return workingDirectory.resolve(path);
    }
}
