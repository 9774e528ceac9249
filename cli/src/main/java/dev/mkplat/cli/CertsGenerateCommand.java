package dev.mkplat.cli;

import dev.mkplat.certs.CertificateGeneration;
import dev.mkplat.certs.CertificatePlan;
import dev.mkplat.config.PlatformConfig;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mkplat certs generate}: make what is missing, renew what is due, keep the rest. */
@Command(
        name = "generate",
        sortOptions = false,
        usageHelpAutoWidth = true,
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
        return run(
                CertificatePlan.generate(write.keyType(), write.days),
                configOptions,
                certs,
                write,
                kube,
                spec.commandLine().getOut());
    }

    /** What generate and regenerate share: load the configuration, then certs' pipeline. */
    static int run(
            CertificatePlan plan,
            ConfigOptions configOptions,
            CertsOptions certs,
            CertsWriteOptions write,
            KubeOptions kube,
            PrintWriter out) {
        PlatformConfig config = configOptions.load();
        Optional<CertificateGeneration.SecretsTarget> cluster = write.noApply
                ? Optional.empty()
                : Optional.of(new CertificateGeneration.SecretsTarget(kube.target(), write.allowRemote, kube.trace()));
        CertificateGeneration.run(
                new CertificateGeneration.Request(certs.files(config), config, plan, certs::shown, cluster),
                Clock.systemUTC(),
                out);
        return 0;
    }
}
