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

    static final String HOW_TO_GET_ONE = "start one with 'scripts/test-cluster up' and "
            + "'eval \"$(scripts/test-cluster env)\"', or point " + KUBECONFIG_VARIABLE
            + " at a kind or minikube kubeconfig";

    /** What becomes of the cluster tests. */
    public enum Decision {
        RUN, SKIP, FAIL
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
            return unavailable(ci, "the cluster of " + KUBECONFIG_VARIABLE + "=" + configured
                    + " does not answer: " + failure.get());
        }
        return new ClusterAvailability(Decision.RUN, Optional.of(kubeconfig), "");
    }

    private static ClusterAvailability unavailable(boolean ci, String why) {
        if (ci) {
            return new ClusterAvailability(Decision.FAIL, Optional.empty(),
                    "CI=true and no test cluster: " + why + "; .ci/run must bring the cluster up (" + HOW_TO_GET_ONE + ")");
        }
        return new ClusterAvailability(Decision.SKIP, Optional.empty(),
                "no test cluster: " + why + "; " + HOW_TO_GET_ONE);
    }
}
