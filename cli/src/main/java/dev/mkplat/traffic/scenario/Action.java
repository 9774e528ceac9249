package dev.mkplat.traffic.scenario;

import java.util.List;

/**
 * One arrival's work: a weighted chain of steps. The second step runs only when the first got a
 * 2xx or 3xx answer (an image fetch needs the id the upload returned).
 */
public record Action(int weight, List<Step> steps) {
    public Action {
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1, got " + weight);
        }
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("an action needs at least one step");
        }
        steps = List.copyOf(steps);
    }

    public static Action of(int weight, Step... steps) {
        return new Action(weight, List.of(steps));
    }
}
