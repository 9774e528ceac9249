package dev.mkplat.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What {@code chaos stop} was asked to do.
 *
 * @param target   the component scaled to zero (a dependency: postgres, redis, gcs-emulator)
 * @param duration how long it stays away
 * @param timeout  how long it has to be ready again after it is scaled back
 * @param dryRun   print the plan, change nothing
 * @param journal  where to write the journal; empty for the default path
 * @param traffic  the load to run through the experiment ({@code --with-traffic}); empty for none
 */
public record StopRequest(
        ChaosTarget target,
        Duration duration,
        Duration timeout,
        boolean dryRun,
        Optional<Path> journal,
        Optional<TrafficPlan> traffic) {
    /** Without traffic. */
    public StopRequest(
            ChaosTarget target, Duration duration, Duration timeout, boolean dryRun, Optional<Path> journal) {
        this(target, duration, timeout, dryRun, journal, Optional.empty());
    }
}
