package dev.mkplat.slo;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * promtool from the Prometheus Go module (scripts/prometheus promtool path builds it;
 * MKPLAT_TEST_PROMTOOL names the binary), and the rule files it reads: a PrometheusRule's spec is
 * exactly a Prometheus rule file ({@code groups:}).
 */
final class PromtoolRules {
    static final String BINARY_ENV = "MKPLAT_TEST_PROMTOOL";
    static final String MISSING = BINARY_ENV + " is not set, so the generated rules are not checked by promtool. "
            + "scripts/test sets it (scripts/prometheus promtool path builds promtool with Go).";
    static final YAMLMapper YAML = new YAMLMapper();

    private PromtoolRules() {}

    /** The binary, or null when not configured; under CI=true a missing binary fails instead of skipping. */
    static Path binaryOrNull() {
        String binary = System.getenv(BINARY_ENV);
        if (binary == null || binary.isBlank() || !Files.isExecutable(Path.of(binary))) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(
                        "CI=true: the promtool checks of the generated rules must run, not be skipped. " + MISSING);
            }
            return null;
        }
        return Path.of(binary);
    }

    /** The rule groups of a rendered PrometheusRule. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(HasMetadata rule) {
        return (Map<String, Object>)
                ((GenericKubernetesResource) rule).getAdditionalProperties().get("spec");
    }

    /** Writes each PrometheusRule's spec as {@code <name>.yaml}; returns the files. */
    static List<Path> write(List<HasMetadata> rules, Path directory, boolean withAnnotations) throws IOException {
        List<Path> files = new ArrayList<>();
        for (HasMetadata rule : rules) {
            Object spec = withAnnotations ? spec(rule) : withoutAnnotations(spec(rule));
            files.add(Files.writeString(
                    directory.resolve(rule.getMetadata().getName() + ".yaml"), YAML.writeValueAsString(spec)));
        }
        return files;
    }

    /**
     * The same groups without annotations: {@code promtool test rules} compares annotations exactly,
     * and the descriptions hold the rendered value; {@code check rules} checks their templates.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutAnnotations(Map<String, Object> spec) {
        List<Object> groups = new ArrayList<>();
        for (Object group : (List<Object>) spec.get("groups")) {
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) group);
            List<Object> rules = new ArrayList<>();
            for (Object rule : (List<Object>) copy.get("rules")) {
                Map<String, Object> stripped = new LinkedHashMap<>((Map<String, Object>) rule);
                stripped.remove("annotations");
                rules.add(stripped);
            }
            copy.put("rules", rules);
            groups.add(copy);
        }
        return Map.of("groups", groups);
    }

    /** Runs promtool; returns its exit code and output. */
    static Run run(Path binary, Path directory, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(arguments);
        Path log = directory.resolve("promtool-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("promtool " + arguments + " did not finish in 5 minutes");
        }
        return new Run(process.exitValue(), Files.readString(log));
    }

    record Run(int exitCode, String output) {}
}
