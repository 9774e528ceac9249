package dev.mkplat.check;

import dev.mkplat.check.CheckResult.Status;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs checks in order. A fatal failure skips the checks after it: they usually depend on it (no
 * API server, no RBAC answers), and a remote cluster must not be touched at all. Bad input found
 * by a check (a {@link MkplatException} with exit code 2) ends the run: it is the user's to fix.
 */
public final class CheckRunner {
    private CheckRunner() {}

    /** Runs {@code checks}, telling {@code progress} about each result as soon as it is known. */
    public static CheckReport run(List<Check> checks, Consumer<CheckResult> progress) {
        List<CheckResult> results = new ArrayList<>();
        Optional<Check> stoppedBy = Optional.empty();
        for (Check check : checks) {
            CheckResult result = stoppedBy.isPresent()
                    ? new CheckResult(
                            check,
                            Status.SKIPPED,
                            "skipped: \"" + stoppedBy.get().description() + "\" failed",
                            Optional.empty(),
                            Duration.ZERO)
                    : runOne(check);
            if (result.status() == Status.FAILED && stoppedBy.isEmpty()) {
                stoppedBy = Optional.of(check);
            }
            results.add(result);
            progress.accept(result);
        }
        return new CheckReport(results);
    }

    /**
     * Runs checks that do not depend on each other, such as one per Prometheus target: a failure
     * skips none of the others, so that every one is reported.
     */
    public static CheckReport runEach(List<Check> checks, Consumer<CheckResult> progress) {
        List<CheckResult> results = new ArrayList<>();
        for (Check check : checks) {
            CheckResult result = runOne(check);
            results.add(result);
            progress.accept(result);
        }
        return new CheckReport(results);
    }

    static CheckResult runOne(Check check) {
        long start = System.nanoTime();
        Outcome outcome;
        try {
            outcome = check.function().run();
        } catch (MkplatException e) {
            if (e.exitCode() == ExitCode.USAGE) {
                throw e; // bad input (a context that does not exist, a malformed file) is not a finding about the
                // cluster
            }
            outcome = new Outcome(false, e.getMessage(), e.hint());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = Outcome.failed("interrupted");
        } catch (Exception e) {
            outcome = Outcome.failed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (outcome.passed()) {
            return new CheckResult(check, Status.PASSED, outcome.detail(), outcome.hint(), took);
        }
        Status status = check.severity() == Severity.FATAL ? Status.FAILED : Status.WARNED;
        return new CheckResult(
                check, status, outcome.detail(), Optional.of(outcome.hint().orElse(check.hint())), took);
    }
}
