package dev.mkplat.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Namespaces for one test: fresh ones with unique names, and the fixed ones the code under test
 * makes (mkplat's {@code api}, {@code db}, ...), which the test adopts. All are deleted when the
 * test ends; the adopted ones are awaited, because the next test will want the same names.
 */
public final class TestNamespaces implements ExtensionContext.Store.CloseableResource {
    /** The Pod Security label that makes the apiserver refuse pods outside the restricted profile. */
    public static final String ENFORCE = "pod-security.kubernetes.io/enforce";

    private static final Duration ADOPTED_GONE_WITHIN = Duration.ofSeconds(120);

    private final KubernetesClient client;
    private final Map<String, String> testLabels;
    private final String prefix;
    private final List<String> created = new ArrayList<>();
    private final List<String> adopted = new ArrayList<>();
    private final Runnable afterAdoptedGone;

    TestNamespaces(
            KubernetesClient client, Map<String, String> testLabels, String testName, Runnable afterAdoptedGone) {
        this.client = client;
        this.afterAdoptedGone = afterAdoptedGone;
        this.testLabels = testLabels;
        String cleaned =
                testName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        this.prefix =
                "it-" + cleaned.substring(0, Math.min(cleaned.length(), 40)).replaceAll("-$", "");
    }

    /** A new empty namespace with a unique name. */
    public String create() {
        return create(Map.of());
    }

    /** A new namespace where the apiserver enforces the Pod Security "restricted" profile. */
    public String createRestricted() {
        return create(Map.of(ENFORCE, "restricted"));
    }

    /** A new namespace with these labels (besides the test label). */
    public synchronized String create(Map<String, String> labels) {
        String name =
                prefix + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
        Map<String, String> all = new HashMap<>(labels);
        all.putAll(testLabels);
        Namespace namespace = new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(all)
                .endMetadata()
                .build();
        client.namespaces().resource(namespace).create();
        created.add(name);
        return name;
    }

    /**
     * Takes charge of namespaces with fixed names that the code under test makes: they are deleted
     * after the test, and the test ends only once they are gone. Any left over from an earlier,
     * interrupted run are removed now, so the test starts clean.
     */
    public synchronized void adopt(String... names) {
        List<String> fresh = List.of(names);
        deleteAndAwait(fresh);
        adopted.addAll(fresh);
    }

    /** Deletes the namespaces and waits until the apiserver has finished removing them. */
    public void deleteAndAwait(List<String> names) {
        for (String name : names) {
            client.namespaces().withName(name).delete();
        }
        await("namespaces " + names + " gone")
                .atMost(ADOPTED_GONE_WITHIN)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> names.stream()
                        .allMatch(name -> client.namespaces().withName(name).get() == null));
    }

    @Override
    public synchronized void close() {
        for (String name : created) {
            client.namespaces().withName(name).delete();
        }
        if (!adopted.isEmpty()) {
            deleteAndAwait(List.copyOf(adopted));
            // Their claims are gone now; put the volumes back into the pool for the next test.
            afterAdoptedGone.run();
        }
    }
}
