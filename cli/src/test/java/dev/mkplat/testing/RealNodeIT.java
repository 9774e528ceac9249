package dev.mkplat.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.readiness.Readiness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real node of {@code scripts/test-cluster up --real-node} does what a user's minikube does:
 * containers run and pass real probes, cluster DNS answers, NetworkPolicies are enforced on the data
 * path (kube-router).
 */
@TestCluster(realNode = true)
class RealNodeIT {
    private static final Duration WITHIN = Duration.ofSeconds(90);
    private static final String NODE_LABEL = "mkplat.io/test-cluster-node";
    private static final Map<String, String> SERVER = Map.of("app", "server");

    private static final Duration POLL = Duration.ofMillis(500);
    private static final String PAGE = "hello from the real node";

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

    /**
     * A TCP flow between two pods, through the server's Service (kube-proxy's DNAT, then kube-router's
     * filter): open without policies, closed by a default-deny policy, open again for the client that
     * an allow policy names and still closed for a pod it does not name. The kubelet's probes, which
     * come from the node itself, keep passing throughout, as on any cluster.
     */
    @Test
    void networkPoliciesAreEnforcedOnTheDataPath(KubernetesClient client, TestNamespaces namespaces) {
        String namespace = namespaces.create();
        startServer(client, namespace);
        Service service = client.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata().withName("server")
                .endMetadata().withNewSpec().withSelector(SERVER).addNewPort().withPort(8080).withTargetPort(new IntOrString(8080))
                .endPort().endSpec().build()).create();
        String target = service.getSpec().getClusterIP();
        startIdle(client, namespace, "client", Map.of("role", "client"));
        startIdle(client, namespace, "other", Map.of("role", "other"));
        await("client reaches the server without policies").atMost(WITHIN).pollInterval(POLL)
                .until(() -> reaches(client, namespace, "client", target));
        assertThat(reaches(client, namespace, "other", target)).as("other reaches the server without policies").isTrue();

        client.network().v1().networkPolicies().inNamespace(namespace).resource(new NetworkPolicyBuilder().withNewMetadata()
                .withName("default-deny").endMetadata().withNewSpec().withNewPodSelector().endPodSelector()
                .withPolicyTypes("Ingress").endSpec().build()).create();
        await("default-deny closes the flow").atMost(WITHIN).pollInterval(POLL)
                .until(() -> !reaches(client, namespace, "client", target));
        assertThat(reaches(client, namespace, "other", target)).as("other under default-deny").isFalse();

        client.network().v1().networkPolicies().inNamespace(namespace).resource(new NetworkPolicyBuilder().withNewMetadata()
                .withName("server-from-client").endMetadata().withNewSpec().withNewPodSelector().withMatchLabels(SERVER).endPodSelector()
                .withPolicyTypes("Ingress").addNewIngress().addNewFrom().withNewPodSelector().withMatchLabels(Map.of("role", "client"))
                .endPodSelector().endFrom().addNewPort().withProtocol("TCP").withPort(new IntOrString(8080)).endPort().endIngress()
                .endSpec().build()).create();
        await("the allow policy opens the flow for the client").atMost(WITHIN).pollInterval(POLL)
                .until(() -> reaches(client, namespace, "client", target));
        assertThat(reaches(client, namespace, "other", target)).as("other, which the allow policy does not name").isFalse();
        assertThat(Readiness.isPodReady(client.pods().inNamespace(namespace).withName("server").get()))
                .as("the server's kubelet probe under the policies").isTrue();
    }

    /** A busybox httpd behind a readiness probe, Ready only once the kubelet's probe got its page. */
    private static Pod startServer(KubernetesClient client, String namespace) {
        Container container = container("server",
                "mkdir -p /tmp/www && echo '" + PAGE + "' > /tmp/www/index.html"
                        + " && echo serving && exec httpd -f -p 8080 -h /tmp/www");
        container.setReadinessProbe(new ProbeBuilder().withNewHttpGet().withPath("/index.html")
                .withPort(new IntOrString(8080)).endHttpGet().withPeriodSeconds(1).build());
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName("server").withLabels(SERVER).endMetadata()
                .withNewSpec().withContainers(container).endSpec().build()).create();
        return client.pods().inNamespace(namespace).withName("server").waitUntilCondition(Readiness::isPodReady, WITHIN.toSeconds(),
                TimeUnit.SECONDS);
    }

    /** A pod that only waits, to run commands in. */
    private static void startIdle(KubernetesClient client, String namespace, String name, Map<String, String> labels) {
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withContainers(container("main", "exec sleep 3600")).endSpec().build()).create();
        client.pods().inNamespace(namespace).withName(name).waitUntilCondition(Readiness::isPodReady, WITHIN.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Whether pod {@code from} gets the server's page from {@code ip}:8080 with busybox's nc (2 s to
     * connect: a dropped SYN is a closed flow, and so is a rejected one).
     */
    private static boolean reaches(KubernetesClient client, String namespace, String from, String ip) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String request = "printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc -w 2 " + ip + " 8080";
        try (ExecWatch exec = client.pods().inNamespace(namespace).withName(from).writingOutput(out).writingError(out)
                .exec("/bin/sh", "-c", request)) {
            exec.exitCode().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("exec in " + from + " failed", e);
        }
        return out.toString(StandardCharsets.UTF_8).contains(PAGE);
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
