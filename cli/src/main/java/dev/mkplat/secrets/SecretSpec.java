package dev.mkplat.secrets;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * One Secret of the specification: where it lives and where each of its values comes from.
 *
 * @param namespace the Secret's namespace
 * @param name      its name
 * @param type      its type ({@code Opaque}, {@code kubernetes.io/tls})
 * @param when      the storage mode it is limited to ({@code storage=gcs}), if any
 * @param data      each key's source, in the specification's order
 */
public record SecretSpec(
        String namespace, String name, String type, Optional<String> when, Map<String, ValueSource> data) {
    public SecretSpec {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** Where one value comes from. */
    public sealed interface ValueSource {}

    /** A random password, the same for every Secret naming the same id. */
    public record Random(String id) implements ValueSource {}

    /** A setting of mkplat's configuration, with a default when it is unset. */
    public record ConfigSetting(String key, Optional<String> fallback) implements ValueSource {}

    /** Part of the platform certificate: the chain (leaf then CA) or the private key. */
    public record CertificatePart(String part) implements ValueSource {}

    /** The content of the file a configuration setting names. */
    public record FileContent(String key) implements ValueSource {}

    /** Whether any value is random, which makes the Secret generated once and then kept. */
    public boolean generated() {
        return data.values().stream().anyMatch(Random.class::isInstance);
    }

    /** Whether any value is part of the platform certificate: the Secret carries its private key. */
    public boolean holdsCertificate() {
        return data.values().stream().anyMatch(CertificatePart.class::isInstance);
    }

    /**
     * The namespaces where the specification puts the platform certificate, sorted: the only ones
     * that may ever receive its key.
     */
    public static SortedSet<String> certificateNamespaces(List<SecretSpec> specs) {
        return specs.stream()
                .filter(SecretSpec::holdsCertificate)
                .map(SecretSpec::namespace)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Parses {@code secrets.yaml} of the manifests module. */
    public static List<SecretSpec> parseAll(String yaml) {
        JsonNode root = YAMLMapper.builder().build().readTree(yaml);
        JsonNode secrets = root.path("secrets");
        List<SecretSpec> specs = new ArrayList<>();
        for (JsonNode secret : secrets) {
            Map<String, ValueSource> data = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : secret.path("data").properties()) {
                data.put(entry.getKey(), source(secret, entry.getKey(), entry.getValue()));
            }
            specs.add(new SecretSpec(
                    text(secret, "namespace"),
                    text(secret, "name"),
                    secret.path("type").asString("Opaque"),
                    secret.hasNonNull("when") ? Optional.of(secret.get("when").asString()) : Optional.empty(),
                    data));
        }
        return specs;
    }

    private static ValueSource source(JsonNode secret, String key, JsonNode value) {
        if (value.hasNonNull("random")) {
            return new Random(value.get("random").asString());
        }
        if (value.hasNonNull("config")) {
            return new ConfigSetting(
                    value.get("config").asString(),
                    value.hasNonNull("default")
                            ? Optional.of(value.get("default").asString())
                            : Optional.empty());
        }
        if (value.hasNonNull("certificate")) {
            return new CertificatePart(value.get("certificate").asString());
        }
        if (value.hasNonNull("file")) {
            return new FileContent(value.get("file").asString());
        }
        throw new MkplatException(
                ExitCode.FAILED,
                "secrets.yaml: " + text(secret, "namespace") + "/" + text(secret, "name") + " key " + key
                        + " has no known source (random, config, certificate, file)",
                null);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new MkplatException(ExitCode.FAILED, "secrets.yaml: a secret has no " + field, null);
        }
        return value.asString();
    }
}
