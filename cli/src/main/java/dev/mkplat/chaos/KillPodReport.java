package dev.mkplat.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The report of {@code chaos kill-pod}: as text for the terminal and as figures in the journal. */
final class KillPodReport {
    private KillPodReport() {
    }

    /**
     * The three times: until the slowest replacement existed, until the slowest replacement was
     * Ready (each from its own pod's kill), and from the first kill until the component was back at
     * its ready count.
     */
    static String text(ChaosTarget target, KillPod.Result result, Duration timeout) {
        StringBuilder text = new StringBuilder();
        text.append("\n").append(String.format("%-12s %-34s %-34s %10s %10s%n", "", "POD", "REPLACED BY", "EXISTED", "READY"));
        for (KillPod.Kill kill : result.kills()) {
            text.append(String.format("%-12s %-34s %-34s %10s %10s%n", "killed", kill.victim().name(), kill.replacement().orElse("-"),
                    kill.existedAfter().map(Seconds::text).orElse("-"), kill.readyAfter().map(Seconds::text).orElse("-")));
        }
        text.append("\n");
        text.append("replacement existed after  ").append(slowest(result, KillPod.Kill::existedAfter).map(Seconds::text).orElse("never")).append('\n');
        text.append("replacement Ready after    ").append(slowest(result, KillPod.Kill::readyAfter).map(Seconds::text).orElse("never")).append('\n');
        text.append("total recovery             ").append(result.recovery().map(Seconds::text)
                .orElse("not within " + Seconds.text(timeout))).append(" (" + result.ready() + "/" + result.desired() + " ready)\n");
        text.append(summary(target, result)).append("\n");
        text.append("journal: ").append(result.journal()).append('\n');
        return text.toString();
    }

    static String summary(ChaosTarget target, KillPod.Result result) {
        int count = result.kills().size();
        return (result.recovered() ? "recovered: " : "NOT recovered: ") + target.name() + " lost " + count + " pod" + (count == 1 ? "" : "s")
                + (result.recovered() ? " and was back at " + result.desired() + " ready after " + Seconds.text(result.recovery().get())
                        : " and has " + result.ready() + "/" + result.desired() + " ready");
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
            entry.put("existedAfterSeconds", kill.existedAfter().map(Seconds::of).orElse(null));
            entry.put("readyAfterSeconds", kill.readyAfter().map(Seconds::of).orElse(null));
            kills.add(entry);
        }
        journal.report("kills", kills);
        journal.report("replacementExistedSeconds", slowest(result, KillPod.Kill::existedAfter).map(Seconds::of).orElse(null));
        journal.report("replacementReadySeconds", slowest(result, KillPod.Kill::readyAfter).map(Seconds::of).orElse(null));
        journal.report("recoverySeconds", result.recovery().map(Seconds::of).orElse(null));
        journal.report("ready", result.ready());
        journal.report("desired", result.desired());
    }

    /** The longest of a time over the kills; empty when any kill lacks it. */
    private static Optional<Duration> slowest(KillPod.Result result, java.util.function.Function<KillPod.Kill, Optional<Duration>> time) {
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
