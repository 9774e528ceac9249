package dev.mkplat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.cli.CliSession.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mkplat images} where no checkout or cluster is needed: help, and what it says outside a checkout. */
class ImagesCommandTest {
    @TempDir
    Path work;

    @Test
    void helpTeachesTheWorkflow() {
        Run run = CliSession.in(work, work).run("images", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains(
                        "build",
                        "load",
                        "push",
                        "list",
                        "mkplat images build",
                        "mkplat images load",
                        "images.registry: registry.example.com/mkplat");
    }

    @Test
    void buildOutsideACheckoutSaysWhatToDo() {
        Run run = CliSession.in(work, work).run("images", "build");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("mkplat: error: mkplat images build needs a source checkout of mkplat")
                .contains("hint: run it from a checkout");
    }

    @Test
    void listWithoutTheClusterNamesEveryImageOfThePlatform() {
        Run run = CliSession.in(work, work).run("images", "list", "--no-cluster");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .containsPattern("docker\\.io/mkplat/api:\\S+\\s+api/api")
                .containsPattern("docker\\.io/mkplat/auth:\\S+\\s+auth/auth")
                .containsPattern("docker\\.io/mkplat/images:\\S+\\s+images/images")
                .containsPattern("postgres:17\\.11-bookworm\\s+db/postgres")
                .doesNotContain("ON NODES");
    }
}
