package dev.mkplat.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * index.txt lists exactly the files the kustomizations name, in their order, and the jar carries
 * the same files under mkplat/manifests/, so the CLI loads what `kubectl apply -k` would apply.
 */
class BundleIndexTest {
    /** Component folders that the top-level kustomization leaves out on purpose. */
    static final List<String> OPTIONAL_FOLDERS = List.of("storage-gcs");
    /** Files that are read by the CLI but are not Kubernetes objects. */
    static final Set<String> NOT_OBJECTS =
            Set.of("secrets.yaml", MonitoringTest.CHART, "monitoring/kube-prometheus-stack/values.yaml");

    @Test
    void theIndexIsTheKustomizationsWalkedInOrderThenTheOptionalFolders() {
        Path dir = Bundle.get().dir();
        List<String> walked = new ArrayList<>(walk(dir, ""));
        for (String folder : OPTIONAL_FOLDERS) {
            walked.addAll(walk(dir, folder));
        }
        assertThat(Bundle.get().files()).containsExactlyElementsOf(walked);
    }

    @Test
    void everyYamlFileIsInTheIndexOrKnown() throws IOException {
        Path dir = Bundle.get().dir();
        Set<String> files = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> p.endsWith(".yaml") || p.endsWith(".yml"))
                    .filter(p -> !p.startsWith("target/") && !p.startsWith("src/"))
                    .forEach(files::add);
        }
        Set<String> known = new TreeSet<>(Bundle.get().files());
        known.addAll(NOT_OBJECTS);
        files.removeIf(p -> p.equals("kustomization.yaml") || p.endsWith("/kustomization.yaml"));
        assertThat(files).as("YAML files neither in index.txt nor known").containsExactlyInAnyOrderElementsOf(known);
    }

    @Test
    void applyOrderPutsNamespacesFirstAndPoliciesBeforeWorkloads() {
        List<String> files = Bundle.get().files();
        assertThat(files.get(0)).isEqualTo("namespaces/namespaces.yaml");
        int lastPolicy = lastIndex(files, "network-policies/");
        int firstWorkload = files.indexOf("db/statefulset.yaml");
        assertThat(lastPolicy)
                .as("default deny is in place before any pod starts")
                .isLessThan(firstWorkload);
        assertThat(files.indexOf("db/statefulset.yaml")).isLessThan(files.indexOf("auth/deployment.yaml"));
        assertThat(files.indexOf("infra/redis-statefulset.yaml")).isLessThan(files.indexOf("auth/deployment.yaml"));
        assertThat(files.indexOf("auth/deployment.yaml")).isLessThan(files.indexOf("api/deployment.yaml"));
    }

    @Test
    void theJarCarriesTheSameFilesUnderMkplatManifests() throws IOException {
        ClassLoader loader = getClass().getClassLoader();
        List<String> bundled = new ArrayList<>(Bundle.get().files());
        bundled.add(Bundle.INDEX);
        bundled.addAll(NOT_OBJECTS);
        for (String file : bundled) {
            try (InputStream in = loader.getResourceAsStream(Bundle.CLASSPATH_ROOT + file)) {
                assertThat(in).as("classpath " + Bundle.CLASSPATH_ROOT + file).isNotNull();
                assertThat(in.readAllBytes())
                        .as(file)
                        .isEqualTo(Files.readAllBytes(Bundle.get().dir().resolve(file)));
            }
        }
        assertThat(loader.getResource(Bundle.CLASSPATH_ROOT + "pom.xml")).isNull();
        assertThat(loader.getResource(Bundle.CLASSPATH_ROOT + "README.md")).isNull();
    }

    @Test
    void kustomizationsOnlyListResourcesThatExist() {
        Path dir = Bundle.get().dir();
        List<String> folders = new ArrayList<>(List.of(""));
        folders.addAll(topLevelResources(dir));
        folders.addAll(OPTIONAL_FOLDERS);
        for (String folder : folders) {
            StrictModels.Kustomization kustomization = kustomization(dir, folder);
            assertThat(kustomization.apiVersion()).isEqualTo("kustomize.config.k8s.io/v1beta1");
            assertThat(kustomization.kind()).isEqualTo("Kustomization");
            assertThat(kustomization.resources())
                    .as(folder + " resources")
                    .isNotEmpty()
                    .doesNotHaveDuplicates();
            for (String resource : kustomization.resources()) {
                assertThat(dir.resolve(folder).resolve(resource)).exists();
            }
        }
        assertThat(topLevelResources(dir)).doesNotContainAnyElementsOf(OPTIONAL_FOLDERS);
    }

    /** The files a kustomization applies, depth first, in the order it lists them. */
    static List<String> walk(Path root, String folder) {
        List<String> files = new ArrayList<>();
        for (String resource : kustomization(root, folder).resources()) {
            String path = folder.isEmpty() ? resource : folder + "/" + resource;
            if (Files.isDirectory(root.resolve(path))) {
                files.addAll(walk(root, path));
            } else {
                files.add(path);
            }
        }
        return files;
    }

    private static List<String> topLevelResources(Path dir) {
        return kustomization(dir, "").resources();
    }

    private static StrictModels.Kustomization kustomization(Path root, String folder) {
        Path dir = folder.isEmpty() ? root : root.resolve(folder);
        return StrictModels.read(
                Bundle.readDocuments(dir, "kustomization.yaml").get(0).tree(), StrictModels.Kustomization.class);
    }

    private static int lastIndex(List<String> files, String prefix) {
        int last = -1;
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).startsWith(prefix)) {
                last = i;
            }
        }
        return last;
    }
}
