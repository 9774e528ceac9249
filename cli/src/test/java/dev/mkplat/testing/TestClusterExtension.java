package dev.mkplat.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.AssertionFailedError;

/**
 * Runs a {@link TestCluster} class against the test cluster, skips it (with the reason) when there
 * is none, and fails it under {@code CI=true} instead of skipping. The availability is decided once
 * per JVM; the client lives as long as the class, the namespaces as long as the test (or the class,
 * when a {@code @BeforeAll} asks for them).
 */
public final class TestClusterExtension implements ExecutionCondition, BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace STORE =
            ExtensionContext.Namespace.create(TestClusterExtension.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        ClusterAvailability availability = availability(context);
        return switch (availability.decision()) {
            case RUN ->
                ConditionEvaluationResult.enabled(
                        "test cluster " + availability.kubeconfig().orElseThrow());
            // Enabled so that beforeAll can fail the class: a disabled test would count as skipped.
            case FAIL -> ConditionEvaluationResult.enabled(availability.reason());
            case SKIP -> ConditionEvaluationResult.disabled(availability.reason());
        };
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ClusterAvailability availability = availability(context);
        if (availability.decision() == ClusterAvailability.Decision.FAIL) {
            throw new AssertionFailedError(availability.reason());
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KubernetesClient.class
                || type == TestNamespaces.class
                || type == ClusterAccess.class
                || type == Path.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        ClusterAccess access = access(context);
        if (type == KubernetesClient.class) {
            return access.client();
        }
        if (type == ClusterAccess.class) {
            return access;
        }
        if (type == Path.class) {
            return access.kubeconfig();
        }
        String testName = context.getTestMethod()
                .map(method -> method.getName())
                .orElse(context.getRequiredTestClass().getSimpleName());
        return context.getStore(STORE)
                .getOrComputeIfAbsent(
                        TestNamespaces.class,
                        key -> new TestNamespaces(
                                access.client(), access.testLabels(), testName, access::recycleReleasedPoolVolumes),
                        TestNamespaces.class);
    }

    private static ClusterAvailability availability(ExtensionContext context) {
        boolean realNode = context.getTestClass()
                .map(type -> type.getAnnotation(TestCluster.class))
                .map(TestCluster::realNode)
                .orElse(false);
        return context.getRoot()
                .getStore(STORE)
                .getOrComputeIfAbsent(
                        realNode ? "real-node" : "cluster",
                        key -> realNode
                                ? ClusterAvailability.decideRealNode(System.getenv(), ClusterAccess::probe)
                                : ClusterAvailability.decide(System.getenv(), ClusterAccess::probe),
                        ClusterAvailability.class);
    }

    private static ClusterAccess access(ExtensionContext context) {
        ClusterAvailability availability = availability(context);
        Path kubeconfig =
                availability.kubeconfig().orElseThrow(() -> new ExtensionConfigurationException(availability.reason()));
        ExtensionContext classContext = context.getParent()
                .filter(parent -> context.getTestMethod().isPresent())
                .orElse(context);
        return classContext
                .getStore(STORE)
                .getOrComputeIfAbsent(
                        ClusterAccess.class,
                        key -> {
                            ClusterAccess created = new ClusterAccess(
                                    kubeconfig, UUID.randomUUID().toString().substring(0, 8));
                            created.recycleReleasedPoolVolumes();
                            return created;
                        },
                        ClusterAccess.class);
    }
}
