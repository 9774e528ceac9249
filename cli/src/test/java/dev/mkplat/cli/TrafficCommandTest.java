package dev.mkplat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input to {@code mkplat traffic}: exit 2 and one clear line, before anything is sent. */
class TrafficCommandTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--rps 0                            | --rps must be above 0",
                "--rps -5                           | --rps must be above 0",
                "--duration 5x                      | '5x' is not a duration",
                "--duration 10s --ramp 10s          | --ramp (10s) must be shorter than --duration (10s)",
                "--scenario nope                    | unknown scenario 'nope': use mixed, api, auth, images or the path of a YAML file",
                "--threshold p99<<1ms               | malformed threshold 'p99<<1ms': expected METRIC OP VALUE",
                "--threshold p99<250                | p99 needs a time unit",
                "--threshold errors<1               | errors is a percentage",
                "--closed                           | --closed needs --connections N",
                "--connections 4                    | --connections applies to the closed model",
                "--closed --connections 4 --rps 9   | --rps apply to the open model, not to --closed",
                "--cacert ca.crt --insecure         | --cacert and --insecure exclude each other",
                "--url http://x/ --scenario api     | --url and --scenario exclude each other",
                "--no-thresholds --threshold p99<1s | --no-thresholds and --threshold exclude each other",
                "--url ftp://x/                     | --url: 'ftp://x/' must be an http:// or https:// URL with a host",
                "--target nope=http://127.0.0.1:1   | scenario mixed has no target 'nope' (it uses auth, api, images)",
                "--max-in-flight 0                  | --max-in-flight must be 1 or more",
                "--out /no/such/dir/r.json          | --out /no/such/dir/r.json: the directory /no/such/dir does not exist",
            })
    void badInputIsUsageErrorWithOneClearLine(String args, String message) {
        CliTest.Run run = CliTest.run(("traffic " + args.strip()).split("\\s+"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("mkplat: error: ").contains(message);
        assertThat(run.err().lines().filter(l -> l.startsWith("mkplat: error:")).count())
                .isEqualTo(1);
        assertThat(run.out()).doesNotContain("ENDPOINT");
    }

    @Test
    void malformedThresholdShowsTheGrammar() {
        CliTest.Run run = CliTest.run("traffic", "--threshold", "latency is low");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .contains("METRIC is p50, p90, p95, p99, p99.9, max or mean")
                .contains("'errors<1%'");
    }

    @Test
    void scenarioFileWithUnknownKeyNamesFileLineAndColumn(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("shop.yaml");
        Files.writeString(file, """
                requests:
                  - target: api
                    path: /items
                    wieght: 3
                """);
        CliTest.Run run = CliTest.run("traffic", "--scenario", file.toString(), "--target", "api=http://127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("mkplat: error: " + file + ":4:5: unknown key 'wieght'");
    }

    @Test
    void unreachableTargetFailsWithAClearErrorAndTheReportSaysWhatHappened() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/";
        CliTest.Run run = CliTest.run("traffic", "--url", url, "--rps", "10", "--duration", "1s");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains("mkplat: error: cannot reach url1 at http://127.0.0.1:" + closedPort + ": connection refused")
                .contains("hint:");
        assertThat(run.out()).contains("mkplat traffic: scenario url").contains("problem: cannot reach url1");
    }

    @Test
    void helpTeachesWithExamples() {
        CliTest.Run run = CliTest.run("traffic", "--help");

        assertThat(run.exitCode()).isZero();
        // picocli wraps the description to the terminal's width: compare the words, not the line breaks
        String words = run.out().replaceAll("\\s+", " ");
        assertThat(words)
                .contains("Usage: mkplat traffic")
                .contains("Examples:")
                .contains("--threshold 'p99<250ms'")
                .contains("--target NAME=URL")
                .contains("wrk2")
                .doesNotContain("${");
    }
}
