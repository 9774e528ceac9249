package dev.mkplat.e2e;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.mkplat.cli.Cli;
import dev.mkplat.core.Environment;
import dev.mkplat.testing.TestCluster;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code mkplat chaos} against the platform really running on the real node of {@code
 * scripts/test-cluster up --real-node}, reached through its ingress (Traefik serving class nginx)
 * as a user reaches it: a pod of api killed under 50 requests/s recovers and the error rate comes
 * back, auth answers 503 with Retry-After while Redis is away, a partition that kube-router
 * enforces makes api's item routes answer 503, and an item outlives the database's pod.
 */
@TestCluster(realNode = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosOnRealNodeIT {
    private static final List<String> HOSTS = List.of("api.test", "auth.test", "images.test");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Where the report of the kill under traffic is kept, for docs/chaos.md. */
    private static final Path REPORTS = Path.of("target", "chaos-on-real-node");

    private final Path checkout = Path.of("").toAbsolutePath().getParent();
    private Path work;
    private Path home;
    private Path kubeconfig;
    private Path hosts;
    private KubernetesClient client;
    private String nodeAddress;

    record Run(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** One answer: status, Retry-After (empty when absent), body; status 0 when curl got none within its time. */
    record Answer(int status, String retryAfter, String body) {
    }

    @BeforeAll
    void platformUp(KubernetesClient client, Path kubeconfig) throws IOException {
        this.client = client;
        this.kubeconfig = kubeconfig;
        work = Files.createTempDirectory("mkplat-chaos-work");
        home = Files.createTempDirectory("mkplat-chaos-home");
        nodeAddress = client.nodes().withLabel("mkplat.io/test-cluster-node", "real").list().getItems().getFirst().getStatus().getAddresses()
                .stream().filter(address -> "InternalIP".equals(address.getType())).map(NodeAddress::getAddress).findFirst().orElseThrow();
        hosts = Files.writeString(work.resolve("hosts"), nodeAddress + " " + String.join(" ", HOSTS) + "\n");
        Assumptions.assumeTrue(Files.isRegularFile(checkout.resolve("mvnw")), "not run from a source checkout: " + checkout);
        Assumptions.assumeTrue(Files.isRegularFile(jar()), "no " + jar() + ": package the cli module first");

        boolean built = List.of("api", "auth", "images").stream()
                .allMatch(service -> Files.isRegularFile(checkout.resolve("services/" + service + "/target/image/" + service + ".tar")));
        if (!built) {
            Run build = mkplatIn(checkout, Path.of(System.getProperty("user.home")), "images", "build");
            assertThat(build.exitCode()).as(build.all()).isZero();
        }
        Run load = mkplatIn(checkout, Path.of(System.getProperty("user.home")), "images", "load", "--kubeconfig", kubeconfig.toString());
        assertThat(load.exitCode()).as(load.all()).isZero();
        Files.writeString(work.resolve("mkplat.yaml"), "monitoring:\n  enabled: false\ntimeouts:\n  deploy: 10m\n  stage: 9m\n");
        Run up = mkplat("up", "--no-monitoring");
        assertThat(up.exitCode()).as(up.all()).isZero();
        Assumptions.assumeTrue(client.pods().inNamespace("ingress-nginx").list().getItems().stream()
                        .anyMatch(Readiness::isPodReady),
                "the node has no ingress controller: chaos under traffic goes through the ingress hosts");
        // The controller learns the Services' endpoints a moment after the pods are Ready.
        await("auth.test through the ingress").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> curl("GET", "https://auth.test/", List.of()).status() == 200);
        await("api.test through the ingress").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> curl("GET", "https://api.test/", List.of()).status() == 200);
    }

    @AfterAll
    void platformDown() {
        if (client != null && work != null) {
            mkplat("destroy", "--yes", "--purge-data");
        }
    }

    @Test
    @Order(1)
    void aKilledApiPodUnder50RequestsPerSecondIsReplacedAndTheErrorRateComesBack() throws Exception {
        Path journal = work.resolve("kill-pod-api.json");

        Run run = mkplatWithIngress("chaos", "kill-pod", "api", "--with-traffic", "--rps", "50", "--journal", journal.toString());

        Files.createDirectories(REPORTS);
        Files.writeString(REPORTS.resolve("kill-pod-api.txt"), run.all());
        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out()).containsPattern("total recovery +\\d+\\.\\ds \\(2/2 ready\\)")
                .contains("steady state: ✓ errors<1% before").contains("✓ errors<1% after")
                .containsPattern("recovered: api lost 1 pod and was back at 2 ready after \\d+\\.\\ds; the error rate was back at baseline");
        JsonNode report = JSON.readTree(Files.readString(journal)).path("report");
        // A container that starts a JVM and passes /readyz: seconds, not the kwok cluster's tenths.
        assertThat(report.path("replacementReadySeconds").asDouble()).isGreaterThan(1.0);
        assertThat(report.path("recoverySeconds").asDouble()).isGreaterThanOrEqualTo(report.path("replacementReadySeconds").asDouble());
        assertThat(report.path("traffic").path("before").path("requests").asLong()).isGreaterThan(300);
        assertThat(report.path("traffic").path("errorRateRecoveredSeconds").isNumber()).isTrue();
        Files.writeString(REPORTS.resolve("kill-pod-api.json"), Files.readString(journal));
    }

    @Test
    @Order(2)
    void authAnswers503WithRetryAfterWhileRedisIsStoppedAndRecoversByItself() throws Exception {
        String token = login(newUser());
        assertThat(verify(token).status()).isEqualTo(200);

        CompletableFuture<Run> stop = CompletableFuture.supplyAsync(() -> mkplat("chaos", "stop", "redis", "--duration", "20s"));
        List<Answer> during = new CopyOnWriteArrayList<>();
        await("redis scaled to 0").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> stop.isDone() || client.apps().statefulSets().inNamespace("infra").withName("redis").get().getSpec().getReplicas() == 0);
        await("the stop's end, asking auth meanwhile").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (client.apps().statefulSets().inNamespace("infra").withName("redis").get().getSpec().getReplicas() == 0) {
                during.add(verify(token));
            }
            return stop.isDone();
        });
        Run run = stop.get();

        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(during).as("answers while redis was away").isNotEmpty()
                .anySatisfy(answer -> {
                    assertThat(answer.status()).isEqualTo(503);
                    assertThat(answer.retryAfter()).isNotEmpty();
                })
                .allSatisfy(answer -> assertThat(answer.status()).as(answer.toString()).isIn(200, 503));
        // By itself: a new login (Redis keeps the sessions) and its token verified.
        await("auth answers again").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> curl("GET", "https://auth.test/readyz", List.of()).status() == 200);
        assertThat(verify(login(newUser())).status()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void apisItemRoutesAnswer503WhileItIsCutOffFromAuthAndRecoverAfter() throws Exception {
        String token = login(newUser());
        Answer created = curl("POST", "https://api.test/items", bearer(token, "-H", "Content-Type: application/json", "--data",
                "{\"name\":\"across a partition\"}"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String item = "https://api.test/items/" + JSON.readTree(created.body()).path("id").asString();

        CompletableFuture<Run> partition = CompletableFuture.supplyAsync(() -> mkplat("chaos", "partition", "api", "auth", "--duration", "20s"));
        List<Answer> during = new CopyOnWriteArrayList<>();
        await("the partition in place").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> partition.isDone() || partitioned());
        await("the partition's end, asking api meanwhile").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (partitioned()) {
                during.add(curl("GET", item, bearer(token)));
            }
            return partition.isDone();
        });
        Run run = partition.get();

        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out()).contains("partition api -> auth held for 20.0s and healed");
        assertThat(during).as("answers while api was cut off from auth").isNotEmpty()
                .anySatisfy(answer -> assertThat(answer.status()).isEqualTo(503));
        await("api's item route again").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> curl("GET", item, bearer(token)).status() == 200);
    }

    @Test
    @Order(4)
    void anItemWrittenBeforeThePostgresPodIsKilledIsReadBackAfter() throws Exception {
        Path journal = work.resolve("kill-pod-postgres.json");

        Run run = mkplatWithIngress("chaos", "kill-pod", "postgres", "--force", "--verify-data", "--timeout", "5m", "--journal",
                journal.toString());

        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out()).containsPattern("marker: item \\S+ \\(mkplat-chaos-marker-\\w+\\) written through api")
                .containsPattern("marker: item \\S+ read back intact")
                .contains("the marker item is intact");
        JsonNode marker = JSON.readTree(Files.readString(journal)).path("report").path("marker");
        assertThat(marker.path("intact").asBoolean()).isTrue();
    }

    private boolean partitioned() {
        return client.network().v1().networkPolicies().inNamespace("auth").withName("mkplat-chaos-partition-api-auth").get() != null;
    }

    // --- through the ingress, as a user: curl resolves the hosts to the node and trusts only the platform's CA

    private String newUser() {
        return "chaos-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String login(String username) throws Exception {
        String credentials = "{\"username\":\"" + username + "\",\"password\":\"correct horse battery\"}";
        List<String> json = List.of("-H", "Content-Type: application/json", "--data", credentials);
        Answer registered = curl("POST", "https://auth.test/register", json);
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        Answer login = curl("POST", "https://auth.test/login", json);
        assertThat(login.status()).as(login.body()).isEqualTo(200);
        return JSON.readTree(login.body()).path("token").asString();
    }

    private Answer verify(String token) {
        return curl("GET", "https://auth.test/verify", bearer(token));
    }

    private static List<String> bearer(String token, String... more) {
        List<String> arguments = new ArrayList<>(List.of("-H", "Authorization: Bearer " + token));
        arguments.addAll(List.of(more));
        return arguments;
    }

    private Answer curl(String method, String url, List<String> arguments) {
        Path headers = work.resolve("headers-" + UUID.randomUUID());
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "15", "-X", method, "-D", headers.toString(),
                "-w", "\n%{http_code}", "--cacert", work.resolve("certs/test/ca.crt").toString()));
        for (String host : HOSTS) {
            command.addAll(List.of("--resolve", host + ":443:" + nodeAddress));
        }
        command.addAll(arguments);
        command.add(url);
        try {
            Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
            int split = output.lastIndexOf('\n');
            int status = curl.exitValue() == 0 && split >= 0 ? Integer.parseInt(output.substring(split + 1).trim()) : 0;
            String retryAfter = Files.exists(headers) ? Files.readAllLines(headers).stream()
                    .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("retry-after:"))
                    .map(line -> line.substring("retry-after:".length()).strip()).findFirst().orElse("") : "";
            Files.deleteIfExists(headers);
            return new Answer(status, retryAfter, split >= 0 ? output.substring(0, split) : output);
        } catch (IOException e) {
            throw new AssertionError("cannot run curl (this test needs it on PATH): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    // --- the CLI: in process, or as a JVM of its own that resolves the ingress hosts to the node, as a user's /etc/hosts would

    private Path jar() {
        return checkout.resolve("cli/target/mkplat.jar");
    }

    private Run mkplatWithIngress(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.net.hosts.file=" + hosts, "-jar", jar().toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--kubeconfig", kubeconfig.toString()));
        Path err = work.resolve("err-" + UUID.randomUUID());
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectError(err.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), out, Files.readString(err));
    }

    private Run mkplat(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--kubeconfig", kubeconfig.toString()));
        return mkplatIn(work, home, all.toArray(String[]::new));
    }

    private Run mkplatIn(Path directory, Path home, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.create(new PrintWriter(out, true), new PrintWriter(err, true), Environment.of(directory, home)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
