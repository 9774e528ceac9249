package dev.mkplat.kube;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the values of existing Secrets, so that generated passwords are kept and shared copies stay
 * equal. The values go to the secrets planner only; nothing prints them.
 */
public final class SecretReader {
    private final KubernetesClient client;

    public SecretReader(Cluster cluster) {
        this.client = cluster.client();
    }

    /** The decoded values of a Secret, or empty when it does not exist. */
    public Optional<Map<String, String>> read(String namespace, String name) {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        if (secret == null || secret.getMetadata().getDeletionTimestamp() != null) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData()
                    .forEach((key, value) ->
                            values.put(key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        return Optional.of(values);
    }
}
