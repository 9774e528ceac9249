package dev.mkplat;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The training runs behind scripts/mkplat's class caches: each command in them must succeed. */
class AotTrainingTest {
    @ParameterizedTest
    @ValueSource(strings = {"commands", "traffic"})
    void everyTrainingCommandSucceeds(String workload) {
        assertThatCode(() -> AotTraining.main(new String[] {workload})).doesNotThrowAnyException();
    }

    @Test
    void anUnknownWorkloadIsAnError() {
        assertThatThrownBy(() -> AotTraining.main(new String[] {"bogus"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bogus");
    }
}
