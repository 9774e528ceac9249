package dev.mkplat.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which policy peers name the other side of a partition: the selectors as the apiserver evaluates them. */
class NetworkPartitionsTest {
    private static final Map<String, String> API_NAMESPACE = Map.of("kubernetes.io/metadata.name", "api");
    private static final Map<String, String> API_POD =
            Map.of("app.kubernetes.io/name", "api", "app.kubernetes.io/part-of", "mkplat");

    private static NetworkPolicyPeer peer(Map<String, String> namespace, Map<String, String> pod) {
        var builder = new NetworkPolicyPeerBuilder();
        if (namespace != null) {
            builder.withNamespaceSelector(
                    new LabelSelectorBuilder().withMatchLabels(namespace).build());
        }
        if (pod != null) {
            builder.withPodSelector(
                    new LabelSelectorBuilder().withMatchLabels(pod).build());
        }
        return builder.build();
    }

    @Test
    void aPeerNamingTheNamespaceAndThePodsMatches() {
        assertThat(NetworkPartitions.peersMatch(
                        List.of(peer(API_NAMESPACE, Map.of("app.kubernetes.io/name", "api"))),
                        "auth",
                        API_NAMESPACE,
                        API_POD))
                .isTrue();
        assertThat(NetworkPartitions.peersMatch(List.of(peer(API_NAMESPACE, null)), "auth", API_NAMESPACE, API_POD))
                .isTrue();
    }

    @Test
    void aPeerForAnotherComponentDoesNot() {
        assertThat(NetworkPartitions.peersMatch(
                        List.of(peer(
                                Map.of("kubernetes.io/metadata.name", "images"),
                                Map.of("app.kubernetes.io/name", "images"))),
                        "auth",
                        API_NAMESPACE,
                        API_POD))
                .isFalse();
        assertThat(NetworkPartitions.peersMatch(
                        List.of(peer(API_NAMESPACE, Map.of("app.kubernetes.io/name", "worker"))),
                        "auth",
                        API_NAMESPACE,
                        API_POD))
                .isFalse();
    }

    @Test
    void aPodSelectorAloneMeansThePolicysOwnNamespace() {
        assertThat(NetworkPartitions.peersMatch(
                        List.of(peer(null, Map.of("app.kubernetes.io/name", "api"))), "api", API_NAMESPACE, API_POD))
                .isTrue();
        assertThat(NetworkPartitions.peersMatch(
                        List.of(peer(null, Map.of("app.kubernetes.io/name", "api"))), "auth", API_NAMESPACE, API_POD))
                .isFalse();
    }

    @Test
    void aRuleThatAllowsEveryoneIsNotTakenAway() {
        // Setting it aside would cut every other client as well: no partition counts it.
        assertThat(NetworkPartitions.peersMatch(null, "auth", API_NAMESPACE, API_POD))
                .isFalse();
        assertThat(NetworkPartitions.peersMatch(List.of(new NetworkPolicyPeer()), "auth", API_NAMESPACE, API_POD))
                .isFalse();
    }

    @Test
    void matchExpressionsAreEvaluated() {
        var selector = new LabelSelectorBuilder()
                .addNewMatchExpression()
                .withKey("app.kubernetes.io/name")
                .withOperator("In")
                .withValues("api", "images")
                .endMatchExpression()
                .addNewMatchExpression()
                .withKey("canary")
                .withOperator("DoesNotExist")
                .endMatchExpression()
                .build();
        assertThat(ComponentPods.matches(selector, API_POD)).isTrue();
        assertThat(ComponentPods.matches(selector, Map.of("app.kubernetes.io/name", "api", "canary", "yes")))
                .isFalse();
        assertThat(ComponentPods.matches(selector, Map.of("app.kubernetes.io/name", "auth")))
                .isFalse();
    }
}
