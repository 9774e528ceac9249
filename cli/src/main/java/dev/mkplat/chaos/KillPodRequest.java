package dev.mkplat.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code chaos kill-pod} was asked to do.
 *
 * @param target   the component whose pods die
 * @param count    how many ready pods to kill
 * @param interval the pause between two kills
 * @param grace    the pods' termination grace period (zero: removed from the API at once)
 * @param dryRun   print the plan, change nothing
 * @param force    kill even when the disruption budget or the last ready pod says no
 * @param timeout  how long after the last kill the component has to be back at its ready count
 * @param journal  where to write the journal; empty for the default path
 * @param traffic  the load to run through the experiment ({@code --with-traffic}); empty for none
 * @param verifyData where to write an item through api before the kill and read it back after the recovery
 *                 ({@code --verify-data}); empty for no such check
 */
public record KillPodRequest(
        ChaosTarget target,
        int count,
        Duration interval,
        Duration grace,
        boolean dryRun,
        boolean force,
        Duration timeout,
        Optional<Path> journal,
        Optional<TrafficPlan> traffic,
        Optional<IngressAccess> verifyData) {
    /** Without traffic and without a data check. */
    public KillPodRequest(
            ChaosTarget target,
            int count,
            Duration interval,
            Duration grace,
            boolean dryRun,
            boolean force,
            Duration timeout,
            Optional<Path> journal) {
        this(target, count, interval, grace, dryRun, force, timeout, journal, Optional.empty(), Optional.empty());
    }

    /** The options as the journal records them. */
    Map<String, Object> options() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("count", count);
        options.put("intervalSeconds", Seconds.of(interval));
        options.put("graceSeconds", grace.toSeconds());
        options.put("force", force);
        options.put("timeoutSeconds", Seconds.of(timeout));
        traffic.ifPresent(plan -> options.put("withTraffic", plan.options()));
        if (verifyData.isPresent()) {
            options.put("verifyData", true);
        }
        return options;
    }
}
