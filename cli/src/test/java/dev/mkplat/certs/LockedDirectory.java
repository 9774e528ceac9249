package dev.mkplat.certs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.opentest4j.TestAbortedException;

/**
 * Makes a directory unwritable for the duration of a test, also when the tests run as root (as in
 * CI containers), where mode bits are ignored: there the immutable attribute ({@code chattr +i}) is
 * used instead. Skips the test when neither works, and fails it under {@code CI=true}.
 */
public final class LockedDirectory {
    private final Path directory;
    private final boolean immutable;

    private LockedDirectory(Path directory, boolean immutable) {
        this.directory = directory;
        this.immutable = immutable;
    }

    public static LockedDirectory lock(Path directory) throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("r-xr-xr-x"));
            return new LockedDirectory(directory, false);
        }
        if (run("chattr", "+i", directory.toString()) != 0) {
            String reason = "running as root and 'chattr +i' failed, so no directory can be made unwritable";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(reason);
            }
            throw new TestAbortedException(reason);
        }
        return new LockedDirectory(directory, true);
    }

    /** Makes the directory writable again. */
    public void unlock() throws IOException, InterruptedException {
        if (immutable) {
            run("chattr", "-i", directory.toString());
        } else {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor();
        } catch (IOException missing) {
            return -1; // no chattr on this machine
        }
    }
}
