package dev.mkplat.manifests;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The manifests as the tests read them: the files named by {@code index.txt}, in the repository's
 * {@code manifests/} folder, split into YAML documents. Duplicate keys are an error here, as they
 * would silently drop a value elsewhere.
 */
final class Bundle {
    /** The index of the bundle, relative to the manifests folder and to the jar's bundle root. */
    static final String INDEX = "index.txt";
    /** Where the jar carries the bundle. */
    static final String CLASSPATH_ROOT = "mkplat/manifests/";
    /** The label that ties an object to one storage mode. */
    static final String STORAGE_LABEL = "mkplat.dev/storage";

    /** fabric8's (Jackson 3) serialization, as the CLI's renderer uses it. */
    static final KubernetesSerialization FABRIC8 = new KubernetesSerialization();

    static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** One YAML document of one file. */
    record Document(String file, int position, JsonNode tree) {
        String apiVersion() {
            return tree.path("apiVersion").asString("");
        }

        String kind() {
            return tree.path("kind").asString("");
        }

        String name() {
            return tree.path("metadata").path("name").asString("");
        }

        String namespace() {
            return tree.path("metadata").path("namespace").asString("");
        }

        JsonNode labels() {
            return tree.path("metadata").path("labels");
        }

        String label(String key) {
            return labels().path(key).asString(null);
        }

        /** kind/namespace/name, or kind/name for cluster-scoped objects. */
        String id() {
            return namespace().isEmpty() ? kind() + "/" + name() : kind() + "/" + namespace() + "/" + name();
        }

        /** Where it comes from, for messages. */
        String where() {
            return id() + " (" + file + " #" + position + ")";
        }

        /** The document in fabric8's typed model. */
        <T> T as(Class<T> type) {
            return FABRIC8.unmarshal(tree.toString(), type);
        }

        /** True when the object belongs in a bundle rendered for {@code storageMode}. */
        boolean inStorageMode(String storageMode) {
            String mode = label(STORAGE_LABEL);
            return mode == null || mode.equals(storageMode);
        }
    }

    private static final Bundle INSTANCE = load(manifestsDir());

    private final Path dir;
    private final List<String> files;
    private final List<Document> documents;

    private Bundle(Path dir, List<String> files, List<Document> documents) {
        this.dir = dir;
        this.files = List.copyOf(files);
        this.documents = List.copyOf(documents);
    }

    /** The bundle of this repository, read once. */
    static Bundle get() {
        return INSTANCE;
    }

    /** The repository's manifests folder (set by the pom; the working directory otherwise). */
    static Path manifestsDir() {
        String configured = System.getProperty("mkplat.manifests.dir");
        Path dir = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(dir.resolve(INDEX))) {
            throw new IllegalStateException("no " + INDEX + " in " + dir + ": run the tests from the manifests module");
        }
        return dir;
    }

    /** The repository root, for the services' sources. */
    static Path repositoryDir() {
        String configured = System.getProperty("mkplat.repo.dir");
        return configured != null ? Path.of(configured) : manifestsDir().getParent();
    }

    static Bundle load(Path dir) {
        List<String> files = readIndex(dir.resolve(INDEX));
        List<Document> documents = new ArrayList<>();
        for (String file : files) {
            documents.addAll(readDocuments(dir, file));
        }
        return new Bundle(dir, files, documents);
    }

    /** The paths an index lists, in order, without comments and blank lines. */
    static List<String> readIndex(Path index) {
        try {
            return parseIndex(Files.readString(index));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> parseIndex(String text) {
        return text.lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }

    /** Every non-empty YAML document of {@code file}, in order. */
    static List<Document> readDocuments(Path dir, String file) {
        List<Document> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it =
                YAML.readerFor(JsonNode.class).readValues(Files.readString(dir.resolve(file)))) {
            int position = 0;
            while (it.hasNext()) {
                JsonNode tree = it.next();
                position++;
                if (tree != null && !tree.isMissingNode() && !tree.isNull()) {
                    documents.add(new Document(file, position, tree));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file, e);
        }
        return documents;
    }

    Path dir() {
        return dir;
    }

    /** The files of the index, in apply order. */
    List<String> files() {
        return files;
    }

    List<Document> documents() {
        return documents;
    }

    /** The documents of a bundle rendered for one storage mode. */
    List<Document> documents(String storageMode) {
        return documents.stream().filter(d -> d.inStorageMode(storageMode)).toList();
    }

    List<Document> ofKind(String kind) {
        return select(d -> d.kind().equals(kind));
    }

    List<Document> select(Predicate<Document> predicate) {
        return documents.stream().filter(predicate).toList();
    }

    /** A workload's pod template. */
    record PodTemplate(Document owner, PodTemplateSpec template) {}

    /** The pod template of every workload in the bundle. */
    List<PodTemplate> podTemplates() {
        List<PodTemplate> templates = new ArrayList<>();
        for (Document document : documents) {
            switch (document.kind()) {
                case "Deployment" ->
                    templates.add(new PodTemplate(
                            document, document.as(Deployment.class).getSpec().getTemplate()));
                case "StatefulSet" ->
                    templates.add(new PodTemplate(
                            document, document.as(StatefulSet.class).getSpec().getTemplate()));
                case "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod", "ReplicationController", "PodTemplate" ->
                    throw new AssertionError(
                            document.where() + ": a " + document.kind() + "; teach Bundle.podTemplates() about it");
                default -> {}
            }
        }
        return templates;
    }

    Optional<Document> find(String kind, String namespace, String name) {
        return documents.stream()
                .filter(d -> d.kind().equals(kind)
                        && d.namespace().equals(namespace)
                        && d.name().equals(name))
                .findFirst();
    }

    Document require(String kind, String namespace, String name) {
        return find(kind, namespace, name)
                .orElseThrow(() -> new AssertionError("the bundle has no " + kind + " " + namespace + "/" + name));
    }
}
