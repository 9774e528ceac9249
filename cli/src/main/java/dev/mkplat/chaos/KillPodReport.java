package dev.mkplat.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The report of {@code chaos kill-pod}: as text for the terminal and as figures in the journal. */
final class KillPodReport {
    private KillPodReport() {}

    /**
     * The three times: until the slowest replacement existed, until the slowest replacement was
     * Ready (each from its own pod's kill), and from the first kill until the component was back at
     * its ready count.
     */
    static String text(ChaosTarget target, KillPod.Result result, Duration timeout) {
        StringBuilder text = new StringBuilder();
        text.append("\n")
                .append(String.format("%-12s %-34s %-34s %10s %10s%n", "", "POD", "REPLACED BY", "EXISTED", "READY"));
        for (KillPod.Kill kill : result.kills()) {
            text.append(String.format(
                    "%-12s %-34s %-34s %10s %10s%n",
                    "killed",
                    kill.victim().name(),
                    kill.replacement().orElse("-"),
                    kill.existedAfter().map(Seconds::text).orElse("-"),
                    kill.readyAfter().map(Seconds::text).orElse("-")));
        }
        text.append("\n");
        text.append("replacement existed after  ")
                .append(slowest(result, KillPod.Kill::existedAfter)
                        .map(Seconds::text)
                        .orElse("never"))
                .append('\n');
        text.append("replacement Ready after    ")
                .append(slowest(result, KillPod.Kill::readyAfter)
                        .map(Seconds::text)
                        .orElse("never"))
                .append('\n');
        text.append("total recovery             ")
                .append(result.recovery().map(Seconds::text).orElse("not within " + Seconds.text(timeout)))
                .append(" (" + result.ready() + "/" + result.desired() + " ready)\n");
        result.traffic().ifPresent(traffic -> text.append(traffic.text()));
        result.data()
                .ifPresent(data -> text.append("marker: item ")
                        .append(data.marker().id())
                        .append(' ')
                        .append(
                                data.intact()
                                        ? "read back intact "
                                                + data.readAfter()
                                                        .map(Seconds::text)
                                                        .orElse("") + " after the recovery"
                                        : "NOT read back: " + data.detail())
                        .append('\n'));
        text.append(summary(target, result)).append("\n");
        text.append("journal: ").append(result.journal()).append('\n');
        return text.toString();
    }

    static String summary(ChaosTarget target, KillPod.Result result) {
        int count = result.kills().size();
        String pods = target.name() + " lost " + count + " pod" + (count == 1 ? "" : "s");
        String back = result.recovered()
                ? " and was back at " + result.desired() + " ready after "
                        + Seconds.text(result.recovery().get())
                : " and has " + result.ready() + "/" + result.desired() + " ready";
        String errors = result.traffic()
                .map(traffic -> traffic.recovery()
                        .map(time -> "; the error rate was back at baseline " + Seconds.text(time) + " after the kill")
                        .orElse("; the error rate was NOT back at baseline"))
                .orElse("");
        return switch (result.verdict()) {
            case RECOVERED ->
                "recovered: " + pods + back + errors
                        + result.data()
                                .map(data -> "; the marker item is intact")
                                .orElse("");
            case DATA_LOST ->
                "DATA LOST: " + pods + back + errors + "; the marker item written before the kill was not read back";
            case DEVIATED -> "deviated: " + pods + back + errors + ", but the steady state did not hold afterwards";
            default -> "NOT recovered: " + pods + back + errors;
        };
    }

    /** The report's figures, into the journal. */
    static void record(KillPod.Result result, Journal journal) {
        List<Map<String, Object>> kills = new ArrayList<>();
        for (KillPod.Kill kill : result.kills()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("pod", kill.victim().name());
            entry.put("uid", kill.victim().uid());
            entry.put("killedAt", kill.at().toString());
            entry.put("replacement", kill.replacement().orElse(null));
            entry.put(
                    "existedAfterSeconds", kill.existedAfter().map(Seconds::of).orElse(null));
            entry.put("readyAfterSeconds", kill.readyAfter().map(Seconds::of).orElse(null));
            kills.add(entry);
        }
        journal.report("kills", kills);
        journal.report(
                "replacementExistedSeconds",
                slowest(result, KillPod.Kill::existedAfter).map(Seconds::of).orElse(null));
        journal.report(
                "replacementReadySeconds",
                slowest(result, KillPod.Kill::readyAfter).map(Seconds::of).orElse(null));
        journal.report("recoverySeconds", result.recovery().map(Seconds::of).orElse(null));
        journal.report("ready", result.ready());
        journal.report("desired", result.desired());
        result.traffic().ifPresent(traffic -> journal.report("traffic", traffic.figures()));
        result.data().ifPresent(data -> {
            Map<String, Object> marker = new LinkedHashMap<>();
            marker.put("item", data.marker().id());
            marker.put("name", data.marker().name());
            marker.put("intact", data.intact());
            marker.put("detail", data.detail());
            marker.put("readAfterSeconds", data.readAfter().map(Seconds::of).orElse(null));
            journal.report("marker", marker);
        });
    }

    /** The longest of a time over the kills; empty when any kill lacks it. */
    private static Optional<Duration> slowest(KillPod.Result result, Function<KillPod.Kill, Optional<Duration>> time) {
        Duration slowest = Duration.ZERO;
        for (KillPod.Kill kill : result.kills()) {
            Optional<Duration> value = time.apply(kill);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            slowest = value.get().compareTo(slowest) > 0 ? value.get() : slowest;
        }
        return Optional.of(slowest);
    }
}
