package dev.mkplat.render;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.config.PlatformConfig.StorageMode;
import dev.mkplat.core.PlatformLabels;
import dev.mkplat.slo.SloRules;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bundle + config → the objects to apply. Pure: the same inputs give the same list, and nothing
 * here reads a file or a cluster. The overrides are few and explicit:
 * <ul>
 *   <li>every object is labelled {@code app.kubernetes.io/managed-by=mkplat} and {@code part-of=mkplat};</li>
 *   <li>the service images ({@code mkplat/<name>:<tag>} in the bundle) become {@code <registry>/<name>:<tag>},
 *       pinned by the digests of {@link ImagePins} where there is one;</li>
 *   <li>the Ingress hosts {@code <name>.test} become the configured hosts;</li>
 *   <li>the HorizontalPodAutoscalers take the configured replica bounds;</li>
 *   <li>storage: objects labelled {@code mkplat.dev/storage} stay only when the label equals the
 *       mode; for {@code gcs} the images service loses the emulator address and, with a key file,
 *       reads the key from the credentials Secret; without one it uses Application Default
 *       Credentials, and only then may it reach the metadata server (objects labelled {@code
 *       mkplat.dev/gcs-credentials=metadata-server} stay only then); the bucket is set in both modes;</li>
 *   <li>with monitoring off, the monitoring component is left out; with it on, the component gets
 *       the PrometheusRules made from the SLOs and for the namespaces that run workloads ({@link SloRules});</li>
 *   <li>with a tracing endpoint, the settings of api, auth and images get the standard
 *       {@code OTEL_*} variables that make them export their spans there, and each of their
 *       namespaces a NetworkPolicy that lets their pods reach the endpoint's port;</li>
 *   <li>with a log or trace store ({@code logs:}) and monitoring on, the namespace monitoring a
 *       NetworkPolicy that lets Grafana reach their ports.</li>
 * </ul>
 */
public final class PlatformRenderer {
    /** {@link PlatformLabels#PART_OF}; new code names {@link PlatformLabels} itself. */
    public static final String PART_OF_LABEL = PlatformLabels.PART_OF;
    /** {@link PlatformLabels#MKPLAT}; new code names {@link PlatformLabels} itself. */
    public static final String MKPLAT = PlatformLabels.MKPLAT;
    /** Marks objects that belong to one storage mode only. */
    public static final String STORAGE_LABEL = "mkplat.dev/storage";
    /**
     * Marks objects that serve Application Default Credentials in storage mode gcs (the metadata
     * server's egress): kept only when mkplat.yaml names no {@code storage.credentialsFile}.
     */
    static final String GCS_CREDENTIALS_LABEL = "mkplat.dev/gcs-credentials";

    static final String METADATA_SERVER = "metadata-server";
    /** The component that holds the monitoring objects (ServiceMonitors, dashboards). */
    public static final String MONITORING = "monitoring";

    // Storage mode gcs mounts nothing extra: the bundle's images Deployment already mounts the
    // optional Secret gcs-credentials at this directory; the ConfigMap override points at the key.
    static final String GCS_CREDENTIALS_DIR = "/var/run/secrets/gcs";
    /** On pod templates: the digest of the service image, when it is pinned but not named in the reference ({@link ImagePins.Pin#inReference()}). */
    public static final String IMAGE_DIGEST_ANNOTATION = "mkplat.dev/image-digest";
    /** On pod templates: a hash of the ConfigMaps the pods read, so a settings change rolls them. */
    public static final String CONFIG_HASH_ANNOTATION = "mkplat.dev/config-hash";

    private static final String DB_POOL_SIZE = "DB_POOL_SIZE";
    private static final String MAX_CONNECTIONS = "max_connections=";
    /** Postgres' superuser_reserved_connections (3) and a few for an operator's psql or a migration. */
    private static final int DATABASE_RESERVE = 8;

    static final String GCS_CREDENTIALS_FILE = GCS_CREDENTIALS_DIR + "/key.json";
    /** The services that trace, each with its settings in the ConfigMap {@code <name>-config} of the namespace {@code <name>}. */
    static final List<String> TRACED_SERVICES = List.of("api", "auth", "images");
    /** The NetworkPolicy that lets a traced service reach the tracing endpoint. */
    public static final String TRACING_EGRESS_POLICY = "allow-egress-to-tracing";
    /** The NetworkPolicy that lets Grafana reach the log and trace stores of mkplat.yaml's logs:. */
    public static final String GRAFANA_LOGS_EGRESS_POLICY = "grafana-allow-egress-to-logs";

    static final String OTLP_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
    static final String TRACES_SAMPLER = "OTEL_TRACES_SAMPLER";
    static final String TRACES_SAMPLER_ARG = "OTEL_TRACES_SAMPLER_ARG";

    /** The bundle's own image references: {@code mkplat/api:0.1.0}. */
    private static final Pattern BUNDLED_IMAGE = Pattern.compile("mkplat/([a-z0-9-]+):[^/]+");
    /** The hosts the bundle's Ingresses use. */
    private static final PlatformConfig.Hosts BUNDLED_HOSTS =
            PlatformConfig.Hosts.defaults(PlatformConfig.DEFAULT_DOMAIN);

    private PlatformRenderer() {}

    /** Renders the bundle with the configuration's overrides, the service images by tag. */
    public static RenderedPlatform render(ManifestBundle bundle, PlatformConfig config) {
        return render(bundle, config, ImagePins.NONE);
    }

    /** Renders the bundle with the configuration's overrides, the service images pinned where {@code pins} has a digest. */
    public static RenderedPlatform render(ManifestBundle bundle, PlatformConfig config, ImagePins pins) {
        List<HasMetadata> rendered = new ArrayList<>();
        for (HasMetadata original : bundle.objects()) {
            if (!inStorageMode(original, config.storage())) {
                continue;
            }
            if (!config.monitoring().enabled() && MONITORING.equals(RenderedPlatform.componentOf(original))) {
                continue;
            }
            HasMetadata object = KubernetesYaml.copy(original);
            label(object);
            switch (object) {
                case Deployment deployment -> images(deployment.getSpec().getTemplate(), config, pins);
                case StatefulSet statefulSet -> images(statefulSet.getSpec().getTemplate(), config, pins);
                case DaemonSet daemonSet -> images(daemonSet.getSpec().getTemplate(), config, pins);
                case HorizontalPodAutoscaler autoscaler -> {
                    autoscaler.getSpec().setMinReplicas(config.replicas().min());
                    autoscaler.getSpec().setMaxReplicas(config.replicas().max());
                }
                case Ingress ingress -> hosts(ingress, config.hosts());
                case ConfigMap configMap -> {
                    imagesSettings(configMap, config);
                    tracingSettings(configMap, config.traces());
                }
                default -> {}
            }
            rendered.add(object);
        }
        if (config.monitoring().enabled()) {
            List<String> workloadNamespaces = rendered.stream()
                    .filter(object -> object instanceof Deployment
                            || object instanceof StatefulSet
                            || object instanceof DaemonSet)
                    .map(object -> object.getMetadata().getNamespace())
                    .distinct()
                    .toList();
            for (HasMetadata rules : SloRules.render(config.slos(), workloadNamespaces)) {
                label(rules);
                rendered.add(rules);
            }
        }
        config.traces().endpoint().ifPresent(endpoint -> {
            for (String service : TRACED_SERVICES) {
                if (rendered.stream()
                        .anyMatch(object -> object instanceof ConfigMap && isSettingsOf(object, service))) {
                    NetworkPolicy policy = tracingEgress(service, endpoint);
                    label(policy);
                    rendered.add(policy);
                }
            }
        });
        if (config.monitoring().enabled()) {
            grafanaEgress(config.logs()).ifPresent(policy -> {
                label(policy);
                rendered.add(policy);
            });
        }
        sizeDatabaseConnections(rendered, config.replicas().max());
        stampConfigHashes(rendered);
        return new RenderedPlatform(rendered);
    }

    /**
     * Raises Postgres' {@code max_connections} when the services' pools could need more than the
     * bundle allows: every service with a {@code DB_POOL_SIZE} can run {@code replicas.max} pods
     * plus one more during a rollout (maxSurge 1), each holding a full pool. Without this, raising
     * replicas.max would leave the newest pods unable to connect exactly when the load is highest.
     * The bundle's value is kept when it is enough.
     */
    private static void sizeDatabaseConnections(List<HasMetadata> rendered, int maxReplicas) {
        int needed = DATABASE_RESERVE;
        for (HasMetadata object : rendered) {
            if (object instanceof ConfigMap configMap
                    && configMap.getData() != null
                    && configMap.getData().containsKey(DB_POOL_SIZE)) {
                needed += (maxReplicas + 1)
                        * Integer.parseInt(configMap.getData().get(DB_POOL_SIZE).strip());
            }
        }
        for (HasMetadata object : rendered) {
            if (object instanceof StatefulSet statefulSet
                    && "postgres".equals(statefulSet.getMetadata().getName())) {
                for (Container container :
                        statefulSet.getSpec().getTemplate().getSpec().getContainers()) {
                    List<String> args = container.getArgs();
                    for (int i = 0; args != null && i < args.size(); i++) {
                        if (args.get(i).startsWith(MAX_CONNECTIONS)
                                && Integer.parseInt(args.get(i).substring(MAX_CONNECTIONS.length())) < needed) {
                            args.set(i, MAX_CONNECTIONS + needed);
                        }
                    }
                }
            }
        }
    }

    /**
     * Annotates each pod template with a hash of the ConfigMaps its pods read, so that a changed
     * setting rolls the pods: environment variables are read only when a container starts, and
     * an unchanged template would leave the old values running.
     */
    private static void stampConfigHashes(List<HasMetadata> rendered) {
        Map<String, String> configHashes = new LinkedHashMap<>();
        for (HasMetadata object : rendered) {
            if (object instanceof ConfigMap configMap) {
                configHashes.put(
                        configMap.getMetadata().getNamespace() + "/"
                                + configMap.getMetadata().getName(),
                        sha256(String.valueOf(
                                new TreeMap<>(configMap.getData() == null ? Map.of() : configMap.getData()))));
            }
        }
        for (HasMetadata object : rendered) {
            PodTemplateSpec template = switch (object) {
                case Deployment deployment -> deployment.getSpec().getTemplate();
                case StatefulSet statefulSet -> statefulSet.getSpec().getTemplate();
                case DaemonSet daemonSet -> daemonSet.getSpec().getTemplate();
                default -> null;
            };
            if (template == null) {
                continue;
            }
            SortedSet<String> read = new TreeSet<>();
            String namespace = object.getMetadata().getNamespace();
            PodSpec pod = template.getSpec();
            for (List<Container> containers : List.of(pod.getContainers(), pod.getInitContainers())) {
                for (Container container : containers) {
                    container.getEnvFrom().stream()
                            .filter(from -> from.getConfigMapRef() != null)
                            .forEach(from -> read.add(
                                    namespace + "/" + from.getConfigMapRef().getName()));
                    container.getEnv().stream()
                            .filter(env -> env.getValueFrom() != null
                                    && env.getValueFrom().getConfigMapKeyRef() != null)
                            .forEach(env -> read.add(namespace + "/"
                                    + env.getValueFrom().getConfigMapKeyRef().getName()));
                }
            }
            pod.getVolumes().stream()
                    .filter(volume -> volume.getConfigMap() != null)
                    .forEach(volume ->
                            read.add(namespace + "/" + volume.getConfigMap().getName()));
            StringBuilder combined = new StringBuilder();
            for (String name : read) {
                String hash = configHashes.get(name);
                if (hash != null) {
                    combined.append(name).append('=').append(hash).append('\n');
                }
            }
            if (combined.isEmpty()) {
                continue;
            }
            if (template.getMetadata() == null) {
                template.setMetadata(new ObjectMeta());
            }
            Map<String, String> annotations = template.getMetadata().getAnnotations() == null
                    ? new LinkedHashMap<>()
                    : new LinkedHashMap<>(template.getMetadata().getAnnotations());
            annotations.put(CONFIG_HASH_ANNOTATION, sha256(combined.toString()).substring(0, 16));
            template.getMetadata().setAnnotations(annotations);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    private static boolean inStorageMode(HasMetadata object, PlatformConfig.Storage storage) {
        Map<String, String> labels = object.getMetadata().getLabels();
        String only = labels == null ? null : labels.get(STORAGE_LABEL);
        boolean metadataServer = labels != null && METADATA_SERVER.equals(labels.get(GCS_CREDENTIALS_LABEL));
        return (only == null || only.equals(storage.mode().yamlName()))
                && !(metadataServer && storage.credentialsFile().isPresent());
    }

    private static void label(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels() == null
                ? new LinkedHashMap<>()
                : new LinkedHashMap<>(object.getMetadata().getLabels());
        labels.put(PlatformLabels.MANAGED_BY, PlatformLabels.MKPLAT);
        labels.put(PlatformLabels.PART_OF, PlatformLabels.MKPLAT);
        object.getMetadata().setLabels(labels);
    }

    private static void images(PodTemplateSpec template, PlatformConfig config, ImagePins pins) {
        PodSpec pod = template.getSpec();
        for (List<Container> containers : List.of(pod.getContainers(), pod.getInitContainers())) {
            for (Container container : containers) {
                Matcher bundled = container.getImage() == null ? null : BUNDLED_IMAGE.matcher(container.getImage());
                if (bundled == null || !bundled.matches()) {
                    continue;
                }
                String reference = config.images().reference(bundled.group(1));
                ImagePins.Pin pin = pins.byService().get(bundled.group(1));
                if (pin != null && pin.inReference()) {
                    reference += "@" + pin.digest();
                } else if (pin != null) {
                    if (template.getMetadata() == null) {
                        template.setMetadata(new ObjectMeta());
                    }
                    Map<String, String> annotations = template.getMetadata().getAnnotations() == null
                            ? new LinkedHashMap<>()
                            : new LinkedHashMap<>(template.getMetadata().getAnnotations());
                    annotations.put(IMAGE_DIGEST_ANNOTATION, pin.digest());
                    template.getMetadata().setAnnotations(annotations);
                }
                container.setImage(reference);
            }
        }
    }

    private static void hosts(Ingress ingress, PlatformConfig.Hosts hosts) {
        if (ingress.getSpec().getRules() != null) {
            for (IngressRule rule : ingress.getSpec().getRules()) {
                rule.setHost(host(rule.getHost(), hosts));
            }
        }
        if (ingress.getSpec().getTls() != null) {
            for (IngressTLS tls : ingress.getSpec().getTls()) {
                tls.setHosts(
                        tls.getHosts().stream().map(host -> host(host, hosts)).toList());
            }
        }
    }

    private static String host(String bundled, PlatformConfig.Hosts hosts) {
        if (bundled == null) {
            return null;
        }
        List<String> from = BUNDLED_HOSTS.all();
        List<String> to = hosts.all();
        int index = from.indexOf(bundled);
        return index < 0 ? bundled : to.get(index);
    }

    /**
     * A traced service's settings with a tracing endpoint: the standard OpenTelemetry variables,
     * the sampler parent-based with the configured ratio for the traces that start there.
     */
    private static void tracingSettings(ConfigMap configMap, PlatformConfig.Traces traces) {
        if (traces.endpoint().isEmpty()
                || TRACED_SERVICES.stream().noneMatch(service -> isSettingsOf(configMap, service))) {
            return;
        }
        Map<String, String> settings =
                configMap.getData() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(configMap.getData());
        settings.put(OTLP_ENDPOINT, traces.endpoint().get().toString());
        settings.put(TRACES_SAMPLER, "parentbased_traceidratio");
        settings.put(
                TRACES_SAMPLER_ARG,
                BigDecimal.valueOf(traces.sampleRatio()).stripTrailingZeros().toPlainString());
        configMap.setData(settings);
    }

    private static boolean isSettingsOf(HasMetadata object, String service) {
        return service.equals(object.getMetadata().getNamespace())
                && (service + "-config").equals(object.getMetadata().getName());
    }

    /**
     * Every namespace denies egress by default: this lets the service's pods open connections to
     * the endpoint's port, anywhere, since a collector may run in any namespace or outside the cluster.
     */
    private static NetworkPolicy tracingEgress(String service, URI endpoint) {
        int port = port(endpoint);
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(TRACING_EGRESS_POLICY)
                .withNamespace(service)
                .addToLabels("app.kubernetes.io/name", service)
                .addToLabels("app.kubernetes.io/component", "network-policy")
                .endMetadata()
                .withNewSpec()
                .withNewPodSelector()
                .addToMatchLabels("app.kubernetes.io/name", service)
                .endPodSelector()
                .withPolicyTypes("Egress")
                .addNewEgress()
                .addNewPort()
                .withProtocol("TCP")
                .withNewPort(port)
                .endPort()
                .endEgress()
                .endSpec()
                .build();
    }

    /**
     * The monitoring namespace denies egress by default, and Grafana calls its data sources itself
     * (access proxy): with a log or trace store in mkplat.yaml, this lets Grafana's pods reach
     * their ports, anywhere, since either may run in any namespace or outside the cluster.
     */
    private static Optional<NetworkPolicy> grafanaEgress(PlatformConfig.Logs logs) {
        Set<Integer> ports = new TreeSet<>();
        logs.loki().ifPresent(url -> ports.add(port(url)));
        logs.traceStore().ifPresent(store -> ports.add(port(store.url())));
        if (ports.isEmpty()) {
            return Optional.empty();
        }
        NetworkPolicyEgressRule rule = new NetworkPolicyEgressRule();
        rule.setPorts(ports.stream()
                .map(port -> new NetworkPolicyPortBuilder()
                        .withProtocol("TCP")
                        .withNewPort(port)
                        .build())
                .toList());
        return Optional.of(new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(GRAFANA_LOGS_EGRESS_POLICY)
                .withNamespace(MONITORING)
                .addToLabels("app.kubernetes.io/name", MONITORING)
                .addToLabels("app.kubernetes.io/component", "network-policy")
                .endMetadata()
                .withNewSpec()
                .withNewPodSelector()
                .addToMatchLabels("app.kubernetes.io/name", "grafana")
                .endPodSelector()
                .withPolicyTypes("Egress")
                .withEgress(rule)
                .endSpec()
                .build());
    }

    /** A URL's port, or its scheme's. */
    private static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    }

    /** The images service's settings: the bucket always; by mode the emulator address, or the key file when there is one. */
    private static void imagesSettings(ConfigMap configMap, PlatformConfig config) {
        Map<String, String> data = configMap.getData();
        if (data == null || !data.containsKey("GCS_BUCKET")) {
            return;
        }
        Map<String, String> settings = new LinkedHashMap<>(data);
        settings.put("GCS_BUCKET", config.storage().bucket());
        if (config.storage().mode() == StorageMode.GCS) {
            settings.remove("GCS_EMULATOR_HOST");
            if (config.storage().credentialsFile().isPresent()) {
                settings.put("GCS_CREDENTIALS_FILE", GCS_CREDENTIALS_FILE);
            }
        }
        configMap.setData(settings);
    }
}
