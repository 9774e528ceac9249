package dev.mkplat.cli;

import dev.mkplat.certs.CertificateFiles;
import dev.mkplat.config.PlatformConfig;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --certs-dir}: where the certificate folders are (one per domain). */
public final class CertsOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
            names = "--certs-dir",
            paramLabel = "DIR",
            defaultValue = CertificateFiles.DEFAULT_ROOT,
            description = "Directory of the certificate folders, one per domain (default: ${DEFAULT-VALUE}).")
    Path root = Path.of(CertificateFiles.DEFAULT_ROOT);

    /** The files of {@code config}'s domain, resolved against the working directory. */
    public CertificateFiles files(PlatformConfig config) {
        return CertificateFiles.of(MkplatCommand.of(mixee).environment().resolve(root), config.domain());
    }

    /** {@code directory} as the user would write it: relative to the working directory when inside it. */
    public Path shown(Path directory) {
        Path workingDirectory = MkplatCommand.of(mixee).environment().workingDirectory();
        return directory.startsWith(workingDirectory) ? workingDirectory.relativize(directory) : directory;
    }
}
