package dev.mkplat.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code mkplat certs}: the platform's CA and TLS certificate. Without a subcommand it prints the help. */
@Command(
        name = "certs",
        usageHelpAutoWidth = true,
        header = "Makes, renews, shows and trusts the platform's CA and TLS certificate.",
        description = {
            "",
            "The CA may only sign names inside the platform domain (an X.509 name constraint), so trusting",
            "it on this machine risks nothing outside *.<domain>, even if its key leaked. Files, per domain:",
            "certs/<domain>/ca.crt, ca.key (0600), tls.crt (server certificate + CA), tls.key (0600).",
            "",
        },
        subcommands = {
            CertsGenerateCommand.class,
            CertsRegenerateCommand.class,
            CertsShowCommand.class,
            CertsTrustCommand.class
        },
        footer = {
            "",
            "Examples:",
            "  mkplat certs generate            # idempotent: keeps valid certificates",
            "  mkplat certs show",
            "  mkplat certs trust --install",
        })
public final class CertsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
