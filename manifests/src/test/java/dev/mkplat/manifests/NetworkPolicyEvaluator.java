package dev.mkplat.manifests;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

/**
 * Decides whether NetworkPolicies allow a connection, the way the Kubernetes API defines them
 * (networking.k8s.io/v1): a pod is isolated in a direction when some policy of its namespace
 * selects it with that policy type; an isolated pod accepts only what some selecting policy's rule
 * allows; a connection needs the source's egress and the destination's ingress. Within a rule the
 * peers are OR'ed, and so are the ports; within one peer a namespaceSelector and a podSelector are
 * AND'ed; a podSelector alone means the policy's own namespace. Test code, not product code.
 */
final class NetworkPolicyEvaluator {
    /** A pod (namespace set) or a host outside the cluster (namespace null). */
    record Endpoint(
            String name, String namespace, Map<String, String> labels, String ip, Map<String, Integer> namedPorts) {
        static Endpoint pod(
                String name, String namespace, Map<String, String> labels, String ip, Map<String, Integer> namedPorts) {
            return new Endpoint(name, namespace, labels, ip, namedPorts);
        }

        static Endpoint external(String name, String ip) {
            return new Endpoint(name, null, Map.of(), ip, Map.of());
        }

        boolean isPod() {
            return namespace != null;
        }

        @Override
        public String toString() {
            return isPod() ? namespace + "/" + name : name + " (" + ip + ")";
        }
    }

    /** A connection to {@code port}/{@code protocol} of {@code to}. */
    record Connection(Endpoint from, Endpoint to, int port, String protocol) {
        @Override
        public String toString() {
            return from + " -> " + to + " " + port + "/" + protocol;
        }
    }

    private final List<NetworkPolicy> policies;
    private final Map<String, Map<String, String>> namespaceLabels;

    /**
     * @param namespaceLabels every namespace's labels, including {@code kubernetes.io/metadata.name},
     *                        which the apiserver sets on every namespace
     */
    NetworkPolicyEvaluator(List<NetworkPolicy> policies, Map<String, Map<String, String>> namespaceLabels) {
        this.policies = List.copyOf(policies);
        this.namespaceLabels = Map.copyOf(namespaceLabels);
    }

    boolean allowed(Connection connection) {
        return egressAllowed(connection) && ingressAllowed(connection);
    }

    boolean isolatedForIngress(Endpoint pod) {
        return selecting(pod, "Ingress").findAny().isPresent();
    }

    boolean isolatedForEgress(Endpoint pod) {
        return selecting(pod, "Egress").findAny().isPresent();
    }

    /** At the source: an unisolated pod or a host outside the cluster may send anything. */
    boolean egressAllowed(Connection connection) {
        Endpoint source = connection.from();
        if (!source.isPod() || !isolatedForEgress(source)) {
            return true;
        }
        return selecting(source, "Egress")
                .anyMatch(policy -> policy.getSpec().getEgress().stream()
                        .anyMatch(rule -> peersMatch(rule.getTo(), policy, connection.to())
                                && portsMatch(rule.getPorts(), connection)));
    }

    /** At the destination. */
    boolean ingressAllowed(Connection connection) {
        Endpoint destination = connection.to();
        if (!destination.isPod() || !isolatedForIngress(destination)) {
            return true;
        }
        return selecting(destination, "Ingress")
                .anyMatch(policy -> policy.getSpec().getIngress().stream()
                        .anyMatch(rule -> peersMatch(rule.getFrom(), policy, connection.from())
                                && portsMatch(rule.getPorts(), connection)));
    }

    private java.util.stream.Stream<NetworkPolicy> selecting(Endpoint pod, String policyType) {
        return policies.stream()
                .filter(p -> p.getMetadata().getNamespace().equals(pod.namespace()))
                .filter(p -> matches(p.getSpec().getPodSelector(), pod.labels()))
                .filter(p -> policyTypes(p).contains(policyType));
    }

    /** The policy types, defaulted as the API does when the field is empty. */
    static List<String> policyTypes(NetworkPolicy policy) {
        List<String> types = policy.getSpec().getPolicyTypes();
        if (types != null && !types.isEmpty()) {
            return types;
        }
        return policy.getSpec().getEgress() != null
                        && !policy.getSpec().getEgress().isEmpty()
                ? List.of("Ingress", "Egress")
                : List.of("Ingress");
    }

    /** An empty or absent peer list matches everything; otherwise any one peer must match. */
    private boolean peersMatch(List<NetworkPolicyPeer> peers, NetworkPolicy policy, Endpoint other) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        return peers.stream()
                .anyMatch(peer -> peerMatches(peer, policy.getMetadata().getNamespace(), other));
    }

    private boolean peerMatches(NetworkPolicyPeer peer, String policyNamespace, Endpoint other) {
        if (peer.getIpBlock() != null) {
            if (peer.getNamespaceSelector() != null || peer.getPodSelector() != null) {
                throw new IllegalArgumentException("ipBlock cannot be combined with selectors in one peer");
            }
            return other.ip() != null && inBlock(peer.getIpBlock(), other.ip());
        }
        if (!other.isPod()) {
            return false;
        }
        boolean namespaceOk = peer.getNamespaceSelector() == null
                ? other.namespace().equals(policyNamespace)
                : matches(peer.getNamespaceSelector(), namespaceLabels.getOrDefault(other.namespace(), Map.of()));
        boolean podOk = peer.getPodSelector() == null || matches(peer.getPodSelector(), other.labels());
        if (peer.getNamespaceSelector() == null && peer.getPodSelector() == null) {
            throw new IllegalArgumentException("a peer needs a selector or an ipBlock");
        }
        return namespaceOk && podOk;
    }

    /** An empty or absent port list matches every port; a port without a number, every port of its protocol. */
    private static boolean portsMatch(List<NetworkPolicyPort> ports, Connection connection) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        return ports.stream().anyMatch(port -> {
            String protocol = port.getProtocol() != null ? port.getProtocol() : "TCP";
            if (!protocol.equals(connection.protocol())) {
                return false;
            }
            IntOrString value = port.getPort();
            if (value == null) {
                return true;
            }
            if (value.getStrVal() != null) {
                // A named port means the destination pod's container port of that name.
                Integer resolved = connection.to().namedPorts().get(value.getStrVal());
                return resolved != null && resolved == connection.port();
            }
            int first = value.getIntVal();
            int last = port.getEndPort() != null ? port.getEndPort() : first;
            return connection.port() >= first && connection.port() <= last;
        });
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> wanted : selector.getMatchLabels().entrySet()) {
                if (!wanted.getValue().equals(labels.get(wanted.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                String value = labels.get(requirement.getKey());
                boolean ok = switch (requirement.getOperator()) {
                    case "In" -> value != null && requirement.getValues().contains(value);
                    case "NotIn" -> value == null || !requirement.getValues().contains(value);
                    case "Exists" -> labels.containsKey(requirement.getKey());
                    case "DoesNotExist" -> !labels.containsKey(requirement.getKey());
                    default -> throw new IllegalArgumentException("operator " + requirement.getOperator());
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    static boolean inBlock(IPBlock block, String ip) {
        if (!inCidr(block.getCidr(), ip)) {
            return false;
        }
        return block.getExcept() == null || block.getExcept().stream().noneMatch(except -> inCidr(except, ip));
    }

    static boolean inCidr(String cidr, String ip) {
        try {
            String[] parts = cidr.split("/");
            byte[] network = InetAddress.getByName(parts[0]).getAddress();
            byte[] address = InetAddress.getByName(ip).getAddress();
            if (network.length != address.length) {
                return false;
            }
            int bits = Integer.parseInt(parts[1]);
            int shift = network.length * 8 - bits;
            BigInteger mask = bits == 0
                    ? BigInteger.ZERO
                    : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftLeft(shift);
            return new BigInteger(1, network).and(mask).equals(new BigInteger(1, address).and(mask));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(cidr + " / " + ip, e);
        }
    }
}
