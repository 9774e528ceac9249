package dev.mkplat.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.manifests.NetworkPolicyEvaluator.Connection;
import dev.mkplat.manifests.NetworkPolicyEvaluator.Endpoint;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The evaluator follows the API's semantics on small hand-written policies. */
class NetworkPolicyEvaluatorTest {
    private static final Map<String, Map<String, String>> NAMESPACES = Map.of(
            "a", Map.of("kubernetes.io/metadata.name", "a", "team", "x"),
            "b", Map.of("kubernetes.io/metadata.name", "b", "team", "x"),
            "c", Map.of("kubernetes.io/metadata.name", "c"));
    private static final Endpoint WEB_A =
            Endpoint.pod("web", "a", Map.of("app", "web"), "10.0.0.1", Map.of("http", 8080));
    private static final Endpoint DB_A = Endpoint.pod("db", "a", Map.of("app", "db"), "10.0.0.2", Map.of("pg", 5432));
    private static final Endpoint WEB_B = Endpoint.pod("web", "b", Map.of("app", "web"), "10.0.0.3", Map.of());
    private static final Endpoint JOB_B = Endpoint.pod("job", "b", Map.of("app", "job"), "10.0.0.4", Map.of());
    private static final Endpoint WEB_C = Endpoint.pod("web", "c", Map.of("app", "web"), "10.0.0.5", Map.of());
    private static final Endpoint INTERNET = Endpoint.external("internet", "8.8.8.8");

    private static NetworkPolicyEvaluator evaluator(String... yaml) {
        List<NetworkPolicy> policies = java.util.Arrays.stream(yaml)
                .map(text -> Bundle.FABRIC8.unmarshal(text, NetworkPolicy.class))
                .toList();
        return new NetworkPolicyEvaluator(policies, NAMESPACES);
    }

    private static String ingressToDb(String peers, String ports) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: p, namespace: a}
                spec:
                  podSelector: {matchLabels: {app: db}}
                  ingress:
                    - from: %s
                      ports: %s
                """.formatted(peers, ports);
    }

    @Test
    void withoutPoliciesEverythingIsAllowed() {
        assertThat(evaluator().allowed(new Connection(WEB_C, DB_A, 5432, "TCP")))
                .isTrue();
    }

    @Test
    void namespaceAndPodSelectorInOnePeerAreAnded() {
        NetworkPolicyEvaluator and = evaluator(ingressToDb(
                "[{namespaceSelector: {matchLabels: {team: x}}, podSelector: {matchLabels: {app: web}}}]", "[]"));

        assertThat(and.allowed(new Connection(WEB_B, DB_A, 5432, "TCP"))).isTrue();
        assertThat(and.allowed(new Connection(JOB_B, DB_A, 5432, "TCP")))
                .as("right namespace, wrong pod")
                .isFalse();
        assertThat(and.allowed(new Connection(WEB_C, DB_A, 5432, "TCP")))
                .as("right pod, wrong namespace")
                .isFalse();
    }

    @Test
    void twoPeersAreOred() {
        NetworkPolicyEvaluator or = evaluator(ingressToDb(
                "[{namespaceSelector: {matchLabels: {team: x}}}, {podSelector: {matchLabels: {app: web}}}]", "[]"));

        assertThat(or.allowed(new Connection(JOB_B, DB_A, 5432, "TCP")))
                .as("by namespace")
                .isTrue();
        assertThat(or.allowed(new Connection(WEB_A, DB_A, 5432, "TCP")))
                .as("by pod, own namespace")
                .isTrue();
        assertThat(or.allowed(new Connection(WEB_C, DB_A, 5432, "TCP")))
                .as("a podSelector alone means the policy's namespace")
                .isFalse();
    }

    @Test
    void portsAreMatchedByNumberNameRangeAndProtocol() {
        NetworkPolicyEvaluator byName = evaluator(ingressToDb("[{podSelector: {}}]", "[{port: pg}]"));
        NetworkPolicyEvaluator byRange =
                evaluator(ingressToDb("[{podSelector: {}}]", "[{port: 5000, endPort: 6000, protocol: TCP}]"));

        assertThat(byName.allowed(new Connection(WEB_A, DB_A, 5432, "TCP"))).isTrue();
        assertThat(byName.allowed(new Connection(WEB_A, DB_A, 5433, "TCP"))).isFalse();
        assertThat(byRange.allowed(new Connection(WEB_A, DB_A, 5432, "TCP"))).isTrue();
        assertThat(byRange.allowed(new Connection(WEB_A, DB_A, 5432, "UDP"))).isFalse();
        assertThat(byRange.allowed(new Connection(WEB_A, DB_A, 6001, "TCP"))).isFalse();
    }

    @Test
    void anIsolatedPodNeedsBothEnds() {
        String denyEgressOfWeb = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: deny, namespace: a}
                spec:
                  podSelector: {matchLabels: {app: web}}
                  policyTypes: [Egress]
                """;
        NetworkPolicyEvaluator evaluator = evaluator(denyEgressOfWeb, ingressToDb("[{podSelector: {}}]", "[]"));

        Connection webToDb = new Connection(WEB_A, DB_A, 5432, "TCP");
        assertThat(evaluator.ingressAllowed(webToDb)).isTrue();
        assertThat(evaluator.egressAllowed(webToDb)).isFalse();
        assertThat(evaluator.allowed(webToDb)).isFalse();
        assertThat(evaluator.isolatedForIngress(WEB_A))
                .as("an Egress-only policy does not isolate ingress")
                .isFalse();
    }

    @Test
    void policyTypesDefaultToIngressPlusEgressWhenThereAreEgressRules() {
        NetworkPolicyEvaluator evaluator = evaluator("""
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: p, namespace: a}
                spec:
                  podSelector: {}
                  egress:
                    - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]
                """);

        assertThat(evaluator.isolatedForIngress(WEB_A)).isTrue();
        assertThat(evaluator.allowed(new Connection(WEB_A, INTERNET, 443, "TCP")))
                .isTrue();
        assertThat(evaluator.allowed(new Connection(WEB_A, WEB_B, 80, "TCP")))
                .as("10/8 is excepted")
                .isFalse();
        assertThat(evaluator.allowed(new Connection(INTERNET, WEB_A, 80, "TCP")))
                .as("no ingress rule")
                .isFalse();
    }

    @Test
    void emptyFromAllowsEveryone() {
        NetworkPolicyEvaluator evaluator = evaluator(ingressToDb("[]", "[{port: 5432}]"));

        assertThat(evaluator.allowed(new Connection(INTERNET, DB_A, 5432, "TCP")))
                .isTrue();
        assertThat(evaluator.allowed(new Connection(WEB_C, DB_A, 5432, "TCP"))).isTrue();
    }
}
