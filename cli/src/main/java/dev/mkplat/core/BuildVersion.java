package dev.mkplat.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of mkplat, stamped into the jar at build time (also the default image tag). */
public final class BuildVersion {
    private static final String VERSION = load();

    private BuildVersion() {
    }

    /** The project version, for example {@code 0.1.0-SNAPSHOT}, or {@code unknown} outside a build. */
    public static String version() {
        return VERSION;
    }

    private static String load() {
        Properties build = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream("/dev/mkplat/version.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return build.getProperty("version", "unknown");
    }
}
