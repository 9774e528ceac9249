package dev.mkplat.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkplat.core.ExitCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WaitTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** A clock that moves one second each time it is read, so that deadlines pass without real waiting. */
    private static final class SteppingClock extends Clock {
        private Instant now = START;

        @Override
        public synchronized Instant instant() {
            Instant read = now;
            now = now.plusSeconds(1);
            return read;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void returnsTheFirstObservedStateThatMeetsTheCondition() {
        AtomicInteger polls = new AtomicInteger();
        Wait wait = new Wait(new SteppingClock(), Duration.ofMillis(1));
        int seen = wait.until(
                Wait.Condition.of("counter", "at least 3", polls::incrementAndGet, value -> value >= 3),
                START.plusSeconds(3600));
        assertThat(seen).isEqualTo(3);
        assertThat(polls.get()).isEqualTo(3);
    }

    @Test
    void timeoutNamesTheObjectTheWantedStateAndTheLastSeenOne() {
        AtomicInteger polls = new AtomicInteger();
        Wait wait = new Wait(new SteppingClock(), Duration.ofMillis(1));
        assertThatThrownBy(() -> wait.until(
                        Wait.Condition.of("Deployment api/api", "ready", polls::incrementAndGet, value -> false)
                                .describedBy(value -> value + "/2 ready"),
                        START.plusSeconds(5)))
                .isInstanceOfSatisfying(WaitTimeoutException.class, timeout -> {
                    assertThat(timeout.exitCode()).isEqualTo(ExitCode.TIMEOUT);
                    assertThat(timeout.object()).isEqualTo("Deployment api/api");
                    assertThat(timeout.wanted()).isEqualTo("ready");
                    assertThat(timeout.lastSeen()).isEqualTo(polls.get() + "/2 ready");
                    assertThat(timeout.lastObserved()).isEqualTo(polls.get());
                    assertThat(timeout.getMessage())
                            .isEqualTo("timed out after " + Wait.format(timeout.waited())
                                    + " waiting for Deployment api/api to be ready; last seen: " + polls.get()
                                    + "/2 ready");
                });
        assertThat(polls.get()).isBetween(2, 5);
    }

    @Test
    void observesOnceEvenWhenTheDeadlineHasPassed() {
        AtomicInteger polls = new AtomicInteger();
        Wait wait = new Wait(new SteppingClock(), Duration.ofMillis(1));
        assertThat(wait.until(
                        Wait.Condition.of("x", "done", polls::incrementAndGet, value -> true), START.minusSeconds(1)))
                .isEqualTo(1);
        assertThatThrownBy(() -> wait.until(
                        Wait.Condition.of("x", "done", polls::incrementAndGet, value -> false), START.minusSeconds(1)))
                .isInstanceOf(WaitTimeoutException.class);
        assertThat(polls.get()).isEqualTo(2);
    }

    @Test
    void formatsWaitsAsTheTimeoutMessagesDo() {
        assertThat(Wait.format(Duration.ofMillis(44_600))).isEqualTo("45s");
        assertThat(Wait.format(Duration.ofSeconds(125))).isEqualTo("2m5s");
    }
}
