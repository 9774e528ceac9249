package dev.mkplat.config;

import dev.mkplat.core.AtomicFileWriter;
import dev.mkplat.core.Durations;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.slo.LatencyObjective;
import dev.mkplat.slo.Slo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The commented {@code mkplat.yaml} that {@code mkplat init} writes: every key with its default
 * and what it does. Values derived from others (the host names from the domain, the image tag from
 * the CLI version) stay commented out, so that they keep following what they derive from.
 */
public final class DefaultConfigFile {
    /** What happened to the file. */
    public enum Written {
        /** There was none; it was written. */
        WRITTEN,
        /** One existed and was kept (no --force). */
        KEPT,
        /** One existed; it was moved to {@code mkplat.yaml.bak} and a new one written (--force). */
        REPLACED
    }

    private DefaultConfigFile() {}

    /** The text of the default file; it loads to exactly {@link PlatformConfig#defaults()}. */
    public static String text() {
        PlatformConfig defaults = PlatformConfig.defaults();
        return """
                # mkplat.yaml: the settings of your platform. Every key is optional; a missing key takes the
                # default shown. mkplat reads ./mkplat.yaml, or the file given with --config.
                # Check your edits with: mkplat init (it reports a bad key as mkplat.yaml:LINE:COLUMN).

                # DNS suffix of every host name. The CA that `mkplat certs generate` makes may only sign names
                # inside it (a name constraint), so a leaked key cannot impersonate other sites.
                domain: %s

                # Public host names of the services. By default <service>.<domain>; each must end in .<domain>.
                # hosts:
                #   api: api.%s
                #   auth: auth.%s
                #   images: images.%s
                #   monitoring: monitoring.%s

                # Replica bounds of each service's HorizontalPodAutoscaler. min >= 2 keeps one pod serving
                # while another is drained (the PodDisruptionBudget allows one at a time).
                replicas:
                  min: %d
                  max: %d

                # Service images: <registry>/<service>:<tag>. The tag defaults to this CLI's version.
                images:
                  registry: %s
                  # tag: %s

                # Where the images service stores uploads: `emulator` (a GCS emulator in the cluster, no
                # account needed) or `gcs` (real Google Cloud Storage). In mode gcs, credentialsFile is a
                # service-account key, relative to this file; without it the service uses Application
                # Default Credentials from the metadata server (Workload Identity on GKE).
                storage:
                  mode: %s
                  bucket: %s
                  # credentialsFile: gcs-key.json

                # Prometheus, Grafana and the dashboards (kube-prometheus-stack).
                monitoring:
                  enabled: %s
                  chartVersion: %s

                # How long `mkplat deploy` waits in total and per stage: 90s, 5m, 1h30m.
                timeouts:
                  deploy: %s
                  stage: %s

                # Service level objectives, per service: the percentage of requests answered without a
                # server error (availability), the percentage answered within a latency threshold (one of
                # the latency histogram's buckets: %s), and the window in days they
                # are counted over. mkplat turns them into Prometheus recording rules and multi-window,
                # multi-burn-rate alerts (applied with the monitoring stack) and into the thresholds that
                # `mkplat traffic` checks when none are given.
                slos:
                %s
                # Tracing: the services pass the W3C trace context (traceparent) on and log each request's
                # traceId and spanId. With an endpoint they also export their spans over OTLP/HTTP to an
                # OpenTelemetry Collector there; sampleRatio (0 to 1) is the share of the traces that
                # start at a service that it keeps; a trace that comes in keeps its caller's decision.
                # tracing:
                #   endpoint: http://otel-collector.observability.svc.cluster.local:4318
                #   sampleRatio: 1.0

                # Where Alertmanager sends the alerts (monitor install configures it): e-mail over SMTP, a
                # webhook, or both. No credential goes here: the SMTP password and the webhook's URL are the
                # keys smtp-password and webhook-url of the Secret monitoring/alertmanager-credentials, made with
                # kubectl -n monitoring create secret generic alertmanager-credentials --from-file=...
                # alerting:
                #   email:
                #     to: oncall@example.com
                #     from: alertmanager@example.com
                #     smarthost: smtp.example.com:587
                #     username: alertmanager@example.com
                #   webhook:
                #     sendResolved: true

                # Logs next to metrics: mkplat installs no log or trace store, but given their URLs it gives
                # Grafana a Loki data source (the dashboards' panels link to each service's logs there) and
                # a trace store (tempo or jaeger) that the traceId of a log line links to.
                # logs:
                #   loki: http://loki-gateway.loki.svc.cluster.local
                #   traceStore:
                #     type: tempo
                #     url: http://tempo.tempo.svc.cluster.local:3200
                """.formatted(
                        defaults.domain(),
                        defaults.domain(),
                        defaults.domain(),
                        defaults.domain(),
                        defaults.domain(),
                        defaults.replicas().min(),
                        defaults.replicas().max(),
                        defaults.images().registry(),
                        defaults.images().tag(),
                        defaults.storage().mode().yamlName(),
                        defaults.storage().bucket(),
                        defaults.monitoring().enabled(),
                        defaults.monitoring().chartVersion(),
                        Durations.format(defaults.timeouts().deploy()),
                        Durations.format(defaults.timeouts().stage()),
                        String.join(
                                ", ",
                                LatencyObjective.THRESHOLDS.stream()
                                        .map(Durations::format)
                                        .toList()),
                        String.join(
                                "",
                                defaults.slos().all().stream()
                                        .map(DefaultConfigFile::slo)
                                        .toList()));
    }

    private static String slo(Slo slo) {
        return """
                  %s:
                    availability: %s
                    latency:
                      percentile: %s
                      threshold: %s
                    window: %dd
                """.formatted(
                        slo.service(),
                        Slo.percent(slo.availability()),
                        Slo.percent(slo.latency().percentile()),
                        Durations.format(slo.latency().threshold()),
                        slo.window().toDays());
    }

    /**
     * What {@code mkplat init} does with the config file: an existing one is validated and kept
     * (a bad one fails with file:line:column before anything else happens); a missing one, or any
     * with {@code force}, is written with the commented defaults.
     *
     * @param config  the configuration that applies afterwards
     * @param written what happened to the file
     */
    public record Initialized(PlatformConfig config, Written written) {}

    public static Initialized initialize(Path target, Path shownAs, boolean force) {
        PlatformConfig config =
                !force && Files.exists(target) ? PlatformConfigLoader.load(target, shownAs) : PlatformConfig.defaults();
        return new Initialized(config, write(target, force));
    }

    /**
     * Writes the default file to {@code target} unless one exists; with {@code force} the existing
     * one is first moved to {@code <name>.bak}.
     */
    public static Written write(Path target, boolean force) {
        boolean exists = Files.exists(target);
        if (exists && !force) {
            return Written.KEPT;
        }
        if (exists) {
            try {
                Files.copy(
                        target,
                        target.resolveSibling(target.getFileName() + ".bak"),
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.COPY_ATTRIBUTES);
            } catch (IOException e) {
                throw new MkplatException(
                        ExitCode.FAILED,
                        "cannot back up " + target + ": " + e.getMessage(),
                        "check that its directory is writable",
                        e);
            }
        }
        AtomicFileWriter.write(target, text().getBytes(StandardCharsets.UTF_8), AtomicFileWriter.PUBLIC);
        return exists ? Written.REPLACED : Written.WRITTEN;
    }
}
