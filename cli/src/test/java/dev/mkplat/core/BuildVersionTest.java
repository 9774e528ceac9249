package dev.mkplat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BuildVersionTest {

    @Test
    void stampsTheTimeOfTheBuildNotTheReproducibleBuildsTimestamp() {
        // In a linked worktree the stamped commit is the main checkout's HEAD, which can be newer
        // than the build (cli/pom.xml): compared in clones only.
        assumeTrue(
                Files.isDirectory(Path.of("..", ".git")),
                "a linked worktree: the stamped commit is the main checkout's");
        assumeTrue(!"unknown".equals(BuildVersion.commitTime()), "not built from a git checkout");
        // Built after the commit was made: project.build.outputTimestamp is fixed at 2026-01-01.
        assertThat(Instant.parse(BuildVersion.buildTime())).isAfterOrEqualTo(Instant.parse(BuildVersion.commitTime()));
    }

    @Test
    void stampsTheCommitCheckedOut() throws IOException, InterruptedException {
        // The build that compiled these classes stamped them in this checkout (the module's parent).
        // In a linked worktree (.git is a file) the plugin reads the main checkout's HEAD instead
        // (cli/pom.xml), so the commit is checked in clones, as CI and releases build.
        assumeTrue(
                Files.isDirectory(Path.of("..", ".git")),
                "a linked worktree: the stamped commit is the main checkout's");
        Process git = new ProcessBuilder("git", "rev-parse", "HEAD")
                .redirectErrorStream(true)
                .start();
        String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assumeTrue(git.waitFor() == 0 && head.matches("[0-9a-f]{40}"), "git rev-parse HEAD failed: " + head);

        assertThat(BuildVersion.commit()).startsWith(head.substring(0, 12));
    }
}
