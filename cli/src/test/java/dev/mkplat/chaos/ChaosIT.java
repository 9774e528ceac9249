package dev.mkplat.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mkplat.cli.CliSession;
import dev.mkplat.cli.CliSession.Run;
import dev.mkplat.testing.TestCluster;
import dev.mkplat.testing.TestNamespaces;
import dev.mkplat.traffic.ControlledServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code chaos kill-pod} against the platform deployed on the test cluster, whose ReplicaSet and
 * StatefulSet controllers are real (kwok pods become Ready at once).
 */
@TestCluster
class ChaosIT {
    static final List<String> NAMESPACES = List.of("db", "infra", "auth", "api", "images", "monitoring");

    @TempDir
    static Path work;

    @TempDir
    static Path home;

    static Path kubeconfig;
    static KubernetesClient client;

    @BeforeAll
    static void deployThePlatform(Path kubeconfig, KubernetesClient client, TestNamespaces namespaces) {
        ChaosIT.kubeconfig = kubeconfig;
        ChaosIT.client = client;
        namespaces.adopt(NAMESPACES.toArray(String[]::new));
        client.configMaps().inNamespace("default").withName("mkplat-inventory").delete();
        Run deploy = CliSession.in(work, home)
                .run("deploy", "db", "infra", "auth", "api", "--kubeconfig", kubeconfig.toString());
        assertThat(deploy.exitCode()).as(deploy.toString()).isZero();
    }

    @BeforeEach
    @AfterEach
    void everyPodReady() {
        // Each test starts from, and leaves, a platform at its ready count: the HPA's 2 api pods, 1 postgres, 1 redis.
        await("api and postgres ready")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ready("api", "api").size() == 2
                        && ready("db", "postgres").size() == 1
                        && ready("infra", "redis").size() == 1
                        && client.pods().inNamespace("api").list().getItems().size() == 2);
    }

    @Test
    void aDryRunNamesTheVictimAndDeletesNothing() throws Exception {
        Set<String> before = uids("api", "api");
        List<Path> journalsBefore = journals();

        Run run = mkplat("chaos", "kill-pod", "api", "--dry-run");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("chaos kill-pod api: 2/2 ready in Deployment api/api")
                .contains("PodDisruptionBudget api: minAvailable 1, allows 1 now")
                .containsPattern("would kill api-[a-z0-9]+-[a-z0-9]+ on ")
                .contains("dry run: nothing was deleted");
        assertThat(uids("api", "api")).isEqualTo(before);
        assertThat(client.leases().inNamespace("api").list().getItems()).isEmpty();
        assertThat(journals()).isEqualTo(journalsBefore);
    }

    @Test
    void aKillThatBreaksTheBudgetIsRefusedAndForceOverridesIt() throws Exception {
        Set<String> before = uids("api", "api");
        Path refusedJournal = work.resolve("refused.json");

        Run refused = mkplat("chaos", "kill-pod", "api", "--count", "2", "--journal", refusedJournal.toString());

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err())
                .contains("mkplat: error: killing 2 pods of api would leave no ready pod (2 ready)")
                .contains("--force");
        assertThat(refused.out())
                .contains(
                        "refused: killing 2 pods of api would break PodDisruptionBudget api/api (minAvailable 1; 2 ready, it allows 1 disruption)");
        assertThat(uids("api", "api")).isEqualTo(before);
        assertThat(journal(refusedJournal).path("verdict").asString()).isEqualTo("refused");
        assertThat(journal(refusedJournal).path("actions")).isEmpty();

        Run forced = mkplat("chaos", "kill-pod", "api", "--count", "2", "--force", "--timeout", "60s");

        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(forced.out())
                .contains("--force: killing 2 pods of api would break PodDisruptionBudget")
                .contains("recovered: api lost 2 pods and was back at 2 ready after");
        Set<String> after = uids("api", "api");
        assertThat(after).hasSize(2).doesNotContainAnyElementsOf(before);
    }

    @Test
    void aKillIsReportedWithItsReplacementAndThreeTimesAndJournaled() throws Exception {
        Set<String> before = uids("api", "api");
        Path journalFile = work.resolve("journals/kill.json");

        Run run = mkplat("chaos", "kill-pod", "api", "--journal", journalFile.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        Set<String> killed =
                before.stream().filter(uid -> !uids("api", "api").contains(uid)).collect(Collectors.toSet());
        assertThat(killed).hasSize(1);
        assertThat(run.out())
                .containsPattern("killed +api-\\S+ +api-\\S+ +\\d+\\.\\ds +\\d+\\.\\ds")
                .containsPattern("replacement existed after  \\d+\\.\\ds")
                .containsPattern("replacement Ready after    \\d+\\.\\ds")
                .containsPattern("total recovery             \\d+\\.\\ds \\(2/2 ready\\)")
                .contains("journal: " + journalFile);

        JsonNode journal = journal(journalFile);
        assertThat(journal.path("experiment").path("kind").asString()).isEqualTo("kill-pod");
        assertThat(journal.path("experiment").path("target").asString()).isEqualTo("api");
        assertThat(journal.path("experiment").path("options").path("count").asInt())
                .isEqualTo(1);
        assertThat(journal.path("cluster").path("context").asString()).isNotEmpty();
        assertThat(names(journal.path("actions"))).containsExactly("lock", "delete-pod");
        JsonNode deleted = journal.path("actions").get(1);
        assertThat(deleted.path("uid").asString()).isEqualTo(killed.iterator().next());
        assertThat(deleted.path("deleted").asBoolean()).isTrue();
        assertThat(names(journal.path("observations")))
                .startsWith("steady-state")
                .contains("pod-created", "pod-ready")
                .endsWith("recovered");
        JsonNode report = journal.path("report");
        double existed = report.path("replacementExistedSeconds").asDouble();
        double readied = report.path("replacementReadySeconds").asDouble();
        double recovery = report.path("recoverySeconds").asDouble();
        assertThat(existed).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(readied);
        assertThat(readied).isLessThanOrEqualTo(recovery);
        assertThat(recovery).isLessThan(60);
        assertThat(report.path("kills").get(0).path("replacement").asString()).startsWith("api-");
        assertThat(journal.path("verdict").asString()).isEqualTo("recovered");
        assertThat(journal.path("exitCode").asInt()).isZero();
        assertThat(Instant.parse(journal.path("start").asString()))
                .isBefore(Instant.parse(journal.path("end").asString()));
        // The lock is given back.
        assertThat(client.leases().inNamespace("api").list().getItems()).isEmpty();
    }

    @Test
    void aKillUnderTrafficMeasuresTheSteadyStateTheErrorsAndTheRecoveryOfTheErrorRate() throws Exception {
        // kwok pods serve nothing: the load goes to a server of the test's own, which fails for a while after the kill.
        try (ControlledServer server = ControlledServer.http()) {
            Path scenario = stubScenario(server);
            Path journalFile = work.resolve("journals/traffic.json");
            Set<String> before = uids("api", "api");

            // Its own thread, not the common pool: that has one thread on two cores, and the test's own
            // Kubernetes reads (fabric8 completes them there) would wait until the experiment ended.
            ExecutorService experiment = Executors.newSingleThreadExecutor();
            CompletableFuture<Run> running = CompletableFuture.supplyAsync(
                    () -> mkplat(
                            "chaos",
                            "kill-pod",
                            "api",
                            "--with-traffic",
                            "--rps",
                            "20",
                            "--scenario",
                            scenario.toString(),
                            "--steady-for",
                            "2s",
                            "--steady",
                            "errors<1%",
                            "--journal",
                            journalFile.toString()),
                    experiment);
            experiment.shutdown();
            await("the kill")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> running.isDone() || !before.containsAll(uids("api", "api")));
            server.status(503);
            int failedFrom = server.requests();
            await("40 failed answers")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> running.isDone() || server.requests() >= failedFrom + 40);
            server.status(200);
            Run run = running.get(3, TimeUnit.MINUTES);

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out())
                    .contains("traffic: scenario stub at 20/s through "
                            + server.url().toString().replaceAll("/$", ""))
                    .contains("steady state: ✓ errors<1% before (errors 0.00%)")
                    .containsPattern("before +\\d+ +\\d+ +0 +0\\.00% ")
                    .containsPattern("during +\\d+ +\\d+ +[1-9]\\d* ")
                    .containsPattern(
                            "error rate back at baseline \\(at most 1\\.00%\\) \\d+\\.\\ds after the fault ended")
                    .contains("✓ errors<1% after")
                    .containsPattern(
                            "recovered: api lost 1 pod and was back at 2 ready after \\d+\\.\\ds; the error rate was back at baseline");
            JsonNode traffic = journal(journalFile).path("report").path("traffic");
            assertThat(traffic.path("before").path("requests").asLong()).isPositive();
            assertThat(traffic.path("during").path("errors").asLong()).isGreaterThanOrEqualTo(40);
            assertThat(traffic.path("after").path("errors").asLong()).isZero();
            assertThat(traffic.path("errorRateRecoveredSeconds").asDouble()).isPositive();
            assertThat(traffic.path("steadyAfter").get(0).path("passed").asBoolean())
                    .isTrue();
            assertThat(journal(journalFile).path("verdict").asString()).isEqualTo("recovered");
        }
    }

    @Test
    void aSteadyStateThatDoesNotHoldRefusesTheKill() throws Exception {
        try (ControlledServer server = ControlledServer.http().status(500)) {
            Set<String> before = uids("api", "api");
            Path journalFile = work.resolve("journals/unsteady.json");

            Run run = mkplat(
                    "chaos",
                    "kill-pod",
                    "api",
                    "--with-traffic",
                    "--rps",
                    "20",
                    "--scenario",
                    stubScenario(server).toString(),
                    "--steady-for",
                    "2s",
                    "--journal",
                    journalFile.toString());

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.err())
                    .contains(
                            "mkplat: error: the steady state does not hold before the fault: errors<1% (errors was 100.00%")
                    .contains("nothing was killed");
            assertThat(uids("api", "api")).isEqualTo(before);
            assertThat(journal(journalFile).path("verdict").asString()).isEqualTo("refused");
            assertThat(names(journal(journalFile).path("actions"))).containsExactly("lock");
            assertThat(client.leases().inNamespace("api").list().getItems()).isEmpty();
        }
    }

    /** A scenario of one GET to {@code server}. */
    private static Path stubScenario(ControlledServer server) throws Exception {
        return Files.writeString(
                work.resolve("stub-" + System.nanoTime() + ".yaml"),
                "name: stub\ntargets:\n  stub: " + server.url().toString().replaceAll("/$", "")
                        + "\nrequests:\n  - {name: stub root, target: stub, path: /}\n");
    }

    @Test
    void aStatefulSetPodComesBackUnderItsOwnNameWithANewUid() {
        Pod before = client.pods().inNamespace("db").withName("postgres-0").get();

        Run refused = mkplat("chaos", "kill-pod", "postgres");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("killing 1 pod of postgres would leave no ready pod (1 ready)");

        Run forced = mkplat("chaos", "kill-pod", "postgres", "--force", "--timeout", "60s");

        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(forced.out()).containsPattern("killed +postgres-0 +postgres-0 ");
        Pod after = client.pods().inNamespace("db").withName("postgres-0").get();
        assertThat(after.getMetadata().getUid())
                .isNotEqualTo(before.getMetadata().getUid());
        assertThat(Readiness.getInstance().isReady(after)).isTrue();
    }

    @Test
    void aSecondExperimentOnTheSameComponentIsRefused() {
        client.leases()
                .inNamespace("api")
                .resource(new LeaseBuilder()
                        .withNewMetadata()
                        .withName("mkplat-chaos-api")
                        .withLabels(Map.of("app.kubernetes.io/part-of", "mkplat", "mkplat.dev/chaos", "lock"))
                        .withAnnotations(Map.of("mkplat.dev/chaos-experiment", "kill-pod api"))
                        .endMetadata()
                        .withNewSpec()
                        .withHolderIdentity("other-host/pid-1/abc")
                        .withAcquireTime(ZonedDateTime.now())
                        .withRenewTime(ZonedDateTime.now())
                        .withLeaseDurationSeconds(600)
                        .endSpec()
                        .build())
                .create();
        Set<String> before = uids("api", "api");
        try {
            Run run = mkplat("chaos", "kill-pod", "api");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(run.err())
                    .contains("another chaos experiment runs on api: kill-pod api (other-host/pid-1/abc, since ")
                    .contains("mkplat chaos revert removes the lock");
            assertThat(uids("api", "api")).isEqualTo(before);
        } finally {
            client.leases().inNamespace("api").withName("mkplat-chaos-api").delete();
        }
    }

    @Test
    void aLapsedLockOfACrashedRunIsTakenOver() {
        client.leases()
                .inNamespace("api")
                .resource(new LeaseBuilder()
                        .withNewMetadata()
                        .withName("mkplat-chaos-api")
                        .withLabels(Map.of("app.kubernetes.io/part-of", "mkplat", "mkplat.dev/chaos", "lock"))
                        .endMetadata()
                        .withNewSpec()
                        .withHolderIdentity("crashed/pid-1/abc")
                        .withAcquireTime(ZonedDateTime.now().minusMinutes(10))
                        .withRenewTime(ZonedDateTime.now().minusMinutes(10))
                        .withLeaseDurationSeconds(60)
                        .endSpec()
                        .build())
                .create();

        Run run = mkplat("chaos", "kill-pod", "api", "--timeout", "60s");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(client.leases().inNamespace("api").list().getItems()).isEmpty();
    }

    @Test
    void aPartitionDryRunChangesNothingAndAPairWithoutAFlowIsRefused() {
        Map<String, Object> before = policySpecs();

        Run dryRun = mkplat("chaos", "partition", "auth", "redis", "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
        assertThat(dryRun.out())
                .contains("would set aside NetworkPolicy infra/redis-allow-ingress-from-auth")
                .contains("would set aside NetworkPolicy auth/auth-allow-egress-to-redis")
                .contains("dry run: nothing was changed");

        Run nothing = mkplat("chaos", "partition", "api", "redis", "--duration", "1s");
        assertThat(nothing.exitCode()).isEqualTo(1);
        assertThat(nothing.err())
                .contains("no NetworkPolicy of the platform lets api connect to redis: there is nothing to cut");
        assertThat(policySpecs()).isEqualTo(before);
    }

    @Test
    void aPartitionInterruptedWithSigtermHealsItselfAndOneKilledIsHealedByRevert() throws Exception {
        Map<String, Object> before = policySpecs();

        Process interrupted = mkplatProcess("chaos", "partition", "api", "auth", "--duration", "10m");
        awaitPartition();
        interrupted.destroy(); // SIGTERM: the shutdown hook heals
        assertThat(interrupted.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(policySpecs()).isEqualTo(before);
        assertThat(client.leases().inNamespace("auth").list().getItems()).isEmpty();

        Process crashed = mkplatProcess("chaos", "partition", "api", "auth", "--duration", "10m");
        awaitPartition();
        crashed.destroyForcibly(); // SIGKILL: no hook runs; the cluster keeps the partition and the locks
        assertThat(crashed.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(policySpecs()).doesNotContainKey("auth/auth-allow-ingress-from-api");

        Run revert = mkplat("chaos", "revert");

        assertThat(revert.exitCode()).as(revert.toString()).isZero();
        assertThat(revert.out())
                .contains("reverted partition api -> auth: NetworkPolicy auth/mkplat-chaos-partition-api-auth removed")
                .contains("reverted lock on api")
                .contains("reverted lock on auth");
        assertThat(policySpecs()).isEqualTo(before);
        assertThat(client.network()
                        .v1()
                        .networkPolicies()
                        .inNamespace("auth")
                        .withLabel("mkplat.dev/chaos")
                        .list()
                        .getItems())
                .isEmpty();
        assertThat(client.leases().inNamespace("api").list().getItems()).isEmpty();
        assertThat(mkplat("chaos", "revert").out()).contains("nothing to revert");
    }

    @Test
    void aSecondStopAfterACrashRestoresTheReplicasFromBeforeTheFirst() throws Exception {
        Process crashed = mkplatProcess("chaos", "stop", "redis", "--duration", "10m");
        await("redis scaled to 0")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> client.apps()
                                .statefulSets()
                                .inNamespace("infra")
                                .withName("redis")
                                .get()
                                .getSpec()
                                .getReplicas()
                        == 0);
        crashed.destroyForcibly();
        assertThat(crashed.waitFor(60, TimeUnit.SECONDS)).isTrue();
        client.leases().inNamespace("infra").withName("mkplat-chaos-redis").delete(); // as if its lock had lapsed

        Run again = mkplat("chaos", "stop", "redis", "--duration", "1s", "--timeout", "60s");

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out())
                .contains("an earlier stop of redis did not finish: its 1 replica from before it will be restored")
                .contains("from 1 to 0, then back to 1");
        var redis = client.apps()
                .statefulSets()
                .inNamespace("infra")
                .withName("redis")
                .get();
        assertThat(redis.getSpec().getReplicas()).isEqualTo(1);
        assertThat(redis.getMetadata().getAnnotations()).doesNotContainKey("mkplat.dev/chaos-replicas");
        await("redis ready")
                .atMost(Duration.ofSeconds(60))
                .until(() -> ready("infra", "redis").size() == 1);
    }

    private void awaitPartition() {
        await("the partition in place")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> client.network()
                                        .v1()
                                        .networkPolicies()
                                        .inNamespace("auth")
                                        .withName("mkplat-chaos-partition-api-auth")
                                        .get()
                                != null
                        && !policySpecs().containsKey("auth/auth-allow-ingress-from-api"));
    }

    /** Every platform NetworkPolicy (not chaos's) by namespace/name, with its labels and spec. */
    private static Map<String, Object> policySpecs() {
        Map<String, Object> specs = new TreeMap<>();
        for (String namespace : List.of("api", "auth", "db", "infra")) {
            client.network()
                    .v1()
                    .networkPolicies()
                    .inNamespace(namespace)
                    .withoutLabel("mkplat.dev/chaos")
                    .list()
                    .getItems()
                    .forEach(policy -> specs.put(
                            namespace + "/" + policy.getMetadata().getName(),
                            List.of(policy.getMetadata().getLabels(), policy.getSpec())));
        }
        return specs;
    }

    /** mkplat as its own process (the built jar), so that it can be interrupted or killed like a user's. */
    private static Process mkplatProcess(String... args) throws Exception {
        Path jar = Path.of("target", "mkplat.jar").toAbsolutePath();
        assertThat(jar)
                .as("the jar that package builds before the integration tests")
                .exists();
        List<String> command = new ArrayList<>(
                List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", jar.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--kubeconfig", kubeconfig.toString()));
        return new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(
                        work.resolve("process-" + System.nanoTime() + ".log").toFile())
                .start();
    }

    private static List<Path> journals() throws Exception {
        Path directory = work.resolve(Journal.DEFAULT_DIRECTORY);
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (var files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }

    private static List<String> names(JsonNode entries) {
        return entries.valueStream().map(entry -> entry.path("name").asString()).toList();
    }

    private static JsonNode journal(Path file) throws Exception {
        return JsonMapper.builder().build().readTree(Files.readString(file));
    }

    private static Set<String> uids(String namespace, String name) {
        return client.pods().inNamespace(namespace).withLabel("app.kubernetes.io/name", name).list().getItems().stream()
                .map(pod -> pod.getMetadata().getUid())
                .collect(Collectors.toSet());
    }

    private static List<Pod> ready(String namespace, String name) {
        return client.pods().inNamespace(namespace).withLabel("app.kubernetes.io/name", name).list().getItems().stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null
                        && Readiness.getInstance().isReady(pod))
                .toList();
    }

    private static Run mkplat(String... args) {
        String[] all = Stream.concat(Arrays.stream(args), Stream.of("--kubeconfig", kubeconfig.toString()))
                .toArray(String[]::new);
        return CliSession.in(work, home).run(all);
    }
}
