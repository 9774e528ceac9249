package dev.mkplat.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides, from the environment alone, whether cluster tests run, are skipped or fail. Kept apart
 * from JUnit so the rule "CI never passes by skipping" is itself unit-tested.
 *
 * @param decision what to do
 * @param kubeconfig the kubeconfig to use when the decision is {@link Decision#RUN}
 * @param reason why the tests do not run, or empty when they do
 */
public record ClusterAvailability(Decision decision, Optional<Path> kubeconfig, String reason) {
    /** The variable naming the test cluster's kubeconfig; {@code scripts/test-cluster env} sets it. */
    public static final String KUBECONFIG_VARIABLE = "MKPLAT_TEST_KUBECONFIG";
    /**
     * The variable naming the kubeconfig of a cluster with a real node, where containers run;
     * {@code scripts/test-cluster env} sets it for a cluster made with {@code up --real-node}.
     */
    public static final String REAL_NODE_KUBECONFIG_VARIABLE = "MKPLAT_TEST_REAL_NODE_KUBECONFIG";

    static final String HOW_TO_GET_ONE = "start one with 'scripts/test-cluster up' and "
            + "'eval \"$(scripts/test-cluster env)\"', or point " + KUBECONFIG_VARIABLE
            + " at a kind or minikube kubeconfig";
    static final String HOW_TO_GET_A_REAL_NODE = "on Linux as root, start one with "
            + "'MKPLAT_TEST_CLUSTER_NAME=mkplat-local scripts/test-cluster up --real-node' (the first build takes about "
            + "25 minutes more) and 'eval \"$(MKPLAT_TEST_CLUSTER_NAME=mkplat-local scripts/test-cluster env)\"'; "
            + ".ci/run does that where the machine can";

    /** What becomes of the cluster tests. */
    public enum Decision {
        RUN,
        SKIP,
        FAIL
    }

    /**
     * For tests that need containers to run. Without the variable they are skipped, under CI too:
     * a machine that is not Linux or where CI is not root cannot have a real node, and .ci/run sets the
     * variable wherever it brought one up. A variable set to a cluster that does not answer fails
     * under CI, as for {@link #decide}.
     */
    public static ClusterAvailability decideRealNode(
            Map<String, String> environment, Function<Path, Optional<String>> probe) {
        String configured =
                environment.getOrDefault(REAL_NODE_KUBECONFIG_VARIABLE, "").trim();
        if (configured.isEmpty()) {
            return new ClusterAvailability(
                    Decision.SKIP,
                    Optional.empty(),
                    "no real node: " + REAL_NODE_KUBECONFIG_VARIABLE + " is not set; " + HOW_TO_GET_A_REAL_NODE);
        }
        boolean ci = "true".equalsIgnoreCase(environment.getOrDefault("CI", "").trim());
        Optional<String> failure =
                Files.isRegularFile(Path.of(configured)) ? probe.apply(Path.of(configured)) : Optional.of("not a file");
        if (failure.isEmpty()) {
            return new ClusterAvailability(Decision.RUN, Optional.of(Path.of(configured)), "");
        }
        String why = REAL_NODE_KUBECONFIG_VARIABLE + "=" + configured + ": " + failure.get();
        return ci
                ? new ClusterAvailability(
                        Decision.FAIL, Optional.empty(), "CI=true and the real node's cluster is missing: " + why)
                : new ClusterAvailability(
                        Decision.SKIP, Optional.empty(), "no real node: " + why + "; " + HOW_TO_GET_A_REAL_NODE);
    }

    /**
     * @param environment the process environment (or a test's stand-in)
     * @param probe reaches the API server of a kubeconfig; returns empty when it answered, or why not
     */
    public static ClusterAvailability decide(Map<String, String> environment, Function<Path, Optional<String>> probe) {
        boolean ci = "true".equalsIgnoreCase(environment.getOrDefault("CI", "").trim());
        String configured = environment.getOrDefault(KUBECONFIG_VARIABLE, "").trim();
        if (configured.isEmpty()) {
            return unavailable(ci, KUBECONFIG_VARIABLE + " is not set");
        }
        Path kubeconfig = Path.of(configured);
        if (!Files.isRegularFile(kubeconfig)) {
            return unavailable(ci, KUBECONFIG_VARIABLE + "=" + configured + " is not a file");
        }
        Optional<String> failure = probe.apply(kubeconfig);
        if (failure.isPresent()) {
            return unavailable(
                    ci,
                    "the cluster of " + KUBECONFIG_VARIABLE + "=" + configured + " does not answer: " + failure.get());
        }
        return new ClusterAvailability(Decision.RUN, Optional.of(kubeconfig), "");
    }

    private static ClusterAvailability unavailable(boolean ci, String why) {
        if (ci) {
            return new ClusterAvailability(
                    Decision.FAIL,
                    Optional.empty(),
                    "CI=true and no test cluster: " + why + "; .ci/run must bring the cluster up (" + HOW_TO_GET_ONE
                            + ")");
        }
        return new ClusterAvailability(
                Decision.SKIP, Optional.empty(), "no test cluster: " + why + "; " + HOW_TO_GET_ONE);
    }
}
