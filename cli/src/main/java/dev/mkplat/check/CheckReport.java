package dev.mkplat.check;

import dev.mkplat.check.CheckResult.Status;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.OutputFormat;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The results of a run of checks, the exit code they add up to, and how they print. Printing is
 * pure: the same results give the same text (golden files hold it).
 *
 * @param results every check, in the order it ran
 */
public record CheckReport(List<CheckResult> results) {
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String RED = "\u001b[31m";
    private static final String DIM = "\u001b[2m";
    private static final String RESET = "\u001b[0m";

    public CheckReport {
        results = List.copyOf(results);
    }

    /** 3 (preflight failed) when a fatal check failed, else 0: warnings do not fail a command. */
    public ExitCode exitCode() {
        return count(Status.FAILED) > 0 ? ExitCode.PREFLIGHT : ExitCode.OK;
    }

    public long count(Status status) {
        return results.stream().filter(result -> result.status() == status).count();
    }

    /** The whole report in {@code format}; for text, every line and the summary. */
    public String render(OutputFormat format, boolean color) {
        return switch (format) {
            case TEXT -> {
                StringBuilder text = new StringBuilder();
                results.forEach(result -> text.append(line(result, color)));
                yield text.append(summary(color)).toString();
            }
            case JSON ->
                JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(tree()) + "\n";
            case YAML -> YAMLMapper.builder().build().writeValueAsString(tree());
        };
    }

    /** One result as text: the symbol and description, then the detail and hint indented below when useful. */
    public static String line(CheckResult result, boolean color) {
        String paint = switch (result.status()) {
            case PASSED -> GREEN;
            case WARNED -> YELLOW;
            case FAILED -> RED;
            case SKIPPED -> DIM;
        };
        StringBuilder line = new StringBuilder();
        line.append(
                        color
                                ? paint + result.status().symbol() + RESET
                                : result.status().symbol())
                .append(' ')
                .append(result.check().description());
        if (!result.detail().isEmpty()) {
            line.append(result.status() == Status.PASSED ? " (" + result.detail() + ")" : ": " + result.detail());
        }
        line.append('\n');
        result.hint()
                .ifPresent(hint -> hint.lines()
                        .forEach(
                                hintLine -> line.append("    ").append(hintLine).append('\n')));
        return line.toString();
    }

    /** The last line: how many passed, warned, failed and were skipped. */
    public String summary(boolean color) {
        long failed = count(Status.FAILED);
        long warned = count(Status.WARNED);
        long skipped = count(Status.SKIPPED);
        String counts = count(Status.PASSED) + " passed, " + warned + (warned == 1 ? " warning, " : " warnings, ")
                + failed + " failed" + (skipped > 0 ? ", " + skipped + " skipped" : "");
        String verdict = failed > 0 ? "preflight failed" : warned > 0 ? "ready, with warnings" : "ready";
        String painted = color ? (failed > 0 ? RED : warned > 0 ? YELLOW : GREEN) + verdict + RESET : verdict;
        return "\n" + painted + ": " + counts + "\n";
    }

    private ObjectNode tree() {
        JsonMapper mapper = JsonMapper.builder().build();
        ObjectNode root = mapper.createObjectNode();
        ArrayNode checks = root.putArray("checks");
        for (CheckResult result : results) {
            ObjectNode check = checks.addObject();
            check.put("description", result.check().description());
            check.put("severity", result.check().severity().name().toLowerCase(Locale.ROOT));
            check.put("status", result.status().name().toLowerCase(Locale.ROOT));
            check.put("detail", result.detail());
            result.hint().ifPresentOrElse(hint -> check.put("hint", hint), () -> check.putNull("hint"));
        }
        ObjectNode summary = root.putObject("summary");
        for (Status status : Status.values()) {
            summary.put(status.name().toLowerCase(Locale.ROOT), count(status));
        }
        root.put("exitCode", exitCode().code());
        return root;
    }
}
