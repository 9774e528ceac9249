package dev.mkplat.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that runs against the test cluster. Its test methods (and lifecycle methods)
 * may take a {@link io.fabric8.kubernetes.client.KubernetesClient}, a {@link TestNamespaces}, a
 * {@link ClusterAccess} or the kubeconfig {@link java.nio.file.Path} as parameters.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TestClusterExtension.class)
@Tag("cluster")
public @interface TestCluster {
    /**
     * The class needs a node where containers really run ({@code scripts/test-cluster up --real-node}),
     * found through {@link ClusterAvailability#REAL_NODE_KUBECONFIG_VARIABLE}; skipped without one.
     */
    boolean realNode() default false;
}
