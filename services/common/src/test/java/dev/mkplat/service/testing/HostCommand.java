package dev.mkplat.service.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short host command (tar, runc) and returns its output, or fails with it. */
public final class HostCommand {
    private HostCommand() {}

    /** The result of a command that ran to its end. */
    public record Result(int exitCode, String output) {}

    public static String run(List<String> command) {
        Result result = exec(command, 120);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command) + " failed (exit " + result.exitCode() + "): " + result.output());
        }
        return result.output();
    }

    /** Runs {@code command} with stderr merged into stdout; fails if it outlasts {@code timeoutSeconds}. */
    public static Result exec(List<String> command, int timeoutSeconds) {
        try {
            // timeout(1) ends a command that hangs, so reading its output cannot block forever.
            List<String> bounded =
                    new java.util.ArrayList<>(List.of("timeout", "-k", "5", String.valueOf(timeoutSeconds)));
            bounded.addAll(command);
            Process process =
                    new ProcessBuilder(bounded).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds + 10L, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.getFirst(), e);
        }
    }
}
