package dev.mkplat.config;

import dev.mkplat.config.ConfigDocument.AlertingSection;
import dev.mkplat.config.ConfigDocument.EmailSection;
import dev.mkplat.config.ConfigDocument.HostsSection;
import dev.mkplat.config.ConfigDocument.ImagesSection;
import dev.mkplat.config.ConfigDocument.LatencySection;
import dev.mkplat.config.ConfigDocument.LogsSection;
import dev.mkplat.config.ConfigDocument.MonitoringSection;
import dev.mkplat.config.ConfigDocument.ReplicasSection;
import dev.mkplat.config.ConfigDocument.SloSection;
import dev.mkplat.config.ConfigDocument.SlosSection;
import dev.mkplat.config.ConfigDocument.StorageSection;
import dev.mkplat.config.ConfigDocument.TimeoutsSection;
import dev.mkplat.config.ConfigDocument.TraceStoreSection;
import dev.mkplat.config.ConfigDocument.TracingSection;
import dev.mkplat.config.PlatformConfig.Alerting;
import dev.mkplat.config.PlatformConfig.Email;
import dev.mkplat.config.PlatformConfig.Hosts;
import dev.mkplat.config.PlatformConfig.Images;
import dev.mkplat.config.PlatformConfig.Logs;
import dev.mkplat.config.PlatformConfig.Monitoring;
import dev.mkplat.config.PlatformConfig.Replicas;
import dev.mkplat.config.PlatformConfig.Storage;
import dev.mkplat.config.PlatformConfig.StorageMode;
import dev.mkplat.config.PlatformConfig.Timeouts;
import dev.mkplat.config.PlatformConfig.TraceStore;
import dev.mkplat.config.PlatformConfig.TraceStoreType;
import dev.mkplat.config.PlatformConfig.Traces;
import dev.mkplat.config.PlatformConfig.Webhook;
import dev.mkplat.core.DnsNames;
import dev.mkplat.core.Durations;
import dev.mkplat.slo.BurnRateWindow;
import dev.mkplat.slo.LatencyObjective;
import dev.mkplat.slo.Slo;
import dev.mkplat.slo.Slos;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import tools.jackson.core.TokenStreamLocation;

/** Fills in defaults and checks each value, failing at the first bad one with its location. */
record ConfigValidator(Path shownAs, Path file, YamlLocations locations) {
    private static final Pattern IMAGE_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern REGISTRY =
            Pattern.compile("[a-z0-9]([a-z0-9._:-]*[a-z0-9])?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]");
    private static final Pattern CHART_VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");
    private static final Pattern SMARTHOST = Pattern.compile("[A-Za-z0-9.-]+:[0-9]{1,5}");
    private static final Pattern DAYS = Pattern.compile("([1-9][0-9]{0,2})d");
    /** An SLO window long enough for the slowest alert's 3 days, short enough to be about now. */
    private static final int MIN_WINDOW_DAYS = 7;

    private static final int MAX_WINDOW_DAYS = 90;

    PlatformConfig config(ConfigDocument document) {
        String domain = orDefault(document.domain(), PlatformConfig.DEFAULT_DOMAIN);
        check(
                DnsNames.isDnsName(domain),
                "/domain",
                "domain: '" + domain + "' is not a lowercase DNS name (like test or dev.example.test)");
        // The CA may sign for everything under the domain: on a public suffix that is other people's sites.
        check(
                !DnsNames.isPublicSuffix(domain),
                "/domain",
                "domain: '" + domain + "' is a public suffix, under which anyone can "
                        + "register names; the platform CA would be able to sign for all of them (use test, or a name of your own like dev.example.com)");
        return new PlatformConfig(
                domain,
                hosts(domain, orEmpty(document.hosts(), () -> new HostsSection(null, null, null, null))),
                replicas(orEmpty(document.replicas(), () -> new ReplicasSection(null, null))),
                images(orEmpty(document.images(), () -> new ImagesSection(null, null))),
                storage(orEmpty(document.storage(), () -> new StorageSection(null, null, null))),
                monitoring(orEmpty(document.monitoring(), () -> new MonitoringSection(null, null))),
                timeouts(orEmpty(document.timeouts(), () -> new TimeoutsSection(null, null))),
                slos(orEmpty(document.slos(), () -> new SlosSection(null, null, null))),
                traces(orEmpty(document.tracing(), () -> new TracingSection(null, null))),
                alerting(orEmpty(document.alerting(), () -> new AlertingSection(null, null, null))),
                logs(orEmpty(document.logs(), () -> new LogsSection(null, null))));
    }

    /** Loki's URL and a trace store (tempo or jaeger, and its URL): Grafana's data sources, each optional. */
    private Logs logs(LogsSection section) {
        Optional<URI> loki = Optional.empty();
        if (section.loki() != null && !section.loki().isBlank()) {
            loki = Optional.of(httpUrl(
                    section.loki(),
                    "/logs/loki",
                    "logs.loki",
                    "Loki's HTTP URL like http://loki-gateway.loki.svc.cluster.local"));
        }
        Optional<TraceStore> traceStore = Optional.empty();
        if (section.traceStore() != null) {
            TraceStoreSection given = section.traceStore();
            TraceStoreType type = null;
            for (TraceStoreType candidate : TraceStoreType.values()) {
                if (candidate.yamlName().equals(given.type())) {
                    type = candidate;
                }
            }
            check(
                    type != null,
                    "/logs/traceStore" + (given.type() == null ? "" : "/type"),
                    "logs.traceStore.type: "
                            + (given.type() == null ? "required" : "'" + given.type() + "' is not a trace store")
                            + " (tempo or jaeger)");
            check(
                    given.url() != null && !given.url().isBlank(),
                    "/logs/traceStore",
                    "logs.traceStore.url: required (the trace store's HTTP query URL)");
            traceStore = Optional.of(new TraceStore(
                    type,
                    httpUrl(
                            given.url(),
                            "/logs/traceStore/url",
                            "logs.traceStore.url",
                            "the trace store's HTTP query URL like http://tempo.tempo.svc.cluster.local:3200")));
        }
        return new Logs(loki, traceStore);
    }

    /** An http or https URL with a host and no credentials, query or fragment: what Grafana's proxy can call. */
    private URI httpUrl(String value, String pointer, String key, String expected) {
        URI uri = null;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            // reported below
        }
        check(
                uri != null
                        && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                        && uri.getHost() != null
                        && uri.getQuery() == null
                        && uri.getFragment() == null
                        && uri.getUserInfo() == null,
                pointer,
                key + ": '" + value + "' is not " + expected
                        + " (http or https, a host, an optional port and path; no user or password)");
        return uri;
    }

    /** Receivers: an e-mail needs to, from and a smarthost host:port; the credentials are a Secret's, never here. */
    private Alerting alerting(AlertingSection section) {
        String secret = orDefault(section.credentialsSecret(), Alerting.DEFAULT_CREDENTIALS_SECRET);
        check(
                DnsNames.isDnsName(secret) && !secret.contains("."),
                "/alerting/credentialsSecret",
                "alerting.credentialsSecret: '" + secret
                        + "' is not a Secret name (lowercase letters, digits and dashes)");
        Optional<Email> email = Optional.empty();
        if (section.email() != null) {
            EmailSection given = section.email();
            check(
                    given.to() != null && given.to().contains("@"),
                    "/alerting/email" + (given.to() == null ? "" : "/to"),
                    "alerting.email.to: "
                            + (given.to() == null ? "required" : "'" + given.to() + "' is not an e-mail address"));
            check(
                    given.from() != null && given.from().contains("@"),
                    "/alerting/email" + (given.from() == null ? "" : "/from"),
                    "alerting.email.from: "
                            + (given.from() == null ? "required" : "'" + given.from() + "' is not an e-mail address"));
            check(
                    given.smarthost() != null
                            && SMARTHOST.matcher(given.smarthost()).matches(),
                    "/alerting/email" + (given.smarthost() == null ? "" : "/smarthost"),
                    "alerting.email.smarthost: "
                            + (given.smarthost() == null ? "required" : "'" + given.smarthost() + "' is not host:port")
                            + " (the SMTP server, like smtp.example.com:587)");
            email = Optional.of(new Email(
                    given.to(),
                    given.from(),
                    given.smarthost(),
                    Optional.ofNullable(given.username()).filter(name -> !name.isBlank()),
                    given.requireTls() == null || given.requireTls()));
        }
        Optional<Webhook> webhook = section.webhook() == null
                ? Optional.empty()
                : Optional.of(new Webhook(section.webhook().sendResolved() == null
                        || section.webhook().sendResolved()));
        return new Alerting(email, webhook, secret);
    }

    /** An OTLP/HTTP endpoint (http or https, a host, no query) and a ratio from 0 to 1. */
    private Traces traces(TracingSection section) {
        Traces defaults = Traces.defaults();
        Optional<URI> endpoint = defaults.endpoint();
        if (section.endpoint() != null && !section.endpoint().isBlank()) {
            URI uri = null;
            try {
                uri = new URI(section.endpoint().strip());
            } catch (URISyntaxException e) {
                // reported below
            }
            check(
                    uri != null
                            && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                            && uri.getHost() != null
                            && uri.getQuery() == null
                            && uri.getFragment() == null
                            && uri.getUserInfo() == null,
                    "/tracing/endpoint",
                    "tracing.endpoint: '" + section.endpoint() + "' is not an OTLP/HTTP endpoint like "
                            + "http://otel-collector.observability.svc.cluster.local:4318 (http or https, a host, an optional port and path)");
            endpoint = Optional.of(uri);
        }
        double ratio = section.sampleRatio() == null ? defaults.sampleRatio() : section.sampleRatio();
        check(
                ratio >= 0 && ratio <= 1,
                "/tracing/sampleRatio",
                "tracing.sampleRatio: " + ratio
                        + " is not a ratio from 0 to 1 (0.1 keeps a tenth of the traces that start at a service)");
        return new Traces(endpoint, ratio);
    }

    private Slos slos(SlosSection section) {
        return new Slos(
                slo(Slos.API, section.api()), slo(Slos.AUTH, section.auth()), slo(Slos.IMAGES, section.images()));
    }

    /** One service's objectives: each key left out keeps that service's default. */
    private Slo slo(Slo defaults, SloSection given) {
        SloSection section = orEmpty(given, () -> new SloSection(null, null, null));
        String key = "slos." + defaults.service();
        String pointer = "/slos/" + defaults.service();
        Duration window = defaults.window();
        if (section.window() != null) {
            var days = DAYS.matcher(section.window().strip());
            check(
                    days.matches(),
                    pointer + "/window",
                    key + ".window: '" + section.window() + "' is not a number of days like 28d");
            int count = Integer.parseInt(days.group(1));
            check(
                    count >= MIN_WINDOW_DAYS && count <= MAX_WINDOW_DAYS,
                    pointer + "/window",
                    key + ".window: " + count + "d is outside " + MIN_WINDOW_DAYS + "d.." + MAX_WINDOW_DAYS
                            + "d (the slowest alert looks back 3 days; 28d or 30d are usual)");
            window = Duration.ofDays(count);
        }
        double availability = section.availability() == null ? defaults.availability() : section.availability();
        objective(
                availability,
                window,
                pointer + "/availability",
                key + ".availability",
                "of requests answered without a server error");
        LatencySection latency = orEmpty(section.latency(), () -> new LatencySection(null, null));
        double percentile = latency.percentile() == null ? defaults.latency().percentile() : latency.percentile();
        objective(
                percentile,
                window,
                pointer + "/latency/percentile",
                key + ".latency.percentile",
                "of requests within the threshold");
        Duration threshold = defaults.latency().threshold();
        if (latency.threshold() != null) {
            Optional<Duration> parsed = Durations.parse(latency.threshold());
            check(
                    parsed.isPresent() && LatencyObjective.THRESHOLDS.contains(parsed.get()),
                    pointer + "/latency/threshold",
                    key + ".latency.threshold: '" + latency.threshold()
                            + "' is not a bucket boundary of http_server_request_duration_seconds; use one of "
                            + String.join(
                                    ", ",
                                    LatencyObjective.THRESHOLDS.stream()
                                            .map(Durations::format)
                                            .toList()));
            threshold = parsed.get();
        }
        return new Slo(defaults.service(), availability, new LatencyObjective(percentile, threshold), window);
    }

    /**
     * A percentage objective: below 100 (100 leaves no error budget, so every error would page), and
     * high enough that the fastest alert's burn rate can be reached at all (14.4 times a budget of 10%
     * would need more errors than requests).
     */
    private void objective(double percent, Duration window, String pointer, String key, String what) {
        check(
                percent > 0 && percent < 100,
                pointer,
                key + ": " + percent + " is not a percentage below 100 (" + what
                        + "; 100 would leave no error budget, so that every error pages)");
        BigDecimal factor = BurnRateWindow.PAGE_1H.factor(window);
        BigDecimal budget = BigDecimal.ONE.subtract(BigDecimal.valueOf(percent).movePointLeft(2));
        BigDecimal lowest =
                BigDecimal.valueOf(100).subtract(BigDecimal.valueOf(100).divide(factor, 2, RoundingMode.DOWN));
        check(
                factor.multiply(budget).compareTo(BigDecimal.ONE) < 0,
                pointer,
                key + ": " + percent + " is too low for a "
                        + window.toDays() + "d window: its page alert fires at " + factor.toPlainString()
                        + " times the error budget, more than every request failing; use more than "
                        + lowest.toPlainString());
    }

    private Hosts hosts(String domain, HostsSection section) {
        Hosts defaults = Hosts.defaults(domain);
        Hosts hosts = new Hosts(
                orDefault(section.api(), defaults.api()),
                orDefault(section.auth(), defaults.auth()),
                orDefault(section.images(), defaults.images()),
                orDefault(section.monitoring(), defaults.monitoring()));
        String[] keys = {"api", "auth", "images", "monitoring"};
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < keys.length; i++) {
            String host = hosts.all().get(i);
            String pointer = "/hosts/" + keys[i];
            check(
                    DnsNames.isDnsName(host),
                    pointer,
                    "hosts." + keys[i] + ": '" + host + "' is not a lowercase DNS name");
            // The CA is name-constrained to the domain: a host outside it could never get a valid certificate.
            check(
                    host.endsWith("." + domain),
                    pointer,
                    "hosts." + keys[i] + ": '" + host + "' is outside the domain '" + domain + "' (it must end in ."
                            + domain + ")");
            check(seen.add(host), pointer, "hosts." + keys[i] + ": '" + host + "' is already used by another service");
        }
        return hosts;
    }

    private Replicas replicas(ReplicasSection section) {
        Replicas defaults = Replicas.defaults();
        int min = section.min() == null ? defaults.min() : section.min();
        int max = section.max() == null ? Math.max(defaults.max(), min) : section.max();
        check(min >= 1, "/replicas/min", "replicas.min: must be at least 1, was " + min);
        check(max >= min, "/replicas/max", "replicas.max: must be at least replicas.min (" + min + "), was " + max);
        check(max <= 100, "/replicas/max", "replicas.max: at most 100 on a local cluster, was " + max);
        return new Replicas(min, max);
    }

    private Images images(ImagesSection section) {
        Images defaults = Images.defaults();
        String registry = orDefault(section.registry(), defaults.registry());
        String tag = orDefault(section.tag(), defaults.tag());
        check(
                REGISTRY.matcher(registry).matches(),
                "/images/registry",
                "images.registry: '" + registry
                        + "' is not a registry path like docker.io/mkplat or localhost:5000/mkplat");
        check(IMAGE_TAG.matcher(tag).matches(), "/images/tag", "images.tag: '" + tag + "' is not a valid image tag");
        return new Images(registry, tag);
    }

    private Storage storage(StorageSection section) {
        Storage defaults = Storage.defaults();
        String modeText = orDefault(section.mode(), defaults.mode().yamlName());
        StorageMode mode = null;
        for (StorageMode candidate : StorageMode.values()) {
            if (candidate.yamlName().equals(modeText)) {
                mode = candidate;
            }
        }
        check(mode != null, "/storage/mode", "storage.mode: '" + modeText + "' is not one of emulator, gcs");
        String bucket = orDefault(section.bucket(), defaults.bucket());
        check(
                BUCKET.matcher(bucket).matches(),
                "/storage/bucket",
                "storage.bucket: '" + bucket
                        + "' is not a bucket name (3-63 lowercase letters, digits, dots, dashes, underscores)");
        Optional<Path> credentials = Optional.ofNullable(section.credentialsFile())
                .filter(s -> !s.isBlank())
                .map(this::relativeToFile);
        // Without a key file, mode gcs uses Application Default Credentials (the metadata server).
        if (mode == StorageMode.GCS && credentials.isPresent()) {
            check(
                    Files.isReadable(credentials.get()),
                    "/storage/credentialsFile",
                    "storage.credentialsFile: " + credentials.get() + " does not exist or is not readable");
        }
        return new Storage(mode, bucket, credentials);
    }

    private Monitoring monitoring(MonitoringSection section) {
        Monitoring defaults = Monitoring.defaults();
        String chartVersion = orDefault(section.chartVersion(), defaults.chartVersion());
        check(
                CHART_VERSION.matcher(chartVersion).matches(),
                "/monitoring/chartVersion",
                "monitoring.chartVersion: '" + chartVersion + "' is not a chart version like "
                        + Monitoring.DEFAULT_CHART_VERSION);
        return new Monitoring(section.enabled() == null ? defaults.enabled() : section.enabled(), chartVersion);
    }

    private Timeouts timeouts(TimeoutsSection section) {
        Timeouts defaults = Timeouts.defaults();
        Duration deploy = duration(section.deploy(), defaults.deploy(), "deploy");
        Duration stage =
                duration(section.stage(), deploy.compareTo(defaults.stage()) < 0 ? deploy : defaults.stage(), "stage");
        check(
                stage.compareTo(deploy) <= 0,
                "/timeouts/stage",
                "timeouts.stage: " + section.stage() + " is longer than timeouts.deploy");
        return new Timeouts(deploy, stage);
    }

    private Duration duration(String text, Duration fallback, String key) {
        if (text == null) {
            return fallback;
        }
        Optional<Duration> parsed = Durations.parse(text);
        check(
                parsed.isPresent() && !parsed.get().isZero(),
                "/timeouts/" + key,
                "timeouts." + key + ": '" + text + "' is not a duration like 90s, 5m or 1h30m");
        return parsed.get();
    }

    private Path relativeToFile(String path) {
        Path given = Path.of(path);
        Path directory = file.toAbsolutePath().getParent();
        return given.isAbsolute() || directory == null
                ? given
                : directory.resolve(given).normalize();
    }

    private void check(boolean ok, String pointer, String problem) {
        if (!ok) {
            TokenStreamLocation at = locations.at(pointer);
            throw new ConfigException(
                    shownAs,
                    at == null ? 1 : at.getLineNr(),
                    at == null ? 1 : at.getColumnNr(),
                    problem,
                    PlatformConfigLoader.HINT,
                    null);
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static <T> T orEmpty(T section, Supplier<T> empty) {
        return section == null ? empty.get() : section;
    }
}
