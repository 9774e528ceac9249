package dev.mkplat.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of mkplat, stamped into the jar at build time (also the default image tag), with the
 * commit it was built from and when.
 */
public final class BuildVersion {
    private static final Properties BUILD = load();

    private BuildVersion() {}

    /** The project version, for example {@code 0.1.0-SNAPSHOT}, or {@code unknown} outside a build. */
    public static String version() {
        return stamp("version");
    }

    /**
     * The commit, for example {@code 454533c1a2b3} (with {@code -dirty} when the work tree had changes),
     * or {@code unknown} when the jar was not built from a git checkout.
     */
    public static String commit() {
        String commit = stamp("commit");
        return "true".equals(stamp("dirty")) && !"unknown".equals(commit) ? commit + "-dirty" : commit;
    }

    /** When the commit was made, ISO-8601 in UTC, or {@code unknown}. */
    public static String commitTime() {
        return stamp("commitTime");
    }

    /** When the jar was built, ISO-8601 in UTC, or {@code unknown}. */
    public static String buildTime() {
        return stamp("buildTime");
    }

    // A property that the build could not fill (no git directory) is left as "${...}" by resource
    // filtering: that is "unknown" too.
    private static String stamp(String key) {
        String value = BUILD.getProperty(key, "");
        return value.isBlank() || value.startsWith("${") ? "unknown" : value;
    }

    private static Properties load() {
        Properties build = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream("/dev/mkplat/version.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return build;
    }
}
