package dev.mkplat.traffic.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The warm-up goes on while the JIT compiles and ends with the first round in which it hardly did;
 * the JIT is a counter here, each round adds what the JIT would have compiled during it.
 */
class JitWarmUpTest {
    private final AtomicLong compiledMillis = new AtomicLong();

    @Test
    void endsWithTheFirstRoundInWhichTheJitWasQuiet() throws InterruptedException {
        long[] compiledPerRound = {120, 80, 30, 3, 0, 0};
        int[] round = {0};
        JitWarmUp warmUp = new JitWarmUp(compiledMillis::get, 12);

        int rounds = warmUp.run(
                () -> {
                    compiledMillis.addAndGet(compiledPerRound[round[0]++]);
                    return 250;
                },
                new StopSignal());

        assertThat(rounds).isEqualTo(4);
    }

    @Test
    void aJitThatKeepsCompilingGetsTheMostRoundsAndNoMore() throws InterruptedException {
        JitWarmUp warmUp = new JitWarmUp(compiledMillis::get, 12);

        int rounds = warmUp.run(
                () -> {
                    compiledMillis.addAndGet(100);
                    return 250;
                },
                new StopSignal());

        assertThat(rounds).isEqualTo(12);
    }

    @Test
    void aStopEndsTheWarmUpAfterTheRoundThatSawIt() throws InterruptedException {
        StopSignal stop = new StopSignal();
        JitWarmUp warmUp = new JitWarmUp(compiledMillis::get, 12);

        int rounds = warmUp.run(
                () -> {
                    compiledMillis.addAndGet(100);
                    stop.request();
                    return 250;
                },
                stop);

        assertThat(rounds).isEqualTo(1);
    }
}
