package dev.mkplat.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real node of {@code scripts/test-cluster up --real-node} does what a user's minikube does:
 * containers run and pass real probes, and cluster DNS answers.
 */
@TestCluster(realNode = true)
class RealNodeIT {
    private static final Duration WITHIN = Duration.ofSeconds(90);
    private static final String NODE_LABEL = "mkplat.io/test-cluster-node";
    private static final Map<String, String> SERVER = Map.of("app", "server");

    private static Node node;
    private static String busybox;

    @BeforeAll
    static void findTheNode(KubernetesClient client) {
        List<Node> real = client.nodes().withLabel(NODE_LABEL, "real").list().getItems();
        assertThat(real).as("nodes labelled %s=real", NODE_LABEL).hasSize(1);
        node = real.getFirst();
        // The node's test image (scripts/lib/real-node.sh: busybox-static from Debian), by the name it was imported under.
        busybox = node.getStatus().getImages().stream().flatMap(image -> image.getNames().stream())
                .filter(name -> name.startsWith("mkplat.invalid/busybox:")).findFirst()
                .orElseThrow(() -> new AssertionError("the node has no mkplat.invalid/busybox image"));
    }

    /**
     * 2 CPUs and 4000 MiB less what minikube's control-plane pods request there (750m, 300 MiB), which
     * the kubelet reserves here because that control plane runs beside the node.
     */
    @Test
    void nodeIsReadyWithTheRoomOfADefaultMinikube() {
        assertThat(Readiness.isNodeReady(node)).isTrue();
        Map<String, Quantity> allocatable = node.getStatus().getAllocatable();
        assertThat(Quantity.getAmountInBytes(allocatable.get("cpu"))).isEqualByComparingTo("1.25");
        assertThat(Quantity.getAmountInBytes(allocatable.get("memory")).longValueExact()).isEqualTo(3700L << 20);
        assertThat(node.getSpec().getTaints()).isNullOrEmpty();
    }

    @Test
    void podRunsAndBecomesReadyByItsHttpProbe(KubernetesClient client, TestNamespaces namespaces) {
        String namespace = namespaces.create();
        Pod server = startServer(client, namespace);

        assertThat(server.getSpec().getNodeName()).isEqualTo(node.getMetadata().getName());
        assertThat(server.getStatus().getPodIP()).startsWith("10.244.");
        assertThat(client.pods().inNamespace(namespace).withName("server").getLog()).contains("serving");
    }

    @Test
    void clusterDnsAnswersClusterNamesAndNothingElse(KubernetesClient client, TestNamespaces namespaces) {
        String namespace = namespaces.create();

        String log = runToCompletion(client, namespace, "dns",
                "nslookup kubernetes.default.svc.cluster.local && echo RESOLVED;"
                        + " if nslookup example.com; then echo LEAKED; else echo REFUSED; fi");

        assertThat(log).contains("10.96.0.1").contains("RESOLVED").contains("REFUSED").doesNotContain("LEAKED");
    }

    /** A busybox httpd behind a readiness probe, Ready only once the kubelet's probe got its page. */
    private static Pod startServer(KubernetesClient client, String namespace) {
        Container container = container("server",
                "mkdir -p /tmp/www && echo 'hello from the real node' > /tmp/www/index.html"
                        + " && echo serving && exec httpd -f -p 8080 -h /tmp/www");
        container.setReadinessProbe(new ProbeBuilder().withNewHttpGet().withPath("/index.html")
                .withPort(new IntOrString(8080)).endHttpGet().withPeriodSeconds(1).build());
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName("server").withLabels(SERVER).endMetadata()
                .withNewSpec().withContainers(container).endSpec().build()).create();
        return client.pods().inNamespace(namespace).withName("server").waitUntilCondition(Readiness::isPodReady, WITHIN.toSeconds(),
                TimeUnit.SECONDS);
    }

    /** Runs {@code script} in a new pod to its end and returns its log. */
    private static String runToCompletion(KubernetesClient client, String namespace, String name, String script) {
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withRestartPolicy("Never").withContainers(container("main", script)).endSpec().build()).create();
        Pod done = client.pods().inNamespace(namespace).withName(name).waitUntilCondition(
                pod -> pod != null && pod.getStatus() != null
                        && ("Succeeded".equals(pod.getStatus().getPhase()) || "Failed".equals(pod.getStatus().getPhase())),
                WITHIN.toSeconds(), TimeUnit.SECONDS);
        assertThat(done.getStatus().getPhase()).as("pod %s", name).isEqualTo("Succeeded");
        return client.pods().inNamespace(namespace).withName(name).getLog();
    }

    /** A container of the busybox image that runs as in Pod Security "restricted". */
    private static Container container(String name, String script) {
        return new ContainerBuilder().withName(name).withImage(busybox).withImagePullPolicy("Never")
                .withCommand("/bin/sh", "-c", script)
                .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(65534L).withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .build();
    }
}
