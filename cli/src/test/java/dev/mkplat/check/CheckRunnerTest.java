package dev.mkplat.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.check.CheckResult.Status;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.core.OutputFormat;
import dev.mkplat.testing.GoldenFile;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CheckRunnerTest {
    private static List<Check> sample(AtomicInteger ranAfterFatal) {
        return List.of(
                Check.fatal("the API is reachable", "start the cluster", () -> Outcome.passed("v1.35.4")),
                Check.warning(
                        "metrics-server is running",
                        "minikube addons enable metrics-server",
                        () -> Outcome.failed("metrics.k8s.io is not served")),
                Check.warning(
                        "the hosts resolve",
                        "mkplat init --write-hosts",
                        () -> Outcome.passed("mapped", "192.168.49.2 api.test auth.test # mkplat")),
                Check.fatal("RBAC allows applying", "ask an admin", () -> {
                    throw MkplatException.failed("2 permissions denied", "bind the edit role");
                }),
                Check.warning("the CRD is installed", "install it", () -> {
                    ranAfterFatal.incrementAndGet();
                    return Outcome.passed("yes");
                }));
    }

    @Test
    void fatalFailureSkipsTheRestAndMeansExitThree() {
        AtomicInteger ranAfterFatal = new AtomicInteger();
        List<Status> seen = new ArrayList<>();

        CheckReport report = CheckRunner.run(sample(ranAfterFatal), result -> seen.add(result.status()));

        assertThat(seen).containsExactly(Status.PASSED, Status.WARNED, Status.PASSED, Status.FAILED, Status.SKIPPED);
        assertThat(ranAfterFatal).hasValue(0);
        assertThat(report.exitCode()).isEqualTo(ExitCode.PREFLIGHT);
        assertThat(report.results().get(3).hint()).contains("bind the edit role"); // the exception's own hint wins
        assertThat(report.results().get(1).hint()).contains("minikube addons enable metrics-server");
    }

    @Test
    void warningsAloneExitZero() {
        CheckReport report = CheckRunner.run(
                List.of(
                        Check.warning("optional", "do it", () -> Outcome.failed("missing")),
                        Check.fatal("needed", "fix it", () -> Outcome.passed("ok"))),
                result -> {});
        assertThat(report.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(report.summary(false)).isEqualTo("\nready, with warnings: 1 passed, 1 warning, 0 failed\n");
    }

    @Test
    void badInputEndsTheRunAsAUsageError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CheckRunner.run(
                        List.of(Check.fatal("the context exists", "hint", () -> {
                            throw MkplatException.usage(
                                    "context 'nope' is not in the kubeconfig", "contexts there: a, b");
                        })),
                        result -> {}))
                .isInstanceOfSatisfying(
                        MkplatException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
    }

    @Test
    void anExceptionWithoutMessageStillFailsTheCheck() {
        CheckResult result = CheckRunner.runOne(Check.fatal("crashes", "hint", () -> {
            throw new IllegalStateException();
        }));
        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.detail()).isEqualTo("IllegalStateException");
    }

    @Test
    void textAndJsonMatchTheGoldenFiles() throws Exception {
        CheckReport report = CheckRunner.run(sample(new AtomicInteger()), result -> {});
        GoldenFile.assertMatches("dev/mkplat/check/report.txt", report.render(OutputFormat.TEXT, false));
        GoldenFile.assertMatches("dev/mkplat/check/report.json", report.render(OutputFormat.JSON, false));
        GoldenFile.assertMatches("dev/mkplat/check/report-color.txt", report.render(OutputFormat.TEXT, true));
    }
}
