package dev.mkplat.cli;

import dev.mkplat.core.BuildVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code mkplat --version}: what was built, from which commit and when, and the Java it runs on. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
            "mkplat " + BuildVersion.version(),
            "commit " + BuildVersion.commit() + " (" + BuildVersion.commitTime() + "), built "
                    + BuildVersion.buildTime(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")",
        };
    }
}
