package dev.mkplat.testing;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test class's connection to the test cluster: the client, the kubeconfig it came from, and
 * the label that marks objects the class's tests made, so they can be found and removed.
 */
public final class ClusterAccess implements ExtensionContext.Store.CloseableResource {
    /** Marks objects made by a test; {@link TestNamespaces} and the clean-up look for it. */
    public static final String TEST_LABEL = "mkplat.dev/test";
    /** The label scripts/test-cluster puts on its pool of PersistentVolumes. */
    static final String POOL_LABEL = "mkplat.io/test-cluster-pool";

    private final Path kubeconfig;
    private final KubernetesClient client;
    private final String testRun;

    ClusterAccess(Path kubeconfig, String testRun) {
        this.kubeconfig = kubeconfig;
        this.client = client(kubeconfig, Duration.ofSeconds(10));
        this.testRun = testRun;
    }

    /** A client for the cluster of {@code kubeconfig} (its current context). */
    static KubernetesClient client(Path kubeconfig, Duration requestTimeout) {
        Config config = Config.fromKubeconfig(null, kubeconfig.toFile());
        config.setConnectionTimeout((int) Math.min(requestTimeout.toMillis(), 5_000));
        config.setRequestTimeout((int) requestTimeout.toMillis());
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** Asks the API server for its version; empty when it answered, otherwise why it did not. */
    static Optional<String> probe(Path kubeconfig) {
        try (KubernetesClient probeClient = client(kubeconfig, Duration.ofSeconds(5))) {
            probeClient.getConfiguration().setRequestRetryBackoffLimit(0);
            probeClient.getKubernetesVersion();
            return Optional.empty();
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return Optional.of(root.getClass().getSimpleName() + ": " + root.getMessage());
        }
    }

    public KubernetesClient client() {
        return client;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** The label to put on cluster-scoped objects a test makes, so the clean-up removes them. */
    public Map<String, String> testLabels() {
        return Map.of(TEST_LABEL, testRun);
    }

    /**
     * Makes the pool's Released volumes Available again. The pool's reclaim policy is Retain (kwok
     * has no volume plugin to delete or recycle), so without this every test that deletes a claim
     * would use up a volume for the rest of the cluster's life.
     */
    void recycleReleasedPoolVolumes() {
        for (PersistentVolume volume :
                client.persistentVolumes().withLabel(POOL_LABEL, "true").list().getItems()) {
            if (volume.getStatus() != null
                    && "Released".equals(volume.getStatus().getPhase())) {
                client.persistentVolumes()
                        .withName(volume.getMetadata().getName())
                        .edit(pv -> {
                            pv.getSpec().setClaimRef(null);
                            return pv;
                        });
            }
        }
    }

    /** Removes the labelled cluster-scoped objects of this run, then the client. */
    @Override
    public void close() {
        try {
            client.persistentVolumes().withLabel(TEST_LABEL, testRun).delete();
            client.rbac().clusterRoleBindings().withLabel(TEST_LABEL, testRun).delete();
            client.rbac().clusterRoles().withLabel(TEST_LABEL, testRun).delete();
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withLabel(TEST_LABEL, testRun)
                    .delete();
            recycleReleasedPoolVolumes();
        } finally {
            client.close();
        }
    }
}
