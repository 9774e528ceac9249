package dev.mkplat.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares output with a file under {@code src/test/resources}: the one differ of every golden
 * test. Run the tests with {@code -Dmkplat.golden.update=true} to rewrite the files, then review
 * the diff in git.
 */
public final class GoldenFile {
    /** The module's test resources: Maven runs tests in cli/, an IDE often in the repository root. */
    private static final Path ROOT = Files.isDirectory(Path.of("src/test/resources/dev/mkplat"))
            ? Path.of("src/test/resources")
            : Path.of("cli/src/test/resources");

    private GoldenFile() {}

    /** A file under the test resources (an input of a golden test), found the same way as the golden files. */
    public static Path resource(String resource) {
        return ROOT.resolve(resource);
    }

    /** Asserts that {@code actual} is the content of {@code resource} (a path under the test resources). */
    public static void assertMatches(String resource, String actual) throws IOException {
        Path file = resource(resource);
        if (Boolean.getBoolean("mkplat.golden.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual);
        }
        assertThat(file)
                .as("golden file %s (regenerate with -Dmkplat.golden.update=true)", file)
                .exists();
        assertThat(actual).isEqualTo(Files.readString(file));
    }
}
