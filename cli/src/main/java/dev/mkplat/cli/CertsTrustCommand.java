package dev.mkplat.cli;

import dev.mkplat.certs.CaTrust;
import dev.mkplat.certs.CertificateFiles;
import dev.mkplat.certs.PlatformCertificates;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.MkplatException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mkplat certs trust [--install]}: how to trust the CA here, or do it. */
@Command(
        name = "trust",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Prints how to trust the platform CA on this machine; with --install does it where it can.",
        description = {
            "",
            "Covers the system store (Debian/Ubuntu ca-certificates, Fedora ca-trust, the macOS System keychain,",
            "Windows), the cacerts of the JDK running mkplat, and the NSS databases of Firefox profiles and of",
            "Chrome on Linux. Steps that need root are printed with sudo instead of being run.",
            "",
        })
public final class CertsTrustCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    CertsOptions certs;

    @Option(names = "--install", description = "Run the steps this user has the rights for.")
    boolean install;

    @Override
    public Integer call() {
        PlatformConfig config = configOptions.load();
        CertificateFiles files = certs.files(config);
        PlatformCertificates.Stored stored = PlatformCertificates.read(files);
        List<CaTrust.Step> steps = CaTrust.plan(
                files.caCertificate(),
                config.domain(),
                CaTrust.Machine.current(MkplatCommand.of(spec).environment().home()));
        PrintWriter out = spec.commandLine().getOut();
        out.println("The mkplat CA for *." + config.domain() + ": " + certs.shown(files.caCertificate()));
        out.println("  sha256: " + stored.ca().sha256Fingerprint());
        if (!install) {
            out.print(CaTrust.instructions(steps));
            out.println(
                    "\nmkplat certs trust --install runs these where it can (steps that need root are shown for sudo).");
            out.flush();
            return 0;
        }
        CaTrust.Installation installation = CaTrust.install(steps);
        installation.lines().forEach(out::println);
        out.flush();
        if (installation.failed()) {
            throw MkplatException.failed(
                    "some stores could not be updated (see above)", "run the printed commands by hand");
        }
        return 0;
    }
}
