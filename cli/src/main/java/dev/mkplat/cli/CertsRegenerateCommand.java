package dev.mkplat.cli;

import dev.mkplat.certs.CertificatePlan;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mkplat certs regenerate [--ca]}: rotate the server certificate, and the CA on request. */
@Command(
        name = "regenerate",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Rotates the server certificate (and with --ca the CA too), then updates the Secrets.",
        description = {
            "",
            "A new CA must be trusted again (mkplat certs trust) and invalidates every certificate it did not sign.",
            "",
        })
public final class CertsRegenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    CertsOptions certs;

    @Option(names = "--ca", description = "Also make a new CA (after a leak, or to change --key-type).")
    boolean ca;

    @Mixin
    CertsWriteOptions write;

    @Mixin
    KubeOptions kube;

    @Override
    public Integer call() {
        write.validate();
        return CertsGenerateCommand.run(
                CertificatePlan.regenerate(write.keyType(), write.days, ca),
                configOptions,
                certs,
                write,
                kube,
                spec.commandLine().getOut());
    }
}
