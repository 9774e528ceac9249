package dev.mkplat.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Properties;

/**
 * The name and version of this build, from {@code service.properties}, which Maven fills in at build
 * time: the version is never typed by hand, so {@code GET /} cannot disagree with the jar.
 */
record ServiceInfo(String name, String version) {
    private static final String RESOURCE = "service.properties";

    static ServiceInfo fromBuild() {
        Properties properties = new Properties();
        try (InputStream in = ServiceInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String version = properties.getProperty("service.version", "");
        if (version.isBlank() || version.startsWith("${")) {
            // Run from an IDE without Maven's filtering: fall back to the jar manifest, then say so.
            version = Objects.requireNonNullElse(ServiceInfo.class.getPackage().getImplementationVersion(), "unknown");
        }
        return new ServiceInfo(properties.getProperty("service.name", "api"), version);
    }
}
