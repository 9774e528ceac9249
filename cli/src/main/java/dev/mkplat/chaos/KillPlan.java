package dev.mkplat.chaos;

import dev.mkplat.kube.ComponentPods.Budget;
import dev.mkplat.kube.ComponentPods.PodSnapshot;
import dev.mkplat.kube.ComponentPods.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Which pods {@code kill-pod} deletes, and whether it may: pure, so the rules are tested without a
 * cluster.
 *
 * @param victims  the ready pods chosen at random, in kill order
 * @param serving  the ready pods before the kill
 * @param desired  the workload's replicas: what recovery waits to see ready again
 * @param budgets  the disruption budgets over the pods
 * @param refusals why the kill would be unsafe; empty when it is safe. {@code --force} kills anyway
 */
public record KillPlan(
        List<PodSnapshot> victims, int serving, int desired, List<Budget> budgets, List<String> refusals) {
    public KillPlan {
        victims = List.copyOf(victims);
        budgets = List.copyOf(budgets);
        refusals = List.copyOf(refusals);
    }

    /**
     * @param count how many pods to kill
     * @throws IllegalArgumentException when fewer than {@code count} pods are ready: there is
     *         nothing to force then (the caller says so to the user)
     */
    public static KillPlan choose(Workload workload, List<Budget> budgets, int count, RandomGenerator random) {
        List<PodSnapshot> ready = new ArrayList<>(workload.serving());
        if (count > ready.size()) {
            throw new IllegalArgumentException(
                    ready.isEmpty()
                            ? "no pod of " + workload.ref().name() + " is ready"
                            : "only " + ready.size() + " pod" + (ready.size() == 1 ? " is" : "s are")
                                    + " ready, fewer than --count " + count);
        }
        List<PodSnapshot> victims = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            victims.add(ready.remove(random.nextInt(ready.size())));
        }
        List<String> refusals = new ArrayList<>();
        int serving = workload.serving().size();
        String pods = count == 1 ? "1 pod" : count + " pods";
        if (serving - count < 1) {
            refusals.add("killing " + pods + " of " + workload.ref().name() + " would leave no ready pod (" + serving
                    + " ready)");
        }
        for (Budget budget : budgets) {
            if (count > budget.disruptionsAllowed()) {
                refusals.add("killing " + pods + " of " + workload.ref().name() + " would break PodDisruptionBudget "
                        + workload.ref().namespace() + "/" + budget.name() + " (" + budget.rule() + "; " + serving
                        + " ready, it allows " + budget.disruptionsAllowed() + " disruption"
                        + (budget.disruptionsAllowed() == 1 ? "" : "s") + ")");
            }
        }
        return new KillPlan(victims, serving, workload.desired(), budgets, refusals);
    }

    public boolean safe() {
        return refusals.isEmpty();
    }
}
