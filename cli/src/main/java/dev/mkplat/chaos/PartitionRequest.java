package dev.mkplat.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What {@code chaos partition} was asked to do.
 *
 * @param from     the component that can no longer connect
 * @param to       the component it can no longer reach
 * @param duration how long the partition holds
 * @param dryRun   print the plan, change nothing
 * @param journal  where to write the journal; empty for the default path
 * @param traffic  the load to run through the experiment ({@code --with-traffic}); empty for none
 */
public record PartitionRequest(
        ChaosTarget from,
        ChaosTarget to,
        Duration duration,
        boolean dryRun,
        Optional<Path> journal,
        Optional<TrafficPlan> traffic) {
    /** Without traffic. */
    public PartitionRequest(
            ChaosTarget from, ChaosTarget to, Duration duration, boolean dryRun, Optional<Path> journal) {
        this(from, to, duration, dryRun, journal, Optional.empty());
    }
}
