package dev.mkplat.chaos;

import dev.mkplat.kube.ComponentPods;
import dev.mkplat.kube.Wait;
import dev.mkplat.kube.WaitTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** How long a component takes to have a number of ready pods again, on the shared {@link Wait}. */
final class ReadyWatch {
    private ReadyWatch() {}

    /** The time from now until {@code wanted} pods of {@code target} are ready; empty when the deadline came first. */
    static Optional<Duration> untilReady(
            ComponentPods pods, ChaosTarget target, int wanted, Instant deadline, Clock clock) {
        Instant start = clock.instant();
        try {
            new Wait(clock, KillPod.OBSERVE_EVERY)
                    .until(
                            Wait.Condition.of(
                                    target.name(),
                                    wanted + " ready",
                                    () -> pods.workload(target.kind(), target.namespace(), target.name())
                                            .map(workload -> workload.serving().size())
                                            .orElse(0),
                                    ready -> ready >= wanted),
                            deadline);
            return Optional.of(Duration.between(start, clock.instant()));
        } catch (WaitTimeoutException notReady) {
            return Optional.empty();
        }
    }
}
