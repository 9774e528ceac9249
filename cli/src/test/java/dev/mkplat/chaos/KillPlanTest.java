package dev.mkplat.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mkplat.kube.ComponentPods.Budget;
import dev.mkplat.kube.ComponentPods.PodSnapshot;
import dev.mkplat.kube.ComponentPods.Workload;
import dev.mkplat.kube.ObjectRef;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KillPlanTest {
    private static Workload api(int ready, int notReady) {
        List<PodSnapshot> pods = IntStream.range(0, ready + notReady)
                .mapToObj(i -> new PodSnapshot("api-" + i, "uid-" + i, i < ready, false, "node-0"))
                .toList();
        return new Workload(
                new ObjectRef("apps/v1", "Deployment", "api", "api"),
                Map.of("app.kubernetes.io/name", "api"),
                ready + notReady,
                pods);
    }

    @Test
    void aKillTheBudgetAllowsIsSafeAndTakesOnlyReadyPods() {
        KillPlan plan = KillPlan.choose(api(3, 1), List.of(new Budget("api", "minAvailable 1", 2)), 2, new Random(7));

        assertThat(plan.safe()).isTrue();
        assertThat(plan.victims()).hasSize(2).allMatch(PodSnapshot::ready).doesNotHaveDuplicates();
        assertThat(plan.serving()).isEqualTo(3);
        assertThat(plan.desired()).isEqualTo(4);
    }

    @Test
    void aKillBeyondTheBudgetIsRefusedWithTheBudgetNamed() {
        KillPlan plan = KillPlan.choose(api(2, 0), List.of(new Budget("api", "minAvailable 1", 1)), 2, new Random(1));

        assertThat(plan.safe()).isFalse();
        assertThat(plan.refusals())
                .anySatisfy(reason -> assertThat(reason)
                        .contains("PodDisruptionBudget api/api")
                        .contains("minAvailable 1")
                        .contains("allows 1 disruption"));
        assertThat(plan.refusals()).anySatisfy(reason -> assertThat(reason).contains("would leave no ready pod"));
    }

    @Test
    void killingTheOnlyReadyPodIsRefusedEvenWithoutABudget() {
        KillPlan plan = KillPlan.choose(api(1, 0), List.of(), 1, new Random(1));

        assertThat(plan.refusals()).containsExactly("killing 1 pod of api would leave no ready pod (1 ready)");
    }

    @Test
    void askingForMorePodsThanAreReadyIsAnErrorNotARefusal() {
        assertThatThrownBy(() -> KillPlan.choose(api(1, 2), List.of(), 2, new Random(1)))
                .hasMessage("only 1 pod is ready, fewer than --count 2");
        assertThatThrownBy(() -> KillPlan.choose(api(0, 2), List.of(), 1, new Random(1)))
                .hasMessage("no pod of api is ready");
    }

    @Test
    void theChoiceIsRandom() {
        long distinct = IntStream.range(0, 50)
                .mapToObj(seed -> KillPlan.choose(api(5, 0), List.of(), 1, new Random(seed))
                        .victims()
                        .getFirst()
                        .name())
                .distinct()
                .count();
        assertThat(distinct).isGreaterThan(1);
    }
}
