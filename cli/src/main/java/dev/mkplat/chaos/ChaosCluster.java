package dev.mkplat.chaos;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.ClusterPreflight;
import dev.mkplat.kube.KubeTarget;
import java.io.PrintWriter;
import java.util.Optional;

/** The cluster an experiment may touch: a local one, as {@code mkplat init} judges it, unless the user allows another. */
public final class ChaosCluster {
    private ChaosCluster() {}

    /**
     * Connects, after checking from the kubeconfig alone (no request is sent to a refused cluster)
     * that the context is local.
     *
     * @throws MkplatException exit 3 for a context that is not local without {@code allowRemote}
     */
    public static Cluster connect(KubeTarget target, boolean allowRemote, Optional<PrintWriter> trace) {
        ClusterPreflight.Target described = ClusterPreflight.describe(target);
        if (!described.local() && !allowRemote) {
            throw new MkplatException(
                    ExitCode.PREFLIGHT,
                    "context " + described.context() + " at " + described.server()
                            + " is not a local cluster; chaos refuses to break it",
                    "point --context at a local cluster (minikube, kind-*, k3d-*, docker-desktop, kwok-*), or pass --allow-remote if you mean it");
        }
        return Cluster.connect(target, trace);
    }
}
