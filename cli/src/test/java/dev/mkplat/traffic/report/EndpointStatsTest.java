package dev.mkplat.traffic.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * The live progress line prints each second's change in the error count; a count that can go
 * down while requests are recorded printed "errors -1" once. These tests read the counts while
 * other threads record, as the sampler does.
 */
class EndpointStatsTest {
    private static final int WRITERS = 2;
    private static final int PER_WRITER = 300_000;

    @Test
    void errorsStayZeroWhileOnlySuccessesAreRecorded() throws InterruptedException {
        EndpointStats stats = new EndpointStats("get");
        List<Long> seen = readWhileRecording(stats, i -> RequestOutcome.answered(200, null), stats::errors);

        assertThat(seen.stream().filter(errors -> errors != 0).limit(5))
                .as("error counts read other than 0")
                .isEmpty();
        assertThat(stats.count()).isEqualTo((long) WRITERS * PER_WRITER);
    }

    @Test
    void errorsNeverDecreaseWhileSuccessesAndErrorsAreRecorded() throws InterruptedException {
        LoadMetrics metrics = new LoadMetrics();
        EndpointStats stats = metrics.endpoint("get");
        List<Long> seen = readWhileRecording(
                stats,
                i -> i % 100 == 0 ? RequestOutcome.answered(503, null) : RequestOutcome.answered(200, null),
                metrics::errors);

        assertThat(decreases(seen)).as("reads where the error count went down").isEmpty();
        assertThat(metrics.errors()).isEqualTo((long) WRITERS * PER_WRITER / 100);
        assertThat(metrics.requests()).isEqualTo((long) WRITERS * PER_WRITER);
    }

    @Test
    void errorsAreEveryKindButOk() {
        EndpointStats stats = new EndpointStats("get");
        stats.record(RequestOutcome.answered(200, null), 1_000);
        stats.record(RequestOutcome.answered(302, null), 1_000);
        stats.record(RequestOutcome.answered(404, null), 1_000);
        stats.record(RequestOutcome.answered(500, null), 1_000);
        stats.record(RequestOutcome.failed(OutcomeKind.TIMEOUT, "timed out"), 1_000);
        stats.record(RequestOutcome.failed(OutcomeKind.CONNECTION_ERROR, "connection refused"), 0);

        assertThat(stats.count()).isEqualTo(6);
        assertThat(stats.errors()).isEqualTo(4);
        assertThat(stats.firstError()).isEqualTo("HTTP 404");
    }

    /** The first few places where a read was lower than the one before it, as "before → after". */
    private static List<String> decreases(List<Long> seen) {
        List<String> found = new ArrayList<>();
        for (int i = 1; i < seen.size() && found.size() < 5; i++) {
            if (seen.get(i) < seen.get(i - 1)) {
                found.add(seen.get(i - 1) + " → " + seen.get(i));
            }
        }
        return found;
    }

    /** Records WRITERS × PER_WRITER outcomes on other threads and reads {@code count} until they are done. */
    private static List<Long> readWhileRecording(
            EndpointStats stats, IntFunction<RequestOutcome> outcome, LongSupplier count) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            writers.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < PER_WRITER; i++) {
                    stats.record(outcome.apply(i), 1_000);
                }
            }));
        }
        List<Long> seen = new ArrayList<>();
        go.countDown();
        Thread joiner = Thread.ofPlatform().start(() -> {
            for (Thread writer : writers) {
                try {
                    writer.join();
                } catch (InterruptedException e) {
                    return;
                }
            }
            done.set(true);
        });
        do {
            seen.add(count.getAsLong());
        } while (!done.get());
        joiner.join();
        seen.add(count.getAsLong());
        return seen;
    }
}
