package dev.mkplat.traffic.scenario;

import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A weighted mix of actions against named targets.
 *
 * <p>With {@code users > 0}, that many virtual users each run {@code setup} once before the load
 * starts; each has {@code ${user}} and {@code ${password}} and keeps what its setup steps capture
 * (a token, an item id). Every arrival then picks an action by weight and a user at random.
 * {@code ${seq}} is a number unique to the arrival and {@code ${run}} one unique to the run.
 *
 * @param targets the default base URL of each target name; {@code --target name=URL} overrides
 */
public record Scenario(String name, int users, Map<String, URI> targets, List<Step> setup, List<Action> actions) {
    /** Variables every template may use. */
    public static final Set<String> RUN_VARIABLES = Set.of("seq", "run");
    /** Variables each virtual user has before its setup runs. */
    public static final Set<String> USER_VARIABLES = Set.of("user", "password");

    public Scenario {
        targets = Map.copyOf(targets);
        setup = List.copyOf(setup);
        actions = List.copyOf(actions);
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("a scenario needs at least one request");
        }
        if (users < 0) {
            throw new IllegalArgumentException("users must be 0 or more, got " + users);
        }
        if (users == 0 && !setup.isEmpty()) {
            throw new IllegalArgumentException("setup steps run once per virtual user: set users to 1 or more");
        }
        problem(users, setup, actions).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
    }

    /** Every target name a step refers to, in order of first use. */
    public Set<String> targetNames() {
        Set<String> names = new LinkedHashSet<>();
        setup.forEach(s -> names.add(s.target()));
        actions.forEach(a -> a.steps().forEach(s -> names.add(s.target())));
        return names;
    }

    /** The sum of the weights. */
    public int totalWeight() {
        return actions.stream().mapToInt(Action::weight).sum();
    }

    /** The same scenario with other base URLs for some targets. */
    public Scenario withTargets(Map<String, URI> overrides) {
        Map<String, URI> merged = new LinkedHashMap<>(targets);
        merged.putAll(overrides);
        return new Scenario(name, users, merged, setup, actions);
    }

    /** Checks that every ${variable} is defined by the time it is used. */
    private static Optional<String> problem(int users, List<Step> setup, List<Action> actions) {
        Set<String> known = new HashSet<>(RUN_VARIABLES);
        if (users > 0) {
            known.addAll(USER_VARIABLES);
        }
        for (Step step : setup) {
            Optional<String> unknown = unknown(step, known);
            if (unknown.isPresent()) {
                return Optional.of("setup step '" + step.name() + "' uses ${" + unknown.get()
                        + "}, which nothing defines before it");
            }
            known.addAll(step.capture().keySet());
        }
        for (Action action : actions) {
            Set<String> inAction = new HashSet<>(known);
            for (Step step : action.steps()) {
                Optional<String> unknown = unknown(step, inAction);
                if (unknown.isPresent()) {
                    String why = users == 0
                            ? ", which needs virtual users: set users (and a setup that captures it unless it is user or password)"
                            : ", which nothing defines before it";
                    return Optional.of("request '" + step.name() + "' uses ${" + unknown.get() + "}" + why);
                }
                inAction.addAll(step.capture().keySet());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> unknown(Step step, Set<String> known) {
        return step.variablesUsed().stream().filter(v -> !known.contains(v)).findFirst();
    }
}
