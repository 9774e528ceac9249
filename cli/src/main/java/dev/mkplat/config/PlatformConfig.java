package dev.mkplat.config;

import dev.mkplat.core.BuildVersion;
import dev.mkplat.slo.Slos;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The validated contents of {@code mkplat.yaml}: everything a user can change about the platform.
 * Instances are only made by {@link #defaults()} and {@link PlatformConfigLoader}, which check
 * every value, so the code that renders, deploys or signs can trust them.
 *
 * @param domain     the DNS suffix of the platform (default {@code test}); the CA may sign only
 *                   names inside it
 * @param hosts      the public host names of the services, each inside {@code domain}
 * @param replicas   the replica bounds of every service's HorizontalPodAutoscaler
 * @param images     where the service images come from
 * @param storage    where the images service keeps uploads
 * @param monitoring whether the monitoring stack is installed, and which chart
 * @param timeouts   how long deploy and each of its stages may wait
 * @param slos       the service level objectives of each service: the source of the alerting rules
 *                   and of {@code mkplat traffic}'s default thresholds
 * @param traces     where the services send their spans, and how many traces they keep
 * @param alerting   where Alertmanager sends the alerts: e-mail, a webhook, or nowhere
 * @param logs       the log store and trace store Grafana links the dashboards and the logs to, if any
 */
public record PlatformConfig(
        String domain,
        Hosts hosts,
        Replicas replicas,
        Images images,
        Storage storage,
        Monitoring monitoring,
        Timeouts timeouts,
        Slos slos,
        Traces traces,
        Alerting alerting,
        Logs logs) {

    /** The default domain: {@code *.test} is reserved for testing (RFC 2606) and never resolves publicly. */
    public static final String DEFAULT_DOMAIN = "test";

    public PlatformConfig {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(hosts, "hosts");
        Objects.requireNonNull(replicas, "replicas");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(monitoring, "monitoring");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(slos, "slos");
        Objects.requireNonNull(traces, "traces");
        Objects.requireNonNull(alerting, "alerting");
        Objects.requireNonNull(logs, "logs");
    }

    /** A configuration whose SLOs and tracing are the defaults. */
    public PlatformConfig(
            String domain,
            Hosts hosts,
            Replicas replicas,
            Images images,
            Storage storage,
            Monitoring monitoring,
            Timeouts timeouts) {
        this(domain, hosts, replicas, images, storage, monitoring, timeouts, Slos.defaults());
    }

    /** A configuration whose tracing is the default. */
    public PlatformConfig(
            String domain,
            Hosts hosts,
            Replicas replicas,
            Images images,
            Storage storage,
            Monitoring monitoring,
            Timeouts timeouts,
            Slos slos) {
        this(domain, hosts, replicas, images, storage, monitoring, timeouts, slos, Traces.defaults());
    }

    /** A configuration whose alert routing is the default. */
    public PlatformConfig(
            String domain,
            Hosts hosts,
            Replicas replicas,
            Images images,
            Storage storage,
            Monitoring monitoring,
            Timeouts timeouts,
            Slos slos,
            Traces traces) {
        this(domain, hosts, replicas, images, storage, monitoring, timeouts, slos, traces, Alerting.defaults());
    }

    /** A configuration without a log store. */
    public PlatformConfig(
            String domain,
            Hosts hosts,
            Replicas replicas,
            Images images,
            Storage storage,
            Monitoring monitoring,
            Timeouts timeouts,
            Slos slos,
            Traces traces,
            Alerting alerting) {
        this(domain, hosts, replicas, images, storage, monitoring, timeouts, slos, traces, alerting, Logs.defaults());
    }

    /** The configuration used when there is no {@code mkplat.yaml}. */
    public static PlatformConfig defaults() {
        return new PlatformConfig(
                DEFAULT_DOMAIN,
                Hosts.defaults(DEFAULT_DOMAIN),
                Replicas.defaults(),
                Images.defaults(),
                Storage.defaults(),
                Monitoring.defaults(),
                Timeouts.defaults(),
                Slos.defaults(),
                Traces.defaults(),
                Alerting.defaults(),
                Logs.defaults());
    }

    /** The same configuration with other SLOs. */
    public PlatformConfig withSlos(Slos other) {
        return new PlatformConfig(
                domain, hosts, replicas, images, storage, monitoring, timeouts, other, traces, alerting, logs);
    }

    /** The same configuration with other tracing. */
    public PlatformConfig withTraces(Traces other) {
        return new PlatformConfig(
                domain, hosts, replicas, images, storage, monitoring, timeouts, slos, other, alerting, logs);
    }

    /** The same configuration with other alert routing. */
    public PlatformConfig withAlerting(Alerting other) {
        return new PlatformConfig(
                domain, hosts, replicas, images, storage, monitoring, timeouts, slos, traces, other, logs);
    }

    /** The same configuration with another log store. */
    public PlatformConfig withLogs(Logs other) {
        return new PlatformConfig(
                domain, hosts, replicas, images, storage, monitoring, timeouts, slos, traces, alerting, other);
    }

    /**
     * The public host names of the services.
     *
     * @param api        the api service, default {@code api.<domain>}
     * @param auth       the auth service, default {@code auth.<domain>}
     * @param images     the images service, default {@code images.<domain>}
     * @param monitoring Grafana, default {@code monitoring.<domain>}
     */
    public record Hosts(String api, String auth, String images, String monitoring) {
        public Hosts {
            Objects.requireNonNull(api, "api");
            Objects.requireNonNull(auth, "auth");
            Objects.requireNonNull(images, "images");
            Objects.requireNonNull(monitoring, "monitoring");
        }

        /** {@code <name>.<domain>} for every service. */
        public static Hosts defaults(String domain) {
            return new Hosts("api." + domain, "auth." + domain, "images." + domain, "monitoring." + domain);
        }

        /** Every host, in a fixed order (api, auth, images, monitoring): the certificate's SANs and the hosts line. */
        public List<String> all() {
            return List.of(api, auth, images, monitoring);
        }
    }

    /**
     * The replica bounds of each service's HorizontalPodAutoscaler.
     *
     * @param min at least 1, default 2 (so that a PodDisruptionBudget can keep one running)
     * @param max at least {@code min}, default 5
     */
    public record Replicas(int min, int max) {
        public static Replicas defaults() {
            return new Replicas(2, 5);
        }
    }

    /**
     * Where the service images come from: {@code <registry>/<service>:<tag>}.
     *
     * @param registry default {@code docker.io/mkplat}
     * @param tag      default the version of this CLI, so that the CLI and the images it deploys match
     */
    public record Images(String registry, String tag) {
        public Images {
            Objects.requireNonNull(registry, "registry");
            Objects.requireNonNull(tag, "tag");
        }

        public static Images defaults() {
            return new Images("docker.io/mkplat", BuildVersion.version());
        }

        /** The image reference of one service, for example {@code docker.io/mkplat/api:0.1.0}. */
        public String reference(String service) {
            return registry + "/" + service + ":" + tag;
        }
    }

    /** Where the images service stores uploads. */
    public enum StorageMode {
        /** A GCS emulator running inside the cluster: no cloud account needed. */
        EMULATOR,
        /** Real Google Cloud Storage, with a service-account key file. */
        GCS;

        /** The spelling used in {@code mkplat.yaml}. */
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Where the images service stores uploads.
     *
     * @param mode            {@code emulator} (default) or {@code gcs}
     * @param bucket          the bucket name, default {@code mkplat-images}
     * @param credentialsFile the service-account key for {@code gcs}; without one, Application Default
     *                        Credentials (the metadata server); absent for the emulator
     */
    public record Storage(StorageMode mode, String bucket, Optional<Path> credentialsFile) {
        public Storage {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(credentialsFile, "credentialsFile");
        }

        public static Storage defaults() {
            return new Storage(StorageMode.EMULATOR, "mkplat-images", Optional.empty());
        }
    }

    /**
     * The monitoring stack (kube-prometheus-stack).
     *
     * @param enabled      default true
     * @param chartVersion the kube-prometheus-stack chart version, default {@value #DEFAULT_CHART_VERSION}
     */
    public record Monitoring(boolean enabled, String chartVersion) {
        /** The chart version the bundled dashboards and ServiceMonitors were tested with. */
        public static final String DEFAULT_CHART_VERSION = "75.13.0";

        public Monitoring {
            Objects.requireNonNull(chartVersion, "chartVersion");
        }

        public static Monitoring defaults() {
            return new Monitoring(true, DEFAULT_CHART_VERSION);
        }
    }

    /**
     * Where the services export their spans ({@code tracing:} in {@code mkplat.yaml}). Without an
     * endpoint they export nothing; they still pass the W3C trace context on and log trace ids.
     *
     * @param endpoint    the OTLP/HTTP endpoint of a collector, for example
     *                    {@code http://otel-collector.observability.svc.cluster.local:4318};
     *                    the services' {@code OTEL_EXPORTER_OTLP_ENDPOINT}
     * @param sampleRatio the share of the traces that start at a service which it keeps (0 to 1,
     *                    default 1); a trace that comes in keeps its caller's decision
     */
    public record Traces(Optional<URI> endpoint, double sampleRatio) {
        public Traces {
            Objects.requireNonNull(endpoint, "endpoint");
        }

        public static Traces defaults() {
            return new Traces(Optional.empty(), 1.0);
        }
    }

    /**
     * Where Alertmanager sends the alerts ({@code alerting:} in {@code mkplat.yaml}). The
     * credentials (the SMTP password, the webhook's URL, which often carries a token) are never
     * here: they are keys of the Secret {@code credentialsSecret} in the namespace monitoring,
     * which Alertmanager reads as files.
     *
     * @param email             e-mail over SMTP, or none
     * @param webhook           a webhook, or none
     * @param credentialsSecret the Secret with the keys {@value #SMTP_PASSWORD_KEY} and {@value #WEBHOOK_URL_KEY},
     *                          default {@value #DEFAULT_CREDENTIALS_SECRET}
     */
    public record Alerting(Optional<Email> email, Optional<Webhook> webhook, String credentialsSecret) {
        public static final String DEFAULT_CREDENTIALS_SECRET = "alertmanager-credentials";
        public static final String SMTP_PASSWORD_KEY = "smtp-password";
        public static final String WEBHOOK_URL_KEY = "webhook-url";

        public Alerting {
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(webhook, "webhook");
            Objects.requireNonNull(credentialsSecret, "credentialsSecret");
        }

        /** No receiver: alerts show in Prometheus and Alertmanager only. */
        public static Alerting defaults() {
            return new Alerting(Optional.empty(), Optional.empty(), DEFAULT_CREDENTIALS_SECRET);
        }

        /** Whether any receiver is configured. */
        public boolean routes() {
            return email.isPresent() || webhook.isPresent();
        }
    }

    /**
     * E-mail over SMTP.
     *
     * @param to         the recipient (several separated by commas)
     * @param from       the sender
     * @param smarthost  the SMTP server as host:port
     * @param username   the SMTP login, or none for a server without authentication; its password
     *                   is the credentials Secret's {@value Alerting#SMTP_PASSWORD_KEY}
     * @param requireTls whether to insist on STARTTLS (default true)
     */
    public record Email(String to, String from, String smarthost, Optional<String> username, boolean requireTls) {
        public Email {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(smarthost, "smarthost");
            Objects.requireNonNull(username, "username");
        }
    }

    /**
     * A webhook (Alertmanager's JSON payload, POSTed); its URL is the credentials Secret's
     * {@value Alerting#WEBHOOK_URL_KEY}.
     *
     * @param sendResolved whether resolved alerts are sent too (default true)
     */
    public record Webhook(boolean sendResolved) {}

    /**
     * The stores Grafana reads logs and traces from ({@code logs:} in {@code mkplat.yaml}). mkplat
     * installs neither: it gives Grafana a data source for each one named here, so that the
     * dashboards' links open the services' logs and a log line's {@code traceId} opens its trace.
     *
     * @param loki       Loki's HTTP URL, or none: no Loki data source (the dashboards' log links then
     *                   lead nowhere; the panels are unaffected)
     * @param traceStore where a trace id leads, or none
     */
    public record Logs(Optional<URI> loki, Optional<TraceStore> traceStore) {
        public Logs {
            Objects.requireNonNull(loki, "loki");
            Objects.requireNonNull(traceStore, "traceStore");
        }

        /** Neither store: Grafana gets only the chart's own data sources. */
        public static Logs defaults() {
            return new Logs(Optional.empty(), Optional.empty());
        }
    }

    /**
     * A trace store that Grafana has a data source for.
     *
     * @param type tempo or jaeger
     * @param url  its HTTP query URL (Tempo's HTTP port, 3200 by default; Jaeger query's, 16686)
     */
    public record TraceStore(TraceStoreType type, URI url) {
        public TraceStore {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(url, "url");
        }
    }

    /** The trace stores Grafana has a data source type for, that take a trace id. */
    public enum TraceStoreType {
        TEMPO,
        JAEGER;

        /** The spelling in {@code mkplat.yaml}, which is also Grafana's data source type. */
        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * How long {@code deploy} waits.
     *
     * @param deploy the whole deploy, default 5 minutes
     * @param stage  each stage (for example "db and infra"), default 3 minutes; never more than {@code deploy}
     */
    public record Timeouts(Duration deploy, Duration stage) {
        public Timeouts {
            Objects.requireNonNull(deploy, "deploy");
            Objects.requireNonNull(stage, "stage");
        }

        public static Timeouts defaults() {
            return new Timeouts(Duration.ofMinutes(5), Duration.ofMinutes(3));
        }
    }
}
