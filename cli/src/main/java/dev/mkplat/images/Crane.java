package dev.mkplat.images;

import dev.mkplat.core.Environment;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * crane (go-containerregistry), which pushes an OCI image layout as it is: the registry shows the
 * archive's digest, and crane reads the credentials of {@code docker login} and its helpers. The
 * project builds it from its Go module ({@code scripts/images push}, into the cache); mkplat uses
 * {@code $MKPLAT_CRANE}, then {@code crane} on PATH, then that cached build.
 *
 * @param executable the crane binary
 */
public record Crane(Path executable) {
    /** The version scripts/images builds, and the cache directory it builds into. */
    public static final String VERSION = "v0.22.1";
    /** How to get crane when there is none. */
    public static final String INSTALL = "go install github.com/google/go-containerregistry/cmd/crane@" + VERSION
            + " (in a checkout, scripts/images push builds it into ~/.cache/mkplat/crane)";

    /** Finds crane, or says how to get it (exit 1). */
    public static Crane locate(Environment environment) {
        Optional<Path> explicit = environment.variable("MKPLAT_CRANE").map(Path::of);
        if (explicit.isPresent()) {
            if (!Files.isExecutable(explicit.get())) {
                throw MkplatException.usage(
                        "MKPLAT_CRANE is " + explicit.get() + ", which is not an executable",
                        "unset it or point it at crane");
            }
            return new Crane(explicit.get());
        }
        Path cached = environment
                .variable("MKPLAT_CACHE")
                .map(Path::of)
                .orElse(environment.home().resolve(".cache/mkplat"))
                .resolve("crane")
                .resolve(VERSION)
                .resolve("bin/crane");
        return ExternalCommand.onPath(environment.variable("PATH"), "crane")
                .or(() -> Files.isExecutable(cached) ? Optional.of(cached) : Optional.empty())
                .map(Crane::new)
                .orElseThrow(() -> new MkplatException(
                        ExitCode.FAILED,
                        "crane is needed to push images and was not found " + "(not on PATH, not in "
                                + cached.getParent() + ")",
                        INSTALL));
    }

    /** The command that pushes a layout directory to {@code reference}; {@code --insecure} for a registry on this machine (plain http). */
    public List<String> pushCommand(Path layout, ImageRef reference) {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "push"));
        if (ImageRef.isLoopback(reference.registry())) {
            command.add("--insecure");
        }
        command.addAll(List.of(layout.toString(), reference.tagged()));
        return command;
    }

    /** Pushes; exit 1 with crane's last words when it fails. */
    public void push(Path layout, ImageRef reference, Consumer<String> out) {
        List<String> lines = new ArrayList<>();
        int exit = ExternalCommand.of(pushCommand(layout, reference), layout).run(lines::add);
        if (exit != 0) {
            lines.forEach(line -> out.accept("  crane: " + line));
            throw new MkplatException(
                    ExitCode.FAILED,
                    "pushing " + reference.tagged() + " failed (crane exited " + exit + ")",
                    "check that the registry answers and that you may push there (docker login, or crane auth login)");
        }
    }
}
