package dev.mkplat.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mkplat.config.PlatformConfig.Alerting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated Alertmanager configuration under a real {@code amtool check-config}, from the
 * Alertmanager Go module (scripts/amtool path builds it; MKPLAT_TEST_AMTOOL names the binary).
 */
class AlertRoutingAmtoolTest {
    static final String BINARY_ENV = "MKPLAT_TEST_AMTOOL";
    private static Path amtool;

    @BeforeAll
    static void findAmtool() {
        String binary = System.getenv(BINARY_ENV);
        if (binary == null || binary.isBlank() || !Files.isExecutable(Path.of(binary))) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(
                        "CI=true: amtool's check of the generated Alertmanager configuration must run, not be skipped. "
                                + BINARY_ENV
                                + " is not set; scripts/test sets it (scripts/amtool path builds amtool with Go).");
            }
            assumeTrue(
                    false,
                    BINARY_ENV + " is not set, so the generated Alertmanager configuration is not checked by amtool");
        }
        amtool = Path.of(binary);
    }

    @Test
    void everyGeneratedConfigurationPassesCheckConfig(@TempDir Path dir) throws Exception {
        for (Alerting alerting : AlertRoutingTest.examples()) {
            Path file = Files.writeString(dir.resolve("alertmanager.yaml"), AlertRouting.configYaml(alerting));
            Run run = checkConfig(file);
            assertThat(run.exitCode())
                    .as(run.output() + "\n" + Files.readString(file))
                    .isZero();
            assertThat(run.output()).contains("SUCCESS").contains("Found:").contains(" - 2 receivers");
        }
    }

    /** The check is a real one: a route to a receiver that does not exist is refused. */
    @Test
    void checkConfigRefusesARouteToAMissingReceiver(@TempDir Path dir) throws Exception {
        String broken = AlertRouting.configYaml(AlertRoutingTest.BOTH)
                .replace("receiver: \"" + AlertRouting.RECEIVER + "\"", "receiver: \"nobody\"")
                .replace("receiver: " + AlertRouting.RECEIVER + "\n", "receiver: nobody\n");
        assertThat(broken).contains("nobody");
        Run run = checkConfig(Files.writeString(dir.resolve("alertmanager.yaml"), broken));
        assertThat(run.exitCode()).as(run.output()).isNotZero();
        assertThat(run.output()).contains("nobody");
    }

    private record Run(int exitCode, String output) {}

    private static Run checkConfig(Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(amtool.toString(), "check-config", file.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }
}
