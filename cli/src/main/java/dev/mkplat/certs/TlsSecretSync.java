package dev.mkplat.certs;

import dev.mkplat.certs.CertificateFiles.TlsPair;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.kube.ApplyResult;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.ClusterPreflight;
import dev.mkplat.kube.KubeTarget;
import dev.mkplat.kube.TlsSecrets;
import dev.mkplat.kube.TlsSecrets.Match;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.secrets.SecretSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Keeps the cluster's {@code platform-tls} Secrets in step with the files, when there is a local
 * cluster to talk to. No cluster (none configured, not reachable, or remote without
 * {@code --allow-remote}) is not an error: the files are what {@code certs} makes, and {@code deploy}
 * creates the Secrets from them later. A cluster that refuses the update is.
 */
public final class TlsSecretSync {
    private TlsSecretSync() {}

    /**
     * What happened in the cluster, one line each.
     *
     * @param lines   for people
     * @param failed  whether the cluster refused an update (exit 1)
     * @param matches for {@code show}: each namespace's Secret against the files (empty without a cluster)
     */
    public record Report(List<String> lines, boolean failed, Map<String, Match> matches) {
        public Report {
            lines = List.copyOf(lines);
            matches = Map.copyOf(matches);
        }

        static Report note(String line) {
            return new Report(List.of(line), false, Map.of());
        }
    }

    /**
     * Fails (exit 2) when {@code --kubeconfig} or {@code --context} names something that is not
     * there, before any file is written. No kubeconfig at all is fine: there is just no cluster.
     */
    public static void checkTarget(KubeTarget target) {
        try {
            ClusterPreflight.describe(target);
        } catch (MkplatException e) {
            if (e.exitCode() == ExitCode.USAGE) {
                throw e;
            }
        }
    }

    /** The namespaces where the platform keeps the certificate (secrets.yaml), the only ones it may go to. */
    static Set<String> platformNamespaces() {
        return SecretSpec.certificateNamespaces(
                SecretSpec.parseAll(ManifestBundle.bundled().secretsSpec()));
    }

    /** Updates the Secret in each of the platform's namespaces that has an Ingress. */
    public static Report apply(KubeTarget target, boolean allowRemote, TlsPair pair, Optional<PrintWriter> trace) {
        return withCluster(
                target,
                allowRemote,
                trace,
                "Secrets not updated; mkplat deploy creates them from these files",
                cluster -> {
                    TlsSecrets secrets = new TlsSecrets(cluster, platformNamespaces());
                    List<ApplyResult> results = secrets.apply(pair.chain(), pair.key());
                    if (results.isEmpty()) {
                        return Report.note("cluster " + cluster.context()
                                + ": no platform namespace has an Ingress yet; mkplat deploy creates the "
                                + TlsSecrets.NAME + " Secrets");
                    }
                    List<String> lines = new ArrayList<>();
                    boolean failed = false;
                    for (ApplyResult result : results) {
                        lines.add("Secret " + TlsSecrets.NAME + " in "
                                + result.ref().namespace() + ": "
                                + result.outcome().label()
                                + (result.detail().isEmpty() ? "" : " (" + result.detail() + ")"));
                        failed |= !result.outcome().succeeded();
                    }
                    return new Report(lines, failed, Map.of());
                });
    }

    /** Compares the Secrets in the cluster with the files, for {@code certs show}. */
    public static Report compare(KubeTarget target, boolean allowRemote, TlsPair pair, Optional<PrintWriter> trace) {
        return withCluster(target, allowRemote, trace, "Secrets not compared", cluster -> {
            Map<String, Match> matches =
                    new TlsSecrets(cluster, platformNamespaces()).compare(pair.chain(), pair.key());
            List<String> lines = new ArrayList<>();
            if (matches.isEmpty()) {
                lines.add("cluster " + cluster.context() + ": no " + TlsSecrets.NAME + " Secret and no Ingress yet");
            }
            matches.forEach((namespace, match) ->
                    lines.add("Secret " + TlsSecrets.NAME + " in " + namespace + ": " + match.description()));
            return new Report(lines, false, matches);
        });
    }

    private static Report withCluster(
            KubeTarget target,
            boolean allowRemote,
            Optional<PrintWriter> trace,
            String skipped,
            Function<Cluster, Report> work) {
        ClusterPreflight.Target described;
        try {
            described = ClusterPreflight.describe(target);
        } catch (MkplatException noKubeconfig) {
            if (noKubeconfig.exitCode() == ExitCode.USAGE) {
                throw noKubeconfig; // --kubeconfig or --context names something that is not there: the user's to fix
            }
            return Report.note("no cluster: " + noKubeconfig.getMessage() + "; " + skipped);
        }
        if (!described.local() && !allowRemote) {
            return Report.note("context " + described.context() + " is not a local cluster; " + skipped
                    + " (--allow-remote to include it)");
        }
        Cluster cluster;
        try {
            cluster = Cluster.connect(target, trace);
        } catch (MkplatException unreachable) {
            if (unreachable.exitCode() == ExitCode.USAGE) {
                throw unreachable;
            }
            return Report.note(unreachable.getMessage() + "; " + skipped);
        }
        try (cluster) {
            return work.apply(cluster);
        }
    }
}
