package dev.mkplat.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;

import dev.mkplat.certs.CertificateFiles;
import dev.mkplat.certs.CertificateOutcome;
import dev.mkplat.certs.CertificatePlan;
import dev.mkplat.certs.CertificateReport;
import dev.mkplat.certs.PlatformCertificates;
import dev.mkplat.certs.TlsSecretSync;
import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.MkplatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mkplat certs generate}: make what is missing, renew what is due, keep the rest. */
@Command(name = "generate", sortOptions = false, usageHelpAutoWidth = true,
        header = "Makes the CA and server certificate when missing; renews the server certificate when due.",
        description = {
            "",
            "Idempotent: valid certificates are kept and a second run changes no file. The server certificate",
            "is renewed when its names no longer match mkplat.yaml or fewer than 30 days are left. Then the",
            "kubernetes.io/tls Secret platform-tls is updated in each platform namespace with an Ingress, when a local",
            "cluster is reachable (--no-apply: files only).",
            "",
        })
public final class CertsGenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ConfigOptions configOptions;
    @Mixin
    CertsOptions certs;
    @Mixin
    CertsWriteOptions write;
    @Mixin
    KubeOptions kube;

    @Override
    public Integer call() {
        write.validate();
        return run(CertificatePlan.generate(write.keyType(), write.days), configOptions, certs, write, kube, spec.commandLine().getOut());
    }

    /** The pipeline generate and regenerate share: load → ensure the files → print → update the Secrets. */
    static int run(CertificatePlan plan, ConfigOptions configOptions, CertsOptions certs, CertsWriteOptions write, KubeOptions kube,
                   PrintWriter out) {
        PlatformConfig config = configOptions.load();
        if (!write.noApply) {
            TlsSecretSync.checkTarget(kube.target());
        }
        CertificateFiles files = certs.files(config);
        Clock clock = Clock.systemUTC();
        CertificateOutcome outcome = PlatformCertificates.ensure(files, config, plan, clock);
        out.print(CertificateReport.outcome(outcome.shownAs(certs.shown(outcome.directory())), clock));
        out.flush();
        if (!write.noApply) {
            TlsSecretSync.Report report = TlsSecretSync.apply(kube.target(), write.allowRemote, files.tlsPair().orElseThrow(), kube.trace());
            report.lines().forEach(out::println);
            if (report.failed()) {
                throw MkplatException.failed("the cluster refused to update the platform-tls Secrets (see above); the files are written",
                        "check your rights in those namespaces, or pass --no-apply and let mkplat deploy update them");
            }
        }
        return 0;
    }
}
