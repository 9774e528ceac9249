package dev.mkplat.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mkplat.certs.CertificateAuthority;
import dev.mkplat.certs.CertificateAuthority.ServerCertificate;
import dev.mkplat.certs.KeyType;
import dev.mkplat.certs.Pem;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real node of {@code scripts/test-cluster up --real-node} does what a user's minikube does:
 * containers run and pass real probes, cluster DNS answers, NetworkPolicies are enforced on the data
 * path (kube-router), and Ingresses of class {@code nginx} are served with their TLS Secrets on the
 * node's ports 80 and 443.
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
        // The node's test image (scripts/lib/real-node.sh: busybox-static from Debian), by the name it was imported
        // under.
        busybox = node.getStatus().getImages().stream()
                .flatMap(image -> image.getNames().stream())
                .filter(name -> name.startsWith("mkplat.invalid/busybox:"))
                .findFirst()
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
        assertThat(Quantity.getAmountInBytes(allocatable.get("memory")).longValueExact())
                .isEqualTo(3700L << 20);
        assertThat(node.getSpec().getTaints()).isNullOrEmpty();
    }

    @Test
    void podRunsAndBecomesReadyByItsHttpProbe(KubernetesClient client, TestNamespaces namespaces) {
        String namespace = namespaces.create();
        Pod server = startServer(client, namespace);

        assertThat(server.getSpec().getNodeName()).isEqualTo(node.getMetadata().getName());
        assertThat(server.getStatus().getPodIP()).startsWith("10.244.");
        assertThat(client.pods().inNamespace(namespace).withName("server").getLog())
                .contains("serving");
    }

    @Test
    void clusterDnsAnswersClusterNamesAndNothingElse(KubernetesClient client, TestNamespaces namespaces) {
        String namespace = namespaces.create();

        String log = runToCompletion(
                client,
                namespace,
                "dns",
                "nslookup kubernetes.default.svc.cluster.local && echo RESOLVED;"
                        + " if nslookup example.com; then echo LEAKED; else echo REFUSED; fi");

        assertThat(log)
                .contains("10.96.0.1")
                .contains("RESOLVED")
                .contains("REFUSED")
                .doesNotContain("LEAKED");
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
        Service service = client.services()
                .inNamespace(namespace)
                .resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withName("server")
                        .endMetadata()
                        .withNewSpec()
                        .withSelector(SERVER)
                        .addNewPort()
                        .withPort(8080)
                        .withTargetPort(new IntOrString(8080))
                        .endPort()
                        .endSpec()
                        .build())
                .create();
        String target = service.getSpec().getClusterIP();
        startIdle(client, namespace, "client", Map.of("role", "client"));
        startIdle(client, namespace, "other", Map.of("role", "other"));
        await("client reaches the server without policies")
                .atMost(WITHIN)
                .pollInterval(POLL)
                .until(() -> reaches(client, namespace, "client", target));
        assertThat(reaches(client, namespace, "other", target))
                .as("other reaches the server without policies")
                .isTrue();

        client.network()
                .v1()
                .networkPolicies()
                .inNamespace(namespace)
                .resource(new NetworkPolicyBuilder()
                        .withNewMetadata()
                        .withName("default-deny")
                        .endMetadata()
                        .withNewSpec()
                        .withNewPodSelector()
                        .endPodSelector()
                        .withPolicyTypes("Ingress")
                        .endSpec()
                        .build())
                .create();
        await("default-deny closes the flow")
                .atMost(WITHIN)
                .pollInterval(POLL)
                .until(() -> !reaches(client, namespace, "client", target));
        assertThat(reaches(client, namespace, "other", target))
                .as("other under default-deny")
                .isFalse();

        client.network()
                .v1()
                .networkPolicies()
                .inNamespace(namespace)
                .resource(new NetworkPolicyBuilder()
                        .withNewMetadata()
                        .withName("server-from-client")
                        .endMetadata()
                        .withNewSpec()
                        .withNewPodSelector()
                        .withMatchLabels(SERVER)
                        .endPodSelector()
                        .withPolicyTypes("Ingress")
                        .addNewIngress()
                        .addNewFrom()
                        .withNewPodSelector()
                        .withMatchLabels(Map.of("role", "client"))
                        .endPodSelector()
                        .endFrom()
                        .addNewPort()
                        .withProtocol("TCP")
                        .withPort(new IntOrString(8080))
                        .endPort()
                        .endIngress()
                        .endSpec()
                        .build())
                .create();
        await("the allow policy opens the flow for the client")
                .atMost(WITHIN)
                .pollInterval(POLL)
                .until(() -> reaches(client, namespace, "client", target));
        assertThat(reaches(client, namespace, "other", target))
                .as("other, which the allow policy does not name")
                .isFalse();
        assertThat(Readiness.isPodReady(
                        client.pods().inNamespace(namespace).withName("server").get()))
                .as("the server's kubelet probe under the policies")
                .isTrue();
    }

    /**
     * An Ingress of class nginx with a TLS Secret, answered on the node's port 443 with the Secret's
     * certificate (the client trusts only the test's CA) and the backend's page; plain http on port 80
     * is redirected to https, as ingress-nginx does. The controller publishes the node's address.
     */
    @Test
    void ingressOfClassNginxServesItsTlsSecretOnTheNodesPort443(KubernetesClient client, TestNamespaces namespaces)
            throws Exception {
        String namespace = namespaces.create();
        String host = "web.real-node.test";
        CertificateAuthority ca =
                CertificateAuthority.create("real-node.test", KeyType.EC, Duration.ofDays(1), Clock.systemUTC());
        ServerCertificate served = ca.issue(List.of(host), KeyType.EC, Duration.ofDays(1), Clock.systemUTC());
        startServer(client, namespace);
        client.services()
                .inNamespace(namespace)
                .resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withName("web")
                        .endMetadata()
                        .withNewSpec()
                        .withSelector(SERVER)
                        .addNewPort()
                        .withName("http")
                        .withPort(80)
                        .withTargetPort(new IntOrString(8080))
                        .endPort()
                        .endSpec()
                        .build())
                .create();
        client.secrets()
                .inNamespace(namespace)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("web-tls")
                        .endMetadata()
                        .withType("kubernetes.io/tls")
                        .withStringData(Map.of(
                                "tls.crt",
                                Pem.certificates(List.of(served.certificate())),
                                "tls.key",
                                Pem.privateKey(served.key())))
                        .build())
                .create();
        client.network()
                .v1()
                .ingresses()
                .inNamespace(namespace)
                .resource(new IngressBuilder()
                        .withNewMetadata()
                        .withName("web")
                        .endMetadata()
                        .withNewSpec()
                        .withIngressClassName("nginx")
                        .addNewTl()
                        .withHosts(host)
                        .withSecretName("web-tls")
                        .endTl()
                        .addNewRule()
                        .withHost(host)
                        .withNewHttp()
                        .addNewPath()
                        .withPath("/")
                        .withPathType("Prefix")
                        .withNewBackend()
                        .withNewService()
                        .withName("web")
                        .withNewPort()
                        .withName("http")
                        .endPort()
                        .endService()
                        .endBackend()
                        .endPath()
                        .endHttp()
                        .endRule()
                        .endSpec()
                        .build())
                .create();
        String address = nodeAddress();
        SSLContext trustingOnlyTheCa = trusting(ca);

        await("https://" + host + "/index.html through " + address + ":443")
                .atMost(WITHIN)
                .pollInterval(POLL)
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(httpsGet(trustingOnlyTheCa, address, host, "/index.html")
                                .response())
                        .startsWith("HTTP/1.1 200")
                        .contains(PAGE));
        Answer answer = httpsGet(trustingOnlyTheCa, address, host, "/index.html");
        assertThat(answer.peer()[0]).as("the certificate served for " + host).isEqualTo(served.certificate());

        assertThat(httpGet(address, host, "/index.html"))
                .as("plain http on port 80")
                .startsWith("HTTP/1.1 308")
                .containsIgnoringCase("location: https://" + host + "/index.html");
        await("the Ingress's published address")
                .atMost(WITHIN)
                .pollInterval(POLL)
                .untilAsserted(() -> {
                    Ingress ingress = client.network()
                            .v1()
                            .ingresses()
                            .inNamespace(namespace)
                            .withName("web")
                            .get();
                    assertThat(ingress.getStatus().getLoadBalancer().getIngress())
                            .singleElement()
                            .satisfies(
                                    published -> assertThat(published.getIp()).isEqualTo(address));
                });
    }

    /** A busybox httpd behind a readiness probe, Ready only once the kubelet's probe got its page. */
    private static Pod startServer(KubernetesClient client, String namespace) {
        Container container = container(
                "server",
                "mkdir -p /tmp/www && echo '" + PAGE + "' > /tmp/www/index.html"
                        + " && echo serving && exec httpd -f -p 8080 -h /tmp/www");
        container.setReadinessProbe(new ProbeBuilder()
                .withNewHttpGet()
                .withPath("/index.html")
                .withPort(new IntOrString(8080))
                .endHttpGet()
                .withPeriodSeconds(1)
                .build());
        client.pods()
                .inNamespace(namespace)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("server")
                        .withLabels(SERVER)
                        .endMetadata()
                        .withNewSpec()
                        .withContainers(container)
                        .endSpec()
                        .build())
                .create();
        return client.pods()
                .inNamespace(namespace)
                .withName("server")
                .waitUntilCondition(Readiness::isPodReady, WITHIN.toSeconds(), TimeUnit.SECONDS);
    }

    /** A pod that only waits, to run commands in. */
    private static void startIdle(KubernetesClient client, String namespace, String name, Map<String, String> labels) {
        client.pods()
                .inNamespace(namespace)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(labels)
                        .endMetadata()
                        .withNewSpec()
                        .withContainers(container("main", "exec sleep 3600"))
                        .endSpec()
                        .build())
                .create();
        client.pods()
                .inNamespace(namespace)
                .withName(name)
                .waitUntilCondition(Readiness::isPodReady, WITHIN.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Whether pod {@code from} gets the server's page from {@code ip}:8080 with busybox's nc (2 s to
     * connect: a dropped SYN is a closed flow, and so is a rejected one).
     */
    private static boolean reaches(KubernetesClient client, String namespace, String from, String ip) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String request = "printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc -w 2 " + ip + " 8080";
        try (ExecWatch exec = client.pods()
                .inNamespace(namespace)
                .withName(from)
                .writingOutput(out)
                .writingError(out)
                .exec("/bin/sh", "-c", request)) {
            exec.exitCode().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("exec in " + from + " failed", e);
        }
        return out.toString(StandardCharsets.UTF_8).contains(PAGE);
    }

    private static String nodeAddress() {
        return node.getStatus().getAddresses().stream()
                .filter(address -> "InternalIP".equals(address.getType()))
                .map(NodeAddress::getAddress)
                .findFirst()
                .orElseThrow(() -> new AssertionError("the node has no InternalIP"));
    }

    private static SSLContext trusting(CertificateAuthority ca) throws GeneralSecurityException, IOException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private record Answer(String response, Certificate[] peer) {}

    /**
     * GET {@code path} from {@code address}:443 as {@code host}: SNI and the certificate check use the
     * host name, as a client whose resolver points the host at the node would (curl's --resolve).
     */
    private static Answer httpsGet(SSLContext context, String address, String host, String path) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(address, 443), 5_000);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, 443, true)) {
            socket.setSoTimeout(5_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return new Answer(exchange(socket, host, path), socket.getSession().getPeerCertificates());
        }
    }

    private static String httpGet(String address, String host, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, 80), 5_000);
            socket.setSoTimeout(5_000);
            return exchange(socket, host, path);
        }
    }

    private static String exchange(Socket socket, String host, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        try (InputStream in = socket.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Runs {@code script} in a new pod to its end and returns its log. */
    private static String runToCompletion(KubernetesClient client, String namespace, String name, String script) {
        client.pods()
                .inNamespace(namespace)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withNewSpec()
                        .withRestartPolicy("Never")
                        .withContainers(container("main", script))
                        .endSpec()
                        .build())
                .create();
        Pod done = client.pods()
                .inNamespace(namespace)
                .withName(name)
                .waitUntilCondition(
                        pod -> pod != null
                                && pod.getStatus() != null
                                && ("Succeeded".equals(pod.getStatus().getPhase())
                                        || "Failed".equals(pod.getStatus().getPhase())),
                        WITHIN.toSeconds(),
                        TimeUnit.SECONDS);
        assertThat(done.getStatus().getPhase()).as("pod %s", name).isEqualTo("Succeeded");
        return client.pods().inNamespace(namespace).withName(name).getLog();
    }

    /** A container of the busybox image that runs as in Pod Security "restricted". */
    private static Container container(String name, String script) {
        return new ContainerBuilder()
                .withName(name)
                .withImage(busybox)
                .withImagePullPolicy("Never")
                .withCommand("/bin/sh", "-c", script)
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(65534L)
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .build();
    }
}
