package dev.mkplat.traffic.scenario;

import java.nio.file.Files;
import java.nio.file.Path;

/** Turns the value of {@code --scenario} into a scenario: a built-in name or a YAML file. */
public final class Scenarios {
    private Scenarios() {}

    /**
     * A built-in name, or a path to a YAML file (anything with a / or ending in .yaml/.yml, or an
     * existing file).
     *
     * @throws IllegalArgumentException for an unknown name
     * @throws ScenarioFile.InvalidScenarioException for a file that cannot be used
     */
    public static Scenario resolve(String nameOrFile) {
        var builtIn = BuiltInScenarios.named(nameOrFile);
        if (builtIn.isPresent()) {
            return builtIn.get();
        }
        boolean looksLikeFile = nameOrFile.contains("/")
                || nameOrFile.endsWith(".yaml")
                || nameOrFile.endsWith(".yml")
                || Files.isRegularFile(Path.of(nameOrFile));
        if (looksLikeFile) {
            return ScenarioFile.read(Path.of(nameOrFile));
        }
        throw new IllegalArgumentException("unknown scenario '" + nameOrFile + "': use "
                + String.join(", ", BuiltInScenarios.NAMES) + " or the path of a YAML file");
    }
}
