package dev.mkplat.kube;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.io.IOException;
import java.net.InetAddress;

/** A port-forward from a loopback port to a Service's port (through one of its pods), open until closed. */
public final class ServicePortForward implements AutoCloseable {
    private final LocalPortForward forward;

    private ServicePortForward(LocalPortForward forward) {
        this.forward = forward;
    }

    /**
     * Opens the forward.
     *
     * @param localPort the loopback port, 0 for any free one
     */
    public static ServicePortForward open(Cluster cluster, String namespace, String service, int port, int localPort) {
        if (cluster.client().services().inNamespace(namespace).withName(service).get() == null) {
            throw MkplatException.failed(
                    "no Service " + namespace + "/" + service, "is it installed? mkplat monitor install");
        }
        try {
            return new ServicePortForward(cluster.client()
                    .services()
                    .inNamespace(namespace)
                    .withName(service)
                    .portForward(port, InetAddress.getLoopbackAddress(), localPort));
        } catch (RuntimeException e) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    "cannot port-forward to " + namespace + "/" + service + ":" + port + ": " + e.getMessage(),
                    "is a pod of the Service ready? kubectl -n " + namespace + " get endpoints " + service,
                    e);
        }
    }

    public int localPort() {
        return forward.getLocalPort();
    }

    /** Whether the forward still runs. */
    public boolean alive() {
        return forward.isAlive() && !forward.errorOccurred();
    }

    @Override
    public void close() {
        try {
            forward.close();
        } catch (IOException e) {
            // Closing a loopback listener: nothing left to do about it.
        }
    }
}
