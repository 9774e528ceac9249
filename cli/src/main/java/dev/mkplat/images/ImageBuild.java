package dev.mkplat.images;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@code mkplat images build}: runs the checkout's Maven build of the three service images (Jib, no
 * Docker daemon) and reports each archive and digest. Without {@code --verbose} only Maven's
 * progress lines (the module being built, Jib's result, warnings and errors) are shown.
 */
public final class ImageBuild {
    /** Maven lines worth showing when not verbose: a module starts, Jib finished, something went wrong. */
    private static final Pattern PROGRESS = Pattern.compile(
            "^\\[INFO] Building mkplat.*|^\\[INFO] Built image tarball.*|^\\[INFO] BUILD .*|^\\[INFO] Total time.*|^\\[(ERROR|WARNING)].*");

    private final Consumer<String> out;
    private final boolean verbose;

    public ImageBuild(Consumer<String> out, boolean verbose) {
        this.out = out;
        this.verbose = verbose;
    }

    /** Whether a Maven output line is shown without {@code --verbose}. */
    static boolean shown(String mavenLine) {
        return PROGRESS.matcher(mavenLine).matches();
    }

    /**
     * Builds, then checks that every archive and digest is there.
     *
     * @param javaHome the JDK to build with when {@code JAVA_HOME} is not set (mkplat's own runtime, when it is a JDK)
     * @throws MkplatException exit 1 when the build fails
     */
    public List<ServiceArchive> run(SourceCheckout checkout, Optional<String> javaHomeVariable, Path javaHome) {
        String revision = revision(checkout);
        ExternalCommand build = new ExternalCommand(
                checkout.buildCommand(revision), checkout.root(), environment(javaHomeVariable, javaHome));
        out.accept("building the service images in " + checkout.root() + ":");
        out.accept("  " + build);
        List<String> tail = new ArrayList<>();
        int exit = build.run(line -> {
            tail.add(line);
            if (tail.size() > 40) {
                tail.removeFirst();
            }
            if (verbose || shown(line)) {
                out.accept("  " + line);
            }
        });
        if (exit != 0) {
            if (!verbose) {
                out.accept("  last lines of the build:");
                tail.forEach(line -> out.accept("    " + line));
            }
            throw new MkplatException(
                    ExitCode.FAILED,
                    "the image build failed (mvnw exited " + exit + ")",
                    "see Maven's output above; mkplat images build --verbose shows all of it");
        }
        List<ServiceArchive> archives = checkout.archives();
        for (ServiceArchive archive : archives) {
            String digest = archive.digest()
                    .orElseThrow(() -> new MkplatException(
                            ExitCode.FAILED,
                            "the build passed but wrote no image for " + archive.service() + " (" + archive.archive()
                                    + ")",
                            "run the build by hand: " + build));
            out.accept(archive.service() + ": " + checkout.root().relativize(archive.archive()) + " " + digest);
        }
        return archives;
    }

    /** JAVA_HOME for mvnw: the user's, else the JDK mkplat runs on (scripts/mkplat picks one). */
    static Map<String, String> environment(Optional<String> javaHomeVariable, Path javaHome) {
        Map<String, String> environment = new HashMap<>();
        if (javaHomeVariable.isEmpty() && Files.isExecutable(javaHome.resolve("bin/javac"))) {
            environment.put("JAVA_HOME", javaHome.toString());
        }
        return environment;
    }

    private static String revision(SourceCheckout checkout) {
        List<String> lines = new ArrayList<>();
        try {
            int exit = ExternalCommand.of(List.of("git", "rev-parse", "HEAD"), checkout.root())
                    .run(lines::add);
            return exit == 0 && lines.size() == 1 && lines.getFirst().matches("[0-9a-f]{40}")
                    ? lines.getFirst()
                    : "unknown";
        } catch (MkplatException noGit) {
            return "unknown";
        }
    }
}
