package dev.mkplat.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.manifests.NetworkPolicyEvaluator.Connection;
import dev.mkplat.manifests.NetworkPolicyEvaluator.Endpoint;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The NetworkPolicies allow exactly the intended flows ({@link #intendedFlows}), each on both ends,
 * and deny every other connection to, from or between platform pods, in both storage modes. The
 * cluster around the platform is modelled with the pods the policies name (kube-dns, the
 * ingress-nginx controller, Prometheus) and some they must not let in (Grafana, a pod in default,
 * other kube-system pods, hosts on the internet and the LAN).
 */
class NetworkPolicyTest {
    /** The namespaces whose pods the bundle isolates. monitoring is the documented exception. */
    static final Set<String> PLATFORM_NAMESPACES = Set.of("api", "auth", "images", "db", "infra");

    /** A port an endpoint listens on. */
    record Port(int number, String protocol) {}

    /** One intended flow: pod name (app.kubernetes.io/name) or external host, to a port. */
    record Flow(String from, String to, int port, String protocol) {}

    /** The flows of the issue, per storage mode. Every platform pod also reaches kube-dns. */
    static List<Flow> intendedFlows(String storageMode, List<String> platformPods) {
        List<Flow> flows = new ArrayList<>(List.of(
                new Flow("ingress-nginx", "api", 3000, "TCP"),
                new Flow("ingress-nginx", "auth", 5000, "TCP"),
                new Flow("ingress-nginx", "images", 8080, "TCP"),
                new Flow("api", "auth", 5000, "TCP"),
                new Flow("images", "auth", 5000, "TCP"),
                new Flow("api", "postgres", 5432, "TCP"),
                new Flow("auth", "postgres", 5432, "TCP"),
                new Flow("auth", "redis", 6379, "TCP"),
                new Flow("prometheus", "api", 9464, "TCP"),
                new Flow("prometheus", "auth", 9464, "TCP"),
                new Flow("prometheus", "images", 9464, "TCP")));
        if (storageMode.equals("emulator")) {
            flows.add(new Flow("images", "gcs-emulator", 4443, "TCP"));
        } else {
            flows.add(new Flow("images", "storage.googleapis.com", 443, "TCP"));
            // Application Default Credentials ask the metadata server for tokens (Workload Identity on GKE).
            flows.add(new Flow("images", "cloud-metadata", 80, "TCP"));
        }
        for (String pod : platformPods) {
            flows.add(new Flow(pod, "kube-dns", 53, "UDP"));
            flows.add(new Flow(pod, "kube-dns", 53, "TCP"));
        }
        return flows;
    }

    @ParameterizedTest
    @ValueSource(strings = {"emulator", "gcs"})
    void exactlyTheIntendedFlowsAreAllowed(String storageMode) {
        Cluster cluster = Cluster.of(storageMode);
        Set<Flow> intended = Set.copyOf(intendedFlows(storageMode, cluster.platformPods()));

        List<String> wronglyDenied = new ArrayList<>();
        List<String> wronglyAllowed = new ArrayList<>();
        for (Endpoint from : cluster.endpoints()) {
            for (Endpoint to : cluster.endpoints()) {
                if (from == to || !(cluster.isPlatform(from) || cluster.isPlatform(to))) {
                    continue;
                }
                for (Port port : cluster.ports(to)) {
                    Connection connection = new Connection(from, to, port.number(), port.protocol());
                    boolean allowed = cluster.evaluator().allowed(connection);
                    boolean wanted =
                            intended.contains(new Flow(from.name(), to.name(), port.number(), port.protocol()));
                    if (wanted && !allowed) {
                        wronglyDenied.add(connection.toString());
                    } else if (!wanted && allowed) {
                        wronglyAllowed.add(connection.toString());
                    }
                }
            }
        }

        assertThat(wronglyDenied).as("intended flows the policies deny").isEmpty();
        assertThat(wronglyAllowed)
                .as("flows the policies allow but nobody intended")
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"emulator", "gcs"})
    void eachIntendedFlowIsAllowedExplicitlyOnBothEnds(String storageMode) {
        Cluster cluster = Cluster.of(storageMode);
        for (Flow flow : intendedFlows(storageMode, cluster.platformPods())) {
            Endpoint from = cluster.endpoint(flow.from());
            Endpoint to = cluster.endpoint(flow.to());
            Connection connection = new Connection(from, to, flow.port(), flow.protocol());
            if (cluster.isPlatform(from)) {
                assertThat(cluster.evaluator().isolatedForEgress(from))
                        .as(from + " is isolated for egress")
                        .isTrue();
                assertThat(cluster.evaluator().egressAllowed(connection))
                        .as("egress of " + connection)
                        .isTrue();
            }
            if (cluster.isPlatform(to)) {
                assertThat(cluster.evaluator().isolatedForIngress(to))
                        .as(to + " is isolated for ingress")
                        .isTrue();
                assertThat(cluster.evaluator().ingressAllowed(connection))
                        .as("ingress of " + connection)
                        .isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"emulator", "gcs"})
    void everyPlatformNamespaceDeniesAllByDefault(String storageMode) {
        Cluster cluster = Cluster.of(storageMode);
        for (String namespace : PLATFORM_NAMESPACES) {
            NetworkPolicy deny = cluster.policies().stream()
                    .filter(p -> p.getMetadata().getNamespace().equals(namespace)
                            && p.getMetadata().getName().equals("default-deny-all"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(namespace + " has no default-deny-all"));
            assertThat(deny.getSpec().getPodSelector().getMatchLabels())
                    .as(namespace + " selects every pod")
                    .isNullOrEmpty();
            assertThat(deny.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
            assertThat(deny.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
            assertThat(deny.getSpec().getIngress()).isNullOrEmpty();
            assertThat(deny.getSpec().getEgress()).isNullOrEmpty();
        }
        assertThat(cluster.policies())
                .allSatisfy(policy -> assertThat(policy.getMetadata().getNamespace())
                        .as(policy.getMetadata().getName() + " is in a platform namespace or monitoring")
                        .isIn(Set.of("api", "auth", "images", "db", "infra", "monitoring")));
    }

    /**
     * monitoring denies by default too, then takes Grafana's ingress from the controller and nothing
     * else from other namespaces; Prometheus reaches the platform's metrics ports, the API server's
     * ports and the nodes' exporters, and nothing else outside the namespace.
     */
    @ParameterizedTest
    @ValueSource(strings = {"emulator", "gcs"})
    void monitoringTakesGrafanasIngressAndPrometheusReachesItsTargets(String storageMode) {
        Cluster cluster = Cluster.of(storageMode);
        NetworkPolicyEvaluator policies = cluster.evaluator();
        Endpoint prometheus = cluster.endpoint("prometheus");
        Endpoint grafana = cluster.endpoint("grafana");
        assertThat(policies.isolatedForIngress(prometheus)).isTrue();
        assertThat(policies.isolatedForEgress(prometheus)).isTrue();
        assertThat(policies.isolatedForIngress(grafana)).isTrue();

        assertThat(policies.allowed(new Connection(cluster.endpoint("ingress-nginx"), grafana, 3000, "TCP")))
                .isTrue();
        assertThat(policies.allowed(new Connection(cluster.endpoint("stranger"), grafana, 3000, "TCP")))
                .isFalse();
        assertThat(policies.allowed(new Connection(cluster.endpoint("stranger"), prometheus, 9090, "TCP")))
                .isFalse();
        assertThat(policies.allowed(new Connection(cluster.endpoint("api"), prometheus, 9090, "TCP")))
                .isFalse();
        assertThat(policies.allowed(new Connection(grafana, prometheus, 9090, "TCP")))
                .as("within the namespace")
                .isTrue();
        for (String service : List.of("api", "auth", "images")) {
            assertThat(policies.allowed(new Connection(prometheus, cluster.endpoint(service), 9464, "TCP")))
                    .as(service)
                    .isTrue();
        }
        assertThat(policies.allowed(new Connection(prometheus, cluster.endpoint("postgres"), 5432, "TCP")))
                .isFalse();
        assertThat(policies.allowed(new Connection(prometheus, cluster.endpoint("kube-dns"), 53, "UDP")))
                .isTrue();
        assertThat(policies.egressAllowed(new Connection(prometheus, cluster.endpoint("node"), 443, "TCP")))
                .as("the API server")
                .isTrue();
        assertThat(policies.egressAllowed(new Connection(prometheus, cluster.endpoint("node"), 10250, "TCP")))
                .as("the kubelet")
                .isTrue();
        assertThat(policies.egressAllowed(new Connection(prometheus, cluster.endpoint("lan-host"), 80, "TCP")))
                .isFalse();
        assertThat(policies.egressAllowed(new Connection(grafana, cluster.endpoint("lan-host"), 80, "TCP")))
                .isFalse();
    }

    /** The platform in one storage mode, and the cluster around it. */
    record Cluster(
            List<NetworkPolicy> policies,
            Map<String, Map<String, String>> namespaceLabels,
            List<Endpoint> endpoints,
            Map<String, List<Port>> portsByEndpoint,
            NetworkPolicyEvaluator evaluator) {

        static Cluster of(String storageMode) {
            List<Bundle.Document> documents = Bundle.get().documents(storageMode);
            List<NetworkPolicy> policies = documents.stream()
                    .filter(d -> d.kind().equals("NetworkPolicy"))
                    .map(d -> d.as(NetworkPolicy.class))
                    .toList();

            Map<String, Map<String, String>> namespaces = new HashMap<>();
            for (Bundle.Document namespace :
                    documents.stream().filter(d -> d.kind().equals("Namespace")).toList()) {
                Map<String, String> labels = new HashMap<>();
                namespace.labels().forEachEntry((key, value) -> labels.put(key, value.asString()));
                namespaces.put(namespace.name(), labels);
            }
            for (String other : List.of("kube-system", "ingress-nginx", "default")) {
                namespaces.put(other, new HashMap<>());
            }
            // The apiserver labels every namespace with its name.
            namespaces.forEach((name, labels) -> labels.put("kubernetes.io/metadata.name", name));

            List<Endpoint> endpoints = new ArrayList<>();
            Map<String, List<Port>> ports = new LinkedHashMap<>();
            int ip = 10;
            for (Bundle.PodTemplate workload : Bundle.get().podTemplates()) {
                if (!workload.owner().inStorageMode(storageMode)) {
                    continue;
                }
                Map<String, Integer> named = new HashMap<>();
                List<Port> open = new ArrayList<>();
                for (Container container : workload.template().getSpec().getContainers()) {
                    for (ContainerPort port : container.getPorts()) {
                        named.put(port.getName(), port.getContainerPort());
                        open.add(new Port(
                                port.getContainerPort(), port.getProtocol() == null ? "TCP" : port.getProtocol()));
                    }
                }
                String name = workload.template().getMetadata().getLabels().get("app.kubernetes.io/name");
                endpoints.add(Endpoint.pod(
                        name,
                        workload.owner().namespace(),
                        workload.template().getMetadata().getLabels(),
                        "10.244.0." + ip++,
                        named));
                ports.put(name, open);
            }
            addPod(
                    endpoints,
                    ports,
                    "kube-dns",
                    "kube-system",
                    Map.of("k8s-app", "kube-dns"),
                    "10.244.1.2",
                    new Port(53, "UDP"),
                    new Port(53, "TCP"));
            addPod(
                    endpoints,
                    ports,
                    "metrics-server",
                    "kube-system",
                    Map.of("k8s-app", "metrics-server"),
                    "10.244.1.3",
                    new Port(10250, "TCP"));
            addPod(
                    endpoints,
                    ports,
                    "ingress-nginx",
                    "ingress-nginx",
                    Map.of("app.kubernetes.io/name", "ingress-nginx", "app.kubernetes.io/component", "controller"),
                    "10.244.1.4",
                    new Port(443, "TCP"));
            addPod(
                    endpoints,
                    ports,
                    "prometheus",
                    "monitoring",
                    Map.of("app.kubernetes.io/name", "prometheus"),
                    "10.244.1.5",
                    new Port(9090, "TCP"));
            addPod(
                    endpoints,
                    ports,
                    "grafana",
                    "monitoring",
                    Map.of("app.kubernetes.io/name", "grafana"),
                    "10.244.1.6",
                    new Port(3000, "TCP"));
            addPod(
                    endpoints,
                    ports,
                    "stranger",
                    "default",
                    Map.of("app.kubernetes.io/name", "api"),
                    "10.244.1.7",
                    new Port(3000, "TCP"));
            addExternal(endpoints, ports, "storage.googleapis.com", "142.250.180.27");
            addExternal(endpoints, ports, "cloud-metadata", "169.254.169.254");
            addExternal(endpoints, ports, "lan-host", "192.168.1.20");
            addExternal(endpoints, ports, "node", "10.0.2.15");

            return new Cluster(
                    policies, namespaces, endpoints, ports, new NetworkPolicyEvaluator(policies, namespaces));
        }

        private static void addPod(
                List<Endpoint> endpoints,
                Map<String, List<Port>> ports,
                String name,
                String namespace,
                Map<String, String> labels,
                String ip,
                Port... open) {
            endpoints.add(Endpoint.pod(name, namespace, labels, ip, Map.of()));
            ports.put(name, List.of(open));
        }

        private static void addExternal(
                List<Endpoint> endpoints, Map<String, List<Port>> ports, String name, String ip) {
            endpoints.add(Endpoint.external(name, ip));
            ports.put(name, List.of(new Port(443, "TCP"), new Port(80, "TCP")));
        }

        boolean isPlatform(Endpoint endpoint) {
            return endpoint.isPod() && PLATFORM_NAMESPACES.contains(endpoint.namespace());
        }

        List<String> platformPods() {
            return endpoints.stream()
                    .filter(this::isPlatform)
                    .map(Endpoint::name)
                    .toList();
        }

        Endpoint endpoint(String name) {
            return endpoints.stream()
                    .filter(e -> e.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no endpoint " + name));
        }

        /** Each port of an endpoint with each protocol it is open on. */
        List<Port> ports(Endpoint endpoint) {
            return portsByEndpoint.get(endpoint.name());
        }
    }
}
