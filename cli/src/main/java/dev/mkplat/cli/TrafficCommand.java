package dev.mkplat.cli;

import dev.mkplat.core.MkplatException;
import dev.mkplat.traffic.LoadModel;
import dev.mkplat.traffic.SloThresholds;
import dev.mkplat.traffic.TrafficRequest;
import dev.mkplat.traffic.TrafficResult;
import dev.mkplat.traffic.TrafficRun;
import dev.mkplat.traffic.engine.TrustSettings;
import dev.mkplat.traffic.report.LiveProgress;
import dev.mkplat.traffic.report.Threshold;
import dev.mkplat.traffic.scenario.BuiltInScenarios;
import dev.mkplat.traffic.scenario.ScenarioFile;
import dev.mkplat.traffic.scenario.Scenarios;
import dev.mkplat.traffic.schedule.Arrival;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mkplat traffic}: validate the flags, build a {@link TrafficRequest}, run it, map the verdict to an exit code. */
@Command(
        name = "traffic",
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Puts load on the services at a fixed arrival rate and reports latencies you can trust.",
        description = {
            "",
            "Open model by default: requests go out at --rps whatever the answers, and latency counts from when each",
            "request was meant to go out, so a stalled server shows in the percentiles (as wrk2 measures). When",
            "--max-in-flight requests are still running, new ones are dropped and counted, never delayed.",
            "--closed --connections N is the closed model: N workers send back to back, for maximum throughput.",
            "",
            "Scenarios: mixed (default: api items, auth verify, image upload and fetch, by a pool of virtual users",
            "that register and log in first), api, auth, images, or a YAML file. They reach the services through",
            "https://api.test, https://auth.test and https://images.test, trusting certs/test/ca.crt when present;",
            "--target NAME=URL points one at a locally running service. --url URL just sends GET, like wrk and hey.",
            "",
        },
        footer = {
            "",
            "Thresholds: METRIC<VALUE or METRIC>VALUE (also <=, >=). METRIC is p50, p90, p95, p99, p99.9, max, mean",
            "(in us, ms or s), errors (in %%: non-2xx/3xx answers, timeouts and connection failures) or rate (per second).",
            "A crossed threshold prints which and by how much, and exits 1. Without --threshold, a built-in scenario",
            "checks the SLOs of mkplat.yaml (slos:), as the alerts do: api, auth or images their own (p99<=250ms and",
            "errors<=0.5%% for api by default), mixed the loosest of the three; --no-thresholds checks nothing.",
            "",
            "Examples:",
            "  # 50 requests/s for 30 s of the mixed scenario against the services running locally",
            "  mkplat traffic --rps 50 --duration 30s --target api=http://127.0.0.1:3000 \\",
            "      --target auth=http://127.0.0.1:5000 --target images=http://127.0.0.1:8080",
            "",
            "  # a CI gate: fail when p99 is 250 ms or more or 1%% of requests fail; keep the reports",
            "  mkplat traffic --scenario api --rps 200 --duration 2m --ramp 30s \\",
            "      --threshold 'p99<250ms' --threshold 'errors<1%%' --out report.json --html report.html",
            "",
            "  # maximum throughput of one URL with 64 connections, like wrk -c64",
            "  mkplat traffic --url http://127.0.0.1:3000/ --closed --connections 64 --duration 10s",
            "",
            "Ctrl-C stops the load; the report is still printed and written.",
            "scripts/mkplat runs traffic with the full JIT and a heap of at most 160 MB; with java -jar, pass",
            "-XX:+UseSerialGC -Xmn64m -Xmx160m (or set JAVA_TOOL_OPTIONS), else the JVM may take a quarter of the RAM.",
            "Exit codes: 0 ok, 1 a threshold was crossed or the target could not be reached, 2 bad usage or input.",
        })
public final class TrafficCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rps", paramLabel = "N", description = "Arrivals per second, open model (default: 50).")
    Double rps;

    @Option(
            names = "--duration",
            paramLabel = "TIME",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long to send, e.g. 30s, 5m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--ramp",
            paramLabel = "TIME",
            converter = DurationConverter.class,
            description = "Raise the rate linearly from 0 to --rps over this part of --duration.")
    Duration ramp;

    @Option(
            names = "--arrival",
            paramLabel = "constant|poisson",
            description = "Spacing of arrivals (default: constant).")
    Arrival arrival;

    @Option(
            names = "--scenario",
            paramLabel = "NAME|FILE",
            description = "mixed (default), api, auth, images, or a YAML file.")
    String scenario;

    @Option(
            names = "--target",
            paramLabel = "NAME=URL",
            description = "Base URL of a scenario target, e.g. api=http://127.0.0.1:3000.")
    Map<String, String> targets = new LinkedHashMap<>();

    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "Send GET to this URL instead of a scenario (repeatable).")
    List<String> urls = new ArrayList<>();

    @Option(
            names = "--cacert",
            paramLabel = "FILE",
            description = "Trust this CA (PEM) for https targets, besides the JDK's.")
    Path cacert;

    @Option(names = "--insecure", description = "Do not check https certificates at all.")
    boolean insecure;

    @Option(
            names = "--max-in-flight",
            paramLabel = "N",
            description = "Drop arrivals while N are running (default: 1000).")
    Integer maxInFlight;

    @Option(
            names = "--timeout",
            paramLabel = "TIME",
            defaultValue = "5s",
            converter = DurationConverter.class,
            description = "Give up on a request after this long; it counts as a timeout (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the report as JSON.")
    Path out;

    @Option(
            names = "--html",
            paramLabel = "FILE",
            description = "Also write the report as a self-contained HTML page with charts.")
    Path html;

    @Option(
            names = "--threshold",
            paramLabel = "EXPR",
            description = "Pass/fail condition, e.g. 'p99<250ms', 'errors<1%%' (repeatable).")
    List<String> thresholds = new ArrayList<>();

    @Option(names = "--no-thresholds", description = "Check no threshold, not even the SLOs' (see below).")
    boolean noThresholds;

    @Mixin
    ConfigOptions config;

    @Option(names = "--closed", description = "Closed model: --connections workers send back to back.")
    boolean closed;

    @Option(names = "--connections", paramLabel = "N", description = "Workers of the closed model.")
    Integer connections;

    @Override
    public Integer call() {
        checkFlags();
        TrafficRequest request;
        try {
            request = new TrafficRequest(
                    urls.isEmpty()
                            ? Scenarios.resolve(scenario == null ? "mixed" : scenario)
                            : BuiltInScenarios.urls(urls.stream()
                                    .map(u -> ScenarioFile.baseUrl("--url", u))
                                    .toList()),
                    parseTargets(),
                    model(),
                    duration,
                    timeout,
                    cacert != null || insecure
                            ? new TrustSettings(Optional.ofNullable(cacert), insecure)
                            : TrustSettings.defaults(),
                    thresholds(),
                    Optional.ofNullable(out),
                    Optional.ofNullable(html));
        } catch (IllegalArgumentException | ScenarioFile.InvalidScenarioException e) {
            throw MkplatException.usage(e.getMessage(), "see 'mkplat traffic --help'");
        }
        TrafficResult result = new TrafficRun(
                        spec.commandLine().getOut(), spec.commandLine().getErr(), LiveProgress.onTerminal())
                .run(request);
        if (result.failed()) {
            throw new MkplatException(result.exitCode(), result.error(), result.hint());
        }
        return 0;
    }

    /** --threshold's, or else the SLOs' for a built-in scenario (none with --no-thresholds, --url or a scenario file). */
    private List<Threshold> thresholds() {
        if (!thresholds.isEmpty() || noThresholds || !urls.isEmpty()) {
            return thresholds.stream().map(Threshold::parse).toList();
        }
        String name = scenario == null ? "mixed" : scenario;
        List<Threshold> fromSlos = SloThresholds.forScenario(config.load().slos(), name);
        if (!fromSlos.isEmpty()) {
            spec.commandLine()
                    .getOut()
                    .println("thresholds from the SLOs (" + name + "): " + SloThresholds.describe(fromSlos)
                            + "; --threshold sets others, --no-thresholds none");
        }
        return fromSlos;
    }

    /** The load model the flags ask for: the closed one with --closed, else the open one with its defaults. */
    private LoadModel model() {
        return closed
                ? new LoadModel.Closed(connections)
                : new LoadModel.Open(
                        rps == null ? 50 : rps,
                        ramp == null ? Duration.ZERO : ramp,
                        arrival == null ? Arrival.CONSTANT : arrival,
                        maxInFlight == null ? 1000 : maxInFlight);
    }

    /** Flags that conflict, or need each other, before anything is read or sent. */
    private void checkFlags() {
        List<String> openOnly = new ArrayList<>();
        if (rps != null) {
            openOnly.add("--rps");
        }
        if (ramp != null) {
            openOnly.add("--ramp");
        }
        if (arrival != null) {
            openOnly.add("--arrival");
        }
        if (maxInFlight != null) {
            openOnly.add("--max-in-flight");
        }
        String problem = closed && connections == null
                ? "--closed needs --connections N (how many workers send back to back)"
                : !closed && connections != null
                        ? "--connections applies to the closed model: add --closed, or use --rps for the open model"
                        : closed && !openOnly.isEmpty()
                                ? String.join(", ", openOnly) + " apply to the open model, not to --closed"
                                : cacert != null && insecure
                                        ? "--cacert and --insecure exclude each other: trust one CA, or check nothing"
                                        : !urls.isEmpty() && scenario != null
                                                ? "--url and --scenario exclude each other: --url sends GET instead of a scenario"
                                                : !urls.isEmpty() && !targets.isEmpty()
                                                        ? "--target sets a scenario's base URLs; with --url there is no scenario"
                                                        : noThresholds && !thresholds.isEmpty()
                                                                ? "--no-thresholds and --threshold exclude each other: check some, or none"
                                                                : cacert != null && !Files.isRegularFile(cacert)
                                                                        ? "--cacert " + cacert + ": no such file"
                                                                        : null;
        if (problem != null) {
            throw MkplatException.usage(problem, "see 'mkplat traffic --help'");
        }
    }

    private Map<String, URI> parseTargets() {
        Map<String, URI> parsed = new LinkedHashMap<>();
        targets.forEach((name, url) -> parsed.put(name, ScenarioFile.baseUrl("--target " + name, url)));
        return parsed;
    }
}
