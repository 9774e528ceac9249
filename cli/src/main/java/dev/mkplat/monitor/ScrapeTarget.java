package dev.mkplat.monitor;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One active target of Prometheus, as {@code GET /api/v1/targets} reports it.
 *
 * @param scrapePool   the scrape configuration it belongs to; the Prometheus Operator names them
 *                     {@code serviceMonitor/NAMESPACE/NAME/ENDPOINT_INDEX}
 * @param job          its {@code job} label
 * @param instance     its {@code instance} label (host:port)
 * @param scrapeUrl    what Prometheus fetches
 * @param health       up, down or unknown (not scraped yet)
 * @param lastScrape   when it was last scraped; empty when never
 * @param lastError    why the last scrape failed; empty when it did not
 */
public record ScrapeTarget(
        String scrapePool,
        String job,
        String instance,
        String scrapeUrl,
        Health health,
        Optional<Instant> lastScrape,
        String lastError) {
    /** A target's health as Prometheus reports it. */
    public enum Health {
        UP,
        DOWN,
        UNKNOWN;

        static Health of(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "up" -> UP;
                case "down" -> DOWN;
                default -> UNKNOWN;
            };
        }
    }

    /**
     * The active targets of an answer of {@code /api/v1/targets}.
     *
     * @throws MkplatException exit 1 when the answer is not a successful Prometheus API answer
     */
    public static List<ScrapeTarget> parse(String answer) {
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(answer);
        } catch (JacksonException e) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    "Prometheus' /api/v1/targets answer is not JSON: " + e.getOriginalMessage(),
                    "is the service really Prometheus? (--prometheus)");
        }
        if (!"success".equals(root.path("status").asString(""))) {
            throw new MkplatException(
                    ExitCode.FAILED,
                    "Prometheus' /api/v1/targets answered status '"
                            + root.path("status").asString("") + "': "
                            + root.path("error").asString("no error given"),
                    "is the service really Prometheus? (--prometheus)");
        }
        List<ScrapeTarget> targets = new ArrayList<>();
        for (JsonNode target : root.path("data").path("activeTargets")) {
            JsonNode labels = target.path("labels");
            targets.add(new ScrapeTarget(
                    target.path("scrapePool").asString(""),
                    labels.path("job").asString(""),
                    labels.path("instance").asString(""),
                    target.path("scrapeUrl").asString(""),
                    Health.of(target.path("health").asString("")),
                    lastScrape(target.path("lastScrape").asString("")),
                    target.path("lastError").asString("")));
        }
        return List.copyOf(targets);
    }

    /** Prometheus writes Go's zero time (year 1) for a target never scraped. */
    private static Optional<Instant> lastScrape(String text) {
        if (text.isEmpty() || text.startsWith("0001-01-01")) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** For example {@code 10.244.0.12:9464 up, scraped 4s ago} or {@code ... down, scraped 3s ago: connection refused}. */
    public String describe(Instant now) {
        String when = lastScrape
                .map(at -> "scraped " + Math.max(0, Duration.between(at, now).toSeconds()) + "s ago")
                .orElse("never scraped");
        return instance + " " + health.name().toLowerCase(Locale.ROOT) + ", " + when
                + (lastError.isEmpty() ? "" : ": " + lastError);
    }
}
