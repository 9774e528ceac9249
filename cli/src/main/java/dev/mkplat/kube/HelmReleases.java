package dev.mkplat.kube;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What Helm stored about its releases, read from the cluster: Helm 3 keeps each revision of a
 * release in a Secret {@code sh.helm.release.v1.NAME.vN} of the release's namespace (labels
 * {@code owner=helm}, {@code name}, {@code status}, {@code version}), its {@code release} value a
 * gzipped JSON record. Also the workloads a release made (Helm annotates each object with
 * {@value #RELEASE_ANNOTATION}) and the kubeconfig to give the embedded Helm.
 */
public final class HelmReleases {
    /** The annotation Helm puts on every object of a release. */
    public static final String RELEASE_ANNOTATION = "meta.helm.sh/release-name";

    private final Cluster cluster;

    public HelmReleases(Cluster cluster) {
        this.cluster = cluster;
    }

    /**
     * The latest revision of one release as Helm stored it.
     *
     * @param status      deployed, failed, pending-install, pending-upgrade, superseded, ...
     * @param chart       the chart's name
     * @param chartVersion the chart's version
     * @param description what the last install or upgrade said (mkplat puts its fingerprint there)
     */
    public record StoredRelease(
            String name, int revision, String status, String chart, String chartVersion, String description) {}

    /** The release's latest revision, or empty when Helm has none in this namespace. */
    public Optional<StoredRelease> latest(String namespace, String release) {
        List<Secret> secrets = cluster.client()
                .secrets()
                .inNamespace(namespace)
                .withLabels(Map.of("owner", "helm", "name", release))
                .list()
                .getItems();
        return secrets.stream()
                .max(Comparator.comparingInt(HelmReleases::revision))
                .map(secret -> decode(secret, release));
    }

    private static int revision(Secret secret) {
        String version = secret.getMetadata().getLabels().getOrDefault("version", "0");
        return version.matches("\\d{1,9}") ? Integer.parseInt(version) : 0;
    }

    static StoredRelease decode(Secret secret, String release) {
        String encoded = secret.getData() == null ? null : secret.getData().get("release");
        if (encoded == null) {
            throw MkplatException.failed(
                    "Helm's record " + secret.getMetadata().getName() + " has no release data",
                    "it was not written by Helm 3; remove it or choose another release name");
        }
        JsonNode record = JsonMapper.builder().build().readTree(recordBytes(encoded));
        JsonNode metadata = record.path("chart").path("metadata");
        return new StoredRelease(
                record.path("name").asString(release),
                record.path("version").asInt(revision(secret)),
                record.path("info").path("status").asString(""),
                metadata.path("name").asString(""),
                metadata.path("version").asString(""),
                record.path("info").path("description").asString(""));
    }

    /** The Secret's value is base64 (Kubernetes) of base64 (Helm) of the gzipped JSON record. */
    static byte[] recordBytes(String secretData) {
        byte[] helmValue = Base64.getDecoder().decode(secretData);
        byte[] record = Base64.getDecoder().decode(new String(helmValue, StandardCharsets.US_ASCII).strip());
        if (record.length > 2 && (record[0] & 0xff) == 0x1f && (record[1] & 0xff) == 0x8b) {
            try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(record))) {
                return gzip.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return record;
    }

    /** The Deployments, StatefulSets and DaemonSets in {@code namespace} that this release made. */
    public List<ObjectRef> workloads(String namespace, String release) {
        var client = cluster.client();
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(client.apps().deployments().inNamespace(namespace).list().getItems());
        all.addAll(client.apps().statefulSets().inNamespace(namespace).list().getItems());
        all.addAll(client.apps().daemonSets().inNamespace(namespace).list().getItems());
        return all.stream()
                .filter(object -> object.getMetadata().getAnnotations() != null
                        && release.equals(object.getMetadata().getAnnotations().get(RELEASE_ANNOTATION)))
                .map(ObjectRef::of)
                .sorted()
                .toList();
    }

    /**
     * The kubeconfig for the embedded Helm, as text: the file the cluster came from with its
     * current context set to the one in use, so that {@code --context} reaches Helm too (helm-java
     * has no context option of its own).
     */
    public static String kubeconfig(KubeTarget target, String context) {
        Path file = target.kubeconfig()
                .orElseGet(() -> Config.getKubeconfigFilenames().stream()
                        .map(Path::of)
                        .filter(Files::isRegularFile)
                        .findFirst()
                        .orElseThrow(() -> MkplatException.failed(
                                "no kubeconfig file for Helm (looked at "
                                        + String.join(", ", Config.getKubeconfigFilenames()) + ")",
                                "pass --kubeconfig FILE")));
        try {
            YAMLMapper yaml = YAMLMapper.builder().build();
            JsonNode tree = yaml.readTree(Files.readString(file));
            if (!(tree instanceof ObjectNode object)) {
                throw MkplatException.usage(
                        "kubeconfig " + file + " is not a YAML mapping", "pass a valid kubeconfig to --kubeconfig");
            }
            object.put("current-context", context);
            return yaml.writeValueAsString(object);
        } catch (IOException e) {
            throw new MkplatException(
                    ExitCode.FAILED, "cannot read kubeconfig " + file + ": " + e.getMessage(), null, e);
        }
    }
}
