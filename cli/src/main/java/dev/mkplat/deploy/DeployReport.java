package dev.mkplat.deploy;

import dev.mkplat.kube.ApplyOutcome;
import dev.mkplat.kube.ApplyResult;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a deploy did: one result per object, in the order applied, and how long it took.
 *
 * @param results every object's result
 * @param took    the whole deploy, waits included
 */
public record DeployReport(List<ApplyResult> results, Duration took) {
    public DeployReport {
        results = List.copyOf(results);
    }

    /** How many objects had each outcome. */
    public Map<ApplyOutcome, Long> counts() {
        Map<ApplyOutcome, Long> counts = new EnumMap<>(ApplyOutcome.class);
        counts.putAll(results.stream().collect(Collectors.groupingBy(ApplyResult::outcome, Collectors.counting())));
        return counts;
    }

    /** Whether anything was written to the cluster. */
    public boolean wroteAnything() {
        return results.stream().anyMatch(result -> result.outcome().wrote());
    }

    /** {@code 3 created, 40 unchanged, 1 pruned in 4.2s}. */
    public String summary() {
        String counts = counts().entrySet().stream()
                .map(entry -> entry.getValue() + " " + entry.getKey().label())
                .collect(Collectors.joining(", "));
        return (counts.isEmpty() ? "nothing to do" : counts) + " in "
                + String.format("%.1fs", took.toMillis() / 1000.0);
    }
}
