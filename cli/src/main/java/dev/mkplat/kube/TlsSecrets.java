package dev.mkplat.kube;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The {@code kubernetes.io/tls} Secret {@value #NAME} in every namespace with an Ingress that uses it:
 * what {@code certs generate} and {@code regenerate} update and {@code certs show} compares with
 * the files. The Secret is built exactly as {@code deploy} builds it (same labels, same field
 * manager), so the two never fight over it and a deploy after a generate reports it unchanged.
 */
public final class TlsSecrets {
    /** The Secret every platform Ingress names in {@code spec.tls[].secretName}. */
    public static final String NAME = "platform-tls";
    public static final String TYPE = "kubernetes.io/tls";

    private final KubernetesClient client;
    private final ResourceApplier applier;

    public TlsSecrets(Cluster cluster) {
        this.client = cluster.client();
        this.applier = new ResourceApplier(cluster, false);
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
     * The namespaces with an Ingress that serves TLS from {@value #NAME}, sorted. An Ingress that
     * names another Secret (or none) is someone else's business.
     */
    public List<String> namespacesWithIngress() {
        // A namespace being deleted takes no new objects: skipping it keeps a destroy in progress from failing an update.
        Set<String> terminating = client.namespaces().list().getItems().stream()
                .filter(namespace -> namespace.getStatus() != null && "Terminating".equals(namespace.getStatus().getPhase()))
                .map(namespace -> namespace.getMetadata().getName()).collect(Collectors.toSet());
        return client.network().v1().ingresses().inAnyNamespace().list().getItems().stream()
                .filter(TlsSecrets::usesPlatformTls)
                .map(ingress -> ingress.getMetadata().getNamespace())
                .filter(namespace -> !terminating.contains(namespace))
                .collect(Collectors.toCollection(TreeSet::new)).stream().toList();
    }

    private static boolean usesPlatformTls(Ingress ingress) {
        return ingress.getSpec() != null && ingress.getSpec().getTls() != null
                && ingress.getSpec().getTls().stream().anyMatch(tls -> NAME.equals(tls.getSecretName()));
    }

    /** Applies the Secret to every namespace with an Ingress; one result per namespace. */
    public List<ApplyResult> apply(byte[] chain, byte[] key) {
        return applier.applyAll(namespacesWithIngress().stream().map(namespace -> secret(namespace, chain, key)).toList());
    }

    /**
     * How the Secret in each namespace with an Ingress (or with a {@value #NAME} Secret) compares
     * with the files. Only equality is computed: no value is returned or printed.
     */
    public Map<String, Match> compare(byte[] chain, byte[] key) {
        TreeSet<String> namespaces = new TreeSet<>(namespacesWithIngress());
        client.secrets().inAnyNamespace().withField("metadata.name", NAME).list().getItems()
                .forEach(secret -> namespaces.add(secret.getMetadata().getNamespace()));
        Map<String, Match> matches = new TreeMap<>();
        for (String namespace : namespaces) {
            Secret live = client.secrets().inNamespace(namespace).withName(NAME).get();
            if (live == null || live.getData() == null) {
                matches.put(namespace, Match.MISSING);
                continue;
            }
            boolean same = decodedEquals(live.getData().get("tls.crt"), chain) && decodedEquals(live.getData().get("tls.key"), key);
            matches.put(namespace, same ? Match.MATCHES : Match.DIFFERS);
        }
        return matches;
    }

    /** The Secret as deploy makes it: type kubernetes.io/tls, mkplat's labels, the two PEM files. */
    static Secret secret(String namespace, byte[] chain, byte[] key) {
        return new SecretBuilder().withNewMetadata().withName(NAME).withNamespace(namespace)
                .addToLabels(ResourceApplier.MANAGED_BY_LABEL, ResourceApplier.MANAGED_BY)
                .addToLabels("app.kubernetes.io/part-of", "mkplat")
                .addToLabels("app.kubernetes.io/component", "secret")
                .endMetadata()
                .withType(TYPE)
                .withData(Map.of("tls.crt", Base64.getEncoder().encodeToString(chain), "tls.key", Base64.getEncoder().encodeToString(key)))
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
