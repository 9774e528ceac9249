package dev.mkplat.images;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A program mkplat runs (mvnw, minikube, kind, crane, git), with its output passed on line by line
 * as it comes, so that a long build shows progress.
 *
 * @param command     the program and its arguments
 * @param directory   where it runs
 * @param environment variables to add to mkplat's own
 */
public record ExternalCommand(List<String> command, Path directory, Map<String, String> environment) {
    public ExternalCommand {
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    public static ExternalCommand of(List<String> command, Path directory) {
        return new ExternalCommand(command, directory, Map.of());
    }

    /**
     * Runs it, stdout and stderr merged, each line to {@code lines}.
     *
     * @return the exit code
     * @throws MkplatException exit 1 when the program cannot be started
     */
    public int run(Consumer<String> lines) {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            try (BufferedReader output =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = output.readLine(); line != null; line = output.readLine()) {
                    lines.accept(line);
                }
            }
            return process.waitFor();
        } catch (IOException e) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    "cannot run " + command.getFirst() + ": " + e.getMessage(),
                    "check that it is installed and on PATH",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MkplatException(ExitCode.FAILED, "interrupted while " + command.getFirst() + " ran", null, e);
        }
    }

    /** The command as one would type it. */
    @Override
    public String toString() {
        return String.join(" ", command);
    }

    /** The executable {@code name} in a directory of {@code path} (a {@code PATH} value), if there is one. */
    public static Optional<Path> onPath(Optional<String> path, String name) {
        for (String directory : path.orElse("").split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, name))) {
                return Optional.of(Path.of(directory, name));
            }
        }
        return Optional.empty();
    }
}
