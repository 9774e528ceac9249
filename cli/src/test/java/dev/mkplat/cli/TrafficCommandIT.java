package dev.mkplat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.traffic.ControlledServer;
import dev.mkplat.traffic.ProjectCaTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mkplat traffic} through the real command line, against a server on loopback. */
class TrafficCommandIT {

    @Test
    void thresholdsThatHoldExitZero() throws Exception {
        try (ControlledServer server = ControlledServer.http().latency(5)) {
            CliTest.Run run = CliTest.run(
                    "traffic",
                    "--url",
                    server.url().toString(),
                    "--rps",
                    "50",
                    "--duration",
                    "2s",
                    "--threshold",
                    "p99<2s",
                    "--threshold",
                    "errors<1%",
                    "--threshold",
                    "rate>40");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("✓ p99<2s").contains("✓ errors<1%").contains("✓ rate>40");
        }
    }

    @Test
    void aCrossedThresholdSaysWhichAndByHowMuchAndExitsOne() throws Exception {
        try (ControlledServer server = ControlledServer.http().latency(30)) {
            CliTest.Run run = CliTest.run(
                    "traffic",
                    "--url",
                    server.url().toString(),
                    "--rps",
                    "50",
                    "--duration",
                    "2s",
                    "--threshold",
                    "p50<1ms",
                    "--threshold",
                    "errors<1%");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out())
                    .contains("× p50<1ms  (p50 was ")
                    .contains(" over)")
                    .contains("✓ errors<1%");
            assertThat(run.err()).contains("mkplat: error: 1 of 2 thresholds crossed: p50<1ms (p50 was ");
        }
    }

    @Test
    void errorAnswersAreBrokenDownAndCrossTheErrorThreshold() throws Exception {
        try (ControlledServer server = ControlledServer.http().status(503)) {
            CliTest.Run run = CliTest.run(
                    "traffic",
                    "--url",
                    server.url().toString(),
                    "--rps",
                    "40",
                    "--duration",
                    "1s",
                    "--threshold",
                    "errors<1%");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out())
                    .containsPattern("GET http://127\\.0\\.0\\.1:\\d+/\\s+40\\s+40\\.0\\s+0\\s+0\\s+40\\s+0\\s+0")
                    .contains("40 errors (40 5xx), first: HTTP 503")
                    .contains("× errors<1%  (errors was 100.00%");
        }
    }

    @Test
    void requestsSlowerThanTheTimeoutCountAsTimeouts() throws Exception {
        try (ControlledServer server = ControlledServer.http().latency(1500)) {
            CliTest.Run run = CliTest.run(
                    "traffic",
                    "--url",
                    server.url().toString(),
                    "--rps",
                    "10",
                    "--duration",
                    "1s",
                    "--timeout",
                    "300ms");

            assertThat(run.out()).contains("10 errors (10 timeouts), first: timed out");
        }
    }

    @Test
    void aClosedRunReportsItsThroughput() throws Exception {
        try (ControlledServer server = ControlledServer.http().latency(1)) {
            CliTest.Run run = CliTest.run(
                    "traffic", "--url", server.url().toString(), "--closed", "--connections", "4", "--duration", "2s");

            assertThat(run.exitCode()).as(run.err()).isZero();
            Matcher m = Pattern.compile("ran 2s: (\\d+) requests, throughput (\\d+)/s")
                    .matcher(run.out());
            assertThat(m.find()).as(run.out()).isTrue();
            long requests = Long.parseLong(m.group(1));
            // 4 workers, each at most one request per ms of server latency
            assertThat(requests).isGreaterThan(100).isLessThanOrEqualTo(server.requests());
            assertThat(Long.parseLong(m.group(2))).isBetween(requests / 2 - 2, requests / 2 + 2);
            // A worker's next request can reach the server just before the handler of its previous one
            // has finished counting itself out, so 4 workers can look like up to 8.
            assertThat(server.mostAtOnce()).isLessThanOrEqualTo(8);
        }
    }

    @Test
    void jsonAndHtmlReportsAreWritten(@TempDir Path dir) throws Exception {
        try (ControlledServer server = ControlledServer.http().latency(2)) {
            Path json = dir.resolve("report.json");
            Path html = dir.resolve("report.html");
            CliTest.Run run = CliTest.run(
                    "traffic",
                    "--url",
                    server.url().toString(),
                    "--rps",
                    "20",
                    "--duration",
                    "2s",
                    "--out",
                    json.toString(),
                    "--html",
                    html.toString());

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(Files.readString(json))
                    .contains("\"model\" : \"open\"")
                    .contains("\"sent\" : 40")
                    .contains("\"p99Ms\"");
            String page = Files.readString(html);
            assertThat(page)
                    .startsWith("<!DOCTYPE html>")
                    .contains("<svg")
                    .contains("<polyline")
                    .doesNotContainPattern("(src|href)=\"(https?:)?//");
        }
    }

    /** TLS with a server certificate issued by the project's own CA (dev.mkplat.certs). */
    @Test
    void httpsWithTheProjectCaIsTrustedWithCacertAndRefusedWithout(@TempDir Path dir) throws Exception {
        ProjectCaTls projectCa = ProjectCaTls.create(dir);
        SSLContext tls = projectCa.server();
        Path caFile = projectCa.caFile();

        try (ControlledServer server = ControlledServer.https(tls)) {
            String url = server.url().toString();
            CliTest.Run trusted = CliTest.run(
                    "traffic", "--url", url, "--rps", "20", "--duration", "1s", "--cacert", caFile.toString());
            CliTest.Run untrusted = CliTest.run("traffic", "--url", url, "--rps", "20", "--duration", "1s");
            CliTest.Run insecure =
                    CliTest.run("traffic", "--url", url, "--rps", "20", "--duration", "1s", "--insecure");

            assertThat(trusted.exitCode()).as(trusted.err()).isZero();
            assertThat(trusted.out())
                    .containsPattern("GET https://localhost:\\d+/\\s+20\\s+20\\.0\\s+20\\s+0\\s+0\\s+0\\s+0\\s");
            assertThat(untrusted.exitCode()).isEqualTo(1);
            assertThat(untrusted.err())
                    .contains("mkplat: error: no request got an answer: ")
                    .contains("TLS");
            assertThat(insecure.exitCode()).as(insecure.err()).isZero();
        }
    }
}
