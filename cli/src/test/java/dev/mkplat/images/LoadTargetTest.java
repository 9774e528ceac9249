package dev.mkplat.images;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.kube.NodeInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which local cluster a context is, from what the cluster and PATH show: one row per case. */
class LoadTargetTest {
    private static final Set<String> BOTH = Set.of("minikube", "kind");
    private static final String REGISTRY = "127.0.0.1:5001";

    static Stream<Arguments> clusters() {
        NodeInfo kwok = node("kwok-node-1", Map.of("type", "kwok"));
        NodeInfo realNode = node("build-host", Map.of("mkplat.io/test-cluster-node", "real"));
        NodeInfo minikube =
                node("minikube", Map.of("minikube.k8s.io/name", "minikube", "kubernetes.io/hostname", "minikube"));
        NodeInfo minikubeDev = node("dev", Map.of("minikube.k8s.io/name", "dev"));
        NodeInfo kindControl = node("dev-control-plane", Map.of());
        NodeInfo kindWorker = node("dev-worker2", Map.of());
        return Stream.of(
                Arguments.of(
                        "kwok nodes",
                        facts("kwok-images", "https://127.0.0.1:32764", List.of(kwok), Set.of()),
                        new LoadTarget.TestCluster(REGISTRY)),
                Arguments.of(
                        "the real node",
                        facts("kwok-mkplat-test", "https://127.0.0.1:32764", List.of(realNode), BOTH),
                        new LoadTarget.TestCluster(REGISTRY)),
                Arguments.of(
                        "a kwok context without nodes",
                        facts("kwok-x", "https://127.0.0.1:1", List.of(), Set.of()),
                        new LoadTarget.TestCluster(REGISTRY)),
                Arguments.of(
                        "minikube by label",
                        facts("minikube", "https://192.168.49.2:8443", List.of(minikube), BOTH),
                        new LoadTarget.Minikube("minikube")),
                Arguments.of(
                        "a minikube profile, renamed context",
                        facts("work", "https://192.168.58.2:8443", List.of(minikubeDev), Set.of("minikube")),
                        new LoadTarget.Minikube("dev")),
                Arguments.of(
                        "minikube context, no nodes visible",
                        facts("minikube", "https://192.168.49.2:8443", List.of(), BOTH),
                        new LoadTarget.Minikube("minikube")),
                Arguments.of(
                        "minikube without the tool",
                        facts("minikube", "https://192.168.49.2:8443", List.of(minikube), Set.of("kind")),
                        new LoadTarget.Unsupported(
                                "the cluster is minikube's (profile minikube), but minikube is not on PATH")),
                Arguments.of(
                        "kind by context",
                        facts("kind-dev", "https://127.0.0.1:40123", List.of(kindControl), BOTH),
                        new LoadTarget.Kind("dev")),
                Arguments.of(
                        "kind by node names on loopback",
                        facts("mine", "https://127.0.0.1:40123", List.of(kindControl, kindWorker), Set.of("kind")),
                        new LoadTarget.Kind("dev")),
                Arguments.of(
                        "kind-like names on a remote apiserver",
                        facts("mine", "https://10.0.0.5:6443", List.of(kindControl), BOTH),
                        new LoadTarget.Unsupported(
                                "context 'mine' at https://10.0.0.5:6443 is not minikube, kind or this project's test cluster")),
                Arguments.of(
                        "kind without the tool",
                        facts("kind-dev", "https://127.0.0.1:40123", List.of(kindControl), Set.of()),
                        new LoadTarget.Unsupported("the cluster is kind's (cluster dev), but kind is not on PATH")),
                Arguments.of(
                        "a cloud cluster",
                        facts(
                                "gke_proj_zone_prod",
                                "https://34.1.2.3",
                                List.of(node("gke-prod-pool-1", Map.of())),
                                BOTH),
                        new LoadTarget.Unsupported(
                                "context 'gke_proj_zone_prod' at https://34.1.2.3 is not minikube, kind or this project's test cluster")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void detects(String name, ClusterFacts facts, LoadTarget expected) {
        assertThat(LoadTarget.detect(facts)).isEqualTo(expected);
    }

    @Test
    void minikubeAndKindLoadEachArchiveWithTheirOwnCommand() {
        ServiceArchive api = new ServiceArchive("api", Path.of("/tmp/x/api.tar"), Path.of("/tmp/x/api.digest"));

        assertThat(new LoadTarget.Minikube("dev").command(api))
                .containsExactly("minikube", "-p", "dev", "image", "load", "/tmp/x/api.tar");
        assertThat(new LoadTarget.Kind("dev").command(api))
                .containsExactly("kind", "load", "image-archive", "/tmp/x/api.tar", "--name", "dev");
    }

    private static ClusterFacts facts(String context, String server, List<NodeInfo> nodes, Set<String> tools) {
        return new ClusterFacts(context, server, nodes, tools, REGISTRY);
    }

    private static NodeInfo node(String name, Map<String, String> labels) {
        return new NodeInfo(name, labels, List.of());
    }
}
