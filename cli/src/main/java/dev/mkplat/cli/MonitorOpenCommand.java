package dev.mkplat.cli;

import dev.mkplat.core.MkplatException;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.ClusterView;
import dev.mkplat.kube.ServicePortForward;
import dev.mkplat.monitor.GrafanaAccess;
import dev.mkplat.render.StackChart;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mkplat monitor open}: where Grafana is and how to log in; {@code --port-forward} when there is no Ingress. */
@Command(
        name = "open",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Prints Grafana's URL and how to read its admin login; --port-forward serves it on localhost.",
        description = {
            "",
            "The URL comes from Grafana's Ingress. The admin password is never printed: the kubectl",
            "commands that read it from its Secret are. Without an Ingress, --port-forward forwards a",
            "local port to Grafana's Service until Ctrl-C.",
        },
        footer = {"", "Exit codes: 0 ok, 1 the cluster or the port-forward failed, 2 bad usage."})
public final class MonitorOpenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KubeOptions kube;

    @Option(
            names = "--port-forward",
            description = "Forward a local port to Grafana's Service until Ctrl-C (when there is no Ingress).")
    boolean portForward;

    @Option(
            names = "--port",
            paramLabel = "N",
            defaultValue = "3000",
            description = "Local port for --port-forward (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw MkplatException.usage("--port must be a TCP port, got " + port, "for example --port 3000");
        }
        PrintWriter out = spec.commandLine().getOut();
        String namespace = StackChart.bundled().namespace();
        try (Cluster cluster = Cluster.connect(kube.target(), kube.trace())) {
            if (!portForward) {
                GrafanaAccess.lines(namespace, new ClusterView(cluster).ingressUrls(namespace))
                        .forEach(out::println);
                out.flush();
                return 0;
            }
            try (ServicePortForward forward = ServicePortForward.open(
                    cluster, namespace, GrafanaAccess.SERVICE, GrafanaAccess.SERVICE_PORT, port)) {
                out.println("Grafana: http://127.0.0.1:" + forward.localPort() + "  (forwarding to " + namespace + "/"
                        + GrafanaAccess.SERVICE + "; Ctrl-C stops)");
                GrafanaAccess.login(namespace).forEach(out::println);
                out.flush();
                new CountDownLatch(1).await();
            }
        }
        return 0;
    }
}
