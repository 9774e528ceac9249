package dev.mkplat.render;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where the manifests come from: the jar (what users get) or a directory laid out the same way
 * (tests, and anyone trying a changed bundle). Either way an {@value #INDEX} lists the files in
 * apply order.
 */
public interface ManifestSource {
    /** The file listing the manifests in apply order, one relative path a line, {@code #} comments. */
    String INDEX = "index.txt";
    /** Where the bundle lives on the classpath (see the mkplat-manifests module). */
    String CLASSPATH_ROOT = "mkplat/manifests";

    /** The text of one file of the bundle, by its path relative to the bundle's root. */
    String read(String path);

    /** Whether the bundle has this file. */
    boolean has(String path);

    /** Where it comes from, for messages. */
    String describe();

    /** The bundle inside mkplat's jar. */
    static ManifestSource bundled() {
        return new ManifestSource() {
            @Override
            public String read(String path) {
                try (InputStream in = stream(path)) {
                    if (in == null) {
                        throw new MkplatException(
                                ExitCode.FAILED,
                                "the bundled manifest " + path + " is missing from the jar",
                                "rebuild the jar: ./mvnw -pl manifests install && ./mvnw -pl cli package");
                    }
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public boolean has(String path) {
                try (InputStream in = stream(path)) {
                    return in != null;
                } catch (IOException e) {
                    return false;
                }
            }

            private InputStream stream(String path) {
                return ManifestSource.class.getClassLoader().getResourceAsStream(CLASSPATH_ROOT + "/" + path);
            }

            @Override
            public String describe() {
                return "the bundled manifests";
            }
        };
    }

    /** A bundle in a directory, laid out like the jar's. */
    static ManifestSource directory(Path root) {
        return new ManifestSource() {
            @Override
            public String read(String path) {
                try {
                    return Files.readString(root.resolve(path));
                } catch (NoSuchFileException e) {
                    throw MkplatException.usage(
                            "manifest " + root.resolve(path) + " does not exist", "check " + root.resolve(INDEX));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public boolean has(String path) {
                return Files.isRegularFile(root.resolve(path));
            }

            @Override
            public String describe() {
                return root.toString();
            }
        };
    }
}
