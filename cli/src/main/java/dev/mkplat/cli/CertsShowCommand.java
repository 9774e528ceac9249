package dev.mkplat.cli;

import dev.mkplat.certs.CertificateFiles;
import dev.mkplat.certs.CertificateReport;
import dev.mkplat.certs.PlatformCertificates;
import dev.mkplat.certs.TlsSecretSync;
import dev.mkplat.config.PlatformConfig;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mkplat certs show}: what the files hold, and whether the cluster's Secrets hold the same. */
@Command(
        name = "show",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Prints the CA and server certificate, and whether the cluster's platform-tls Secrets match them.",
        description = {
            "",
            "Reads the certificates of the certs directory and says whether the server certificate's chain",
            "verifies against the CA (exit 1 when it does not). On a local cluster, or with --allow-remote,",
            "it also compares the cluster's platform-tls Secrets with the files: what deploy would change.",
        })
public final class CertsShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    CertsOptions certs;

    @Mixin
    OutputOptions output;

    @Mixin
    KubeOptions kube;

    @Option(names = "--allow-remote", description = "Also compare with the Secrets of a cluster that is not local.")
    boolean allowRemote;

    @Override
    public Integer call() {
        PlatformConfig config = configOptions.load();
        CertificateFiles files = certs.files(config);
        PlatformCertificates.Stored stored = PlatformCertificates.read(files);
        TlsSecretSync.Report cluster = TlsSecretSync.compare(
                kube.target(), allowRemote, files.tlsPair().orElseThrow(), kube.trace());
        PrintWriter out = spec.commandLine().getOut();
        out.print(CertificateReport.show(
                certs.shown(files.directory()), stored, cluster, output.format(), Clock.systemUTC()));
        out.flush();
        return stored.chainVerifies() ? 0 : 1;
    }
}
