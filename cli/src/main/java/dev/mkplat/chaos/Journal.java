package dev.mkplat.chaos;

import dev.mkplat.core.AtomicFileWriter;
import dev.mkplat.core.BuildVersion;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The record of one experiment, in the spirit of Chaos Toolkit's journal: what was asked, what was
 * done and when ({@code actions}), what was seen and when ({@code observations}), the measured
 * result ({@code report}) and the {@code verdict}. Written as JSON when the experiment ends, however
 * it ends (also from the shutdown hook of an interrupted run), so the file is complete or absent.
 */
public final class Journal {
    /** Where journals go when {@code --journal} is not given, under the working directory. */
    public static final Path DEFAULT_DIRECTORY = Path.of(".mkplat", "chaos");

    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** How an experiment ended. */
    public enum Verdict {
        /** It ran and the platform recovered within the deadline. */
        RECOVERED,
        /** It ran and the platform did not recover within the deadline. */
        NOT_RECOVERED,
        /** It was refused before anything changed (unsafe, locked, remote). */
        REFUSED,
        /** It was interrupted (Ctrl-C) and undone. */
        INTERRUPTED,
        /** It ran and was undone when its time was up. */
        COMPLETED,
        /**
         * It ran and recovered, but the steady state ({@code --steady}, under {@code --with-traffic})
         * did not hold again afterwards: Chaos Toolkit's "deviated".
         */
        DEVIATED,
        /** It ran and the platform recovered, but the item written before the fault ({@code --verify-data}) was not read back. */
        DATA_LOST,
        /** Something failed on the way; the error says what. */
        FAILED;

        /** The exit code of an experiment that ends so. */
        public ExitCode exitCode() {
            return switch (this) {
                case RECOVERED, COMPLETED -> ExitCode.OK;
                case NOT_RECOVERED -> ExitCode.TIMEOUT;
                default -> ExitCode.FAILED;
            };
        }

        String json() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Clock clock;
    private final Map<String, Object> experiment = new LinkedHashMap<>();
    private final List<Map<String, Object>> actions = new ArrayList<>();
    private final List<Map<String, Object>> observations = new ArrayList<>();
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final Instant start;
    private String context = "";
    private String server = "";
    private volatile boolean written;

    /**
     * @param kind    the experiment, for example {@code kill-pod}
     * @param target  what it aims at, for example {@code api} or {@code api->auth}
     * @param options the options it ran with, as the user gave them
     */
    public Journal(String kind, String target, Map<String, Object> options, Clock clock) {
        this.clock = clock;
        this.start = clock.instant();
        experiment.put("kind", kind);
        experiment.put("target", target);
        experiment.put("options", new LinkedHashMap<>(options));
    }

    /** The default file: {@code .mkplat/chaos/<start>-<kind>-<target>.json} under {@code workingDirectory}. */
    public Path defaultPath(Path workingDirectory) {
        String target = String.valueOf(experiment.get("target")).replaceAll("[^A-Za-z0-9_.-]+", "-");
        return workingDirectory
                .resolve(DEFAULT_DIRECTORY)
                .resolve(FILE_TIME.format(start) + "-" + experiment.get("kind") + "-" + target + ".json");
    }

    public Instant start() {
        return start;
    }

    public synchronized void cluster(String context, String server) {
        this.context = context;
        this.server = server;
    }

    /** Something the experiment did, now. */
    public synchronized void action(String name, Map<String, Object> details) {
        actions.add(entry(name, details));
    }

    /** Something the experiment saw, now. */
    public synchronized void observation(String name, Map<String, Object> details) {
        observations.add(entry(name, details));
    }

    /** A figure of the result, for example {@code recoverySeconds}. */
    public synchronized void report(String key, Object value) {
        report.put(key, value);
    }

    private Map<String, Object> entry(String name, Map<String, Object> details) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("at", clock.instant().toString());
        entry.put("name", name);
        entry.putAll(details);
        return entry;
    }

    /** The whole journal as JSON, ended now with this verdict. */
    public synchronized String json(Verdict verdict, ExitCode exit, String summary) {
        Instant end = clock.instant();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("mkplat", BuildVersion.version());
        document.put("experiment", experiment);
        document.put("cluster", Map.of("context", context, "server", server));
        document.put("start", start.toString());
        document.put("end", end.toString());
        document.put("durationSeconds", Seconds.of(Duration.between(start, end)));
        document.put("actions", actions);
        document.put("observations", observations);
        document.put("report", report);
        document.put("verdict", verdict.json());
        document.put("summary", summary);
        document.put("exitCode", exit.code());
        return JSON.writeValueAsString(document) + "\n";
    }

    /** Whether {@link #write} was called: an interrupted run writes its journal only when nothing else did. */
    public boolean written() {
        return written;
    }

    /** Writes the journal to {@code file}, creating its directory. */
    public void write(Path file, Verdict verdict, ExitCode exit, String summary) {
        written = true;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    "cannot create the directory of the journal " + file + ": " + AtomicFileWriter.reason(e),
                    "pass --journal FILE in a writable directory");
        }
        AtomicFileWriter.write(
                file, json(verdict, exit, summary).getBytes(StandardCharsets.UTF_8), AtomicFileWriter.PUBLIC);
    }
}
