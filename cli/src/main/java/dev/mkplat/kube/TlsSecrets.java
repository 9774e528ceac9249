package dev.mkplat.kube;

import dev.mkplat.core.PlatformLabels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The {@code kubernetes.io/tls} Secret {@value #NAME} in each of the platform's namespaces that has an
 * Ingress using it: what {@code certs generate} and {@code regenerate} update and {@code certs show}
 * compares with the files. The Secret is built exactly as {@code deploy} builds it (same labels, same
 * field manager), so the two never fight over it and a deploy after a generate reports it unchanged.
 *
 * <p>The Secret holds the wildcard key, so it goes only where the platform put it: a namespace that
 * the platform's specification names and that mkplat applied (it carries {@value
 * PlatformLabels#MANAGED_BY}={@value PlatformLabels#MKPLAT}). On a shared cluster, another
 * tenant's Ingress that happens to name a Secret {@value #NAME} gets nothing.
 */
public final class TlsSecrets {
    /** The Secret every platform Ingress names in {@code spec.tls[].secretName}. */
    public static final String NAME = "platform-tls";

    public static final String TYPE = "kubernetes.io/tls";

    private final KubernetesClient client;
    private final ResourceApplier applier;
    private final Set<String> platformNamespaces;

    /**
     * @param platformNamespaces the namespaces where the platform keeps {@value #NAME}; no other
     *                           namespace is written or read
     */
    public TlsSecrets(Cluster cluster, Set<String> platformNamespaces) {
        this.client = cluster.client();
        this.applier = new ResourceApplier(cluster, false);
        this.platformNamespaces = Set.copyOf(platformNamespaces);
    }

    /** How a Secret in the cluster compares with the files. */
    public enum Match {
        MATCHES("matches the files"),
        DIFFERS("differs from the files"),
        MISSING("missing");

        private final String description;

        Match(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /**
     * The platform's namespaces with an Ingress that serves TLS from {@value #NAME}, sorted. An
     * Ingress that names another Secret (or none), or that lives anywhere else, is someone else's business.
     */
    public List<String> namespacesWithIngress() {
        Set<String> ours = platformNamespacesPresent();
        return client.network().v1().ingresses().inAnyNamespace().list().getItems().stream()
                .filter(TlsSecrets::usesPlatformTls)
                .map(ingress -> ingress.getMetadata().getNamespace())
                .filter(ours::contains)
                .collect(Collectors.toCollection(TreeSet::new))
                .stream()
                .toList();
    }

    /**
     * The platform's namespaces as they are in the cluster: named by the platform, applied by mkplat,
     * and not being deleted (a namespace being deleted takes no new objects: skipping it keeps a
     * destroy in progress from failing an update).
     */
    private Set<String> platformNamespacesPresent() {
        return client.namespaces().list().getItems().stream()
                .filter(namespace ->
                        platformNamespaces.contains(namespace.getMetadata().getName()))
                .filter(namespace -> namespace.getMetadata().getLabels() != null
                        && PlatformLabels.MKPLAT.equals(
                                namespace.getMetadata().getLabels().get(PlatformLabels.MANAGED_BY)))
                .filter(namespace -> namespace.getStatus() == null
                        || !"Terminating".equals(namespace.getStatus().getPhase()))
                .map(namespace -> namespace.getMetadata().getName())
                .collect(Collectors.toSet());
    }

    private static boolean usesPlatformTls(Ingress ingress) {
        return ingress.getSpec() != null
                && ingress.getSpec().getTls() != null
                && ingress.getSpec().getTls().stream().anyMatch(tls -> NAME.equals(tls.getSecretName()));
    }

    /** Applies the Secret to every namespace with an Ingress; one result per namespace. */
    public List<ApplyResult> apply(byte[] chain, byte[] key) {
        return applier.applyAll(namespacesWithIngress().stream()
                .map(namespace -> secret(namespace, chain, key))
                .toList());
    }

    /**
     * How the Secret in each of the platform's namespaces with an Ingress (or with a {@value #NAME}
     * Secret) compares with the files. Only equality is computed: no value is returned or printed.
     */
    public Map<String, Match> compare(byte[] chain, byte[] key) {
        TreeSet<String> namespaces = new TreeSet<>(namespacesWithIngress());
        Set<String> ours = platformNamespacesPresent();
        client.secrets().inAnyNamespace().withField("metadata.name", NAME).list().getItems().stream()
                .map(secret -> secret.getMetadata().getNamespace())
                .filter(ours::contains)
                .forEach(namespaces::add);
        Map<String, Match> matches = new TreeMap<>();
        for (String namespace : namespaces) {
            Secret live = client.secrets().inNamespace(namespace).withName(NAME).get();
            if (live == null || live.getData() == null) {
                matches.put(namespace, Match.MISSING);
                continue;
            }
            boolean same = decodedEquals(live.getData().get("tls.crt"), chain)
                    && decodedEquals(live.getData().get("tls.key"), key);
            matches.put(namespace, same ? Match.MATCHES : Match.DIFFERS);
        }
        return matches;
    }

    /** The Secret as deploy makes it: type kubernetes.io/tls, mkplat's labels, the two PEM files. */
    static Secret secret(String namespace, byte[] chain, byte[] key) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(namespace)
                .addToLabels(PlatformLabels.MANAGED_BY, PlatformLabels.MKPLAT)
                .addToLabels("app.kubernetes.io/part-of", "mkplat")
                .addToLabels("app.kubernetes.io/component", "secret")
                .endMetadata()
                .withType(TYPE)
                .withData(Map.of(
                        "tls.crt",
                        Base64.getEncoder().encodeToString(chain),
                        "tls.key",
                        Base64.getEncoder().encodeToString(key)))
                .build();
    }

    private static boolean decodedEquals(String base64, byte[] expected) {
        if (base64 == null) {
            return false;
        }
        try {
            return Arrays.equals(Base64.getDecoder().decode(base64), expected);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }
}
