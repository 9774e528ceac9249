package dev.mkplat.certs;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.MkplatException;
import dev.mkplat.kube.KubeTarget;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What {@code certs generate} and {@code certs regenerate} do, in order: check the cluster target
 * before any file is written, make the files as the plan asks, print what was done, and update
 * the cluster's {@code platform-tls} Secrets from the files (unless there is no cluster to update).
 */
public final class CertificateGeneration {
    private CertificateGeneration() {}

    /**
     * The cluster whose Secrets follow the files.
     *
     * @param target      the kubeconfig and context
     * @param allowRemote whether a context that is not local may be used
     * @param trace       where to print API calls ({@code --verbose})
     */
    public record SecretsTarget(KubeTarget target, boolean allowRemote, Optional<PrintWriter> trace) {}

    /**
     * One run.
     *
     * @param files   the files of the platform's domain
     * @param config  the platform configuration (domain and hosts)
     * @param plan    generate, or regenerate (the leaf, or the CA too)
     * @param display a directory as the user would write it (relative to the working directory when inside it)
     * @param cluster the cluster whose Secrets to update; empty for files only ({@code --no-apply})
     */
    public record Request(
            CertificateFiles files,
            PlatformConfig config,
            CertificatePlan plan,
            UnaryOperator<Path> display,
            Optional<SecretsTarget> cluster) {}

    /**
     * @throws MkplatException exit 2 for a kubeconfig or context that is not there (before any file
     *                         is written), exit 1 when the cluster refuses to update the Secrets
     */
    public static void run(Request request, Clock clock, PrintWriter out) {
        request.cluster().ifPresent(cluster -> TlsSecretSync.checkTarget(cluster.target()));
        CertificateOutcome outcome =
                PlatformCertificates.ensure(request.files(), request.config(), request.plan(), clock);
        out.print(CertificateReport.outcome(outcome.shownAs(request.display().apply(outcome.directory())), clock));
        out.flush();
        if (request.cluster().isEmpty()) {
            return;
        }
        SecretsTarget cluster = request.cluster().get();
        TlsSecretSync.Report report = TlsSecretSync.apply(
                cluster.target(),
                cluster.allowRemote(),
                request.files().tlsPair().orElseThrow(),
                cluster.trace());
        report.lines().forEach(out::println);
        if (report.failed()) {
            throw MkplatException.failed(
                    "the cluster refused to update the platform-tls Secrets (see above); the files are written",
                    "check your rights in those namespaces, or pass --no-apply and let mkplat deploy update them");
        }
    }
}
