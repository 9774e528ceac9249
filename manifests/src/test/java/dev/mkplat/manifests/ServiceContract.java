package dev.mkplat.manifests;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the manifests assume about the three services, in one place: ports, probe paths, the
 * environment variables each one reads, the hosts, and the metric names the dashboards use. A
 * later step compares these with the services' own constants; until then the tests compare the
 * manifests with this table, and the table with each service's application.yaml when it exists.
 */
final class ServiceContract {
    static final String LIVENESS_PATH = "/healthz";
    static final String READINESS_PATH = "/readyz";
    static final String METRICS_PATH = "/metrics";
    /** Every service serves /metrics on this port of its own (metrics.port in application.yaml), never on the http port. */
    static final int METRICS_PORT = 9464;

    static final long RUN_AS_USER = 10001;

    /** One platform service. */
    record Service(String name, int port, String host, Set<String> env) {
        /** The namespace, Deployment, Service, ConfigMap prefix and job label all carry the name. */
        String namespace() {
            return name;
        }
    }

    private static final Set<String> DB =
            Set.of("DB_URL", "DB_USER", "DB_PASSWORD", "DB_POOL_SIZE", "DB_CONNECT_TIMEOUT", "DB_QUERY_TIMEOUT");
    private static final Set<String> AUTH_CLIENT = Set.of("AUTH_URL", "AUTH_TIMEOUT", "AUTH_CACHE_TTL");

    static final Service API =
            new Service("api", 3000, "api.test", union(Set.of("SERVER_PORT", "LOG_LEVEL"), DB, AUTH_CLIENT));
    static final Service AUTH = new Service(
            "auth",
            5000,
            "auth.test",
            union(
                    Set.of(
                            "SERVER_PORT",
                            "LOG_LEVEL",
                            "REDIS_HOST",
                            "REDIS_PORT",
                            "REDIS_PASSWORD",
                            "REDIS_TIMEOUT",
                            "SESSION_TTL",
                            "LOGIN_MAX_FAILURES",
                            "LOGIN_MAX_USER_FAILURES",
                            "LOGIN_WINDOW",
                            "LOGIN_LOCKOUT",
                            "TRUST_FORWARDED"),
                    DB));
    static final Service IMAGES = new Service(
            "images",
            8080,
            "images.test",
            union(
                    Set.of(
                            "SERVER_PORT",
                            "LOG_LEVEL",
                            "GCS_BUCKET",
                            "GCS_PROJECT_ID",
                            "GCS_EMULATOR_HOST",
                            "GCS_CREDENTIALS_FILE",
                            "IMAGES_MAX_SIZE"),
                    AUTH_CLIENT));

    static final List<Service> SERVICES = List.of(API, AUTH, IMAGES);

    /** Read by logback (services/common's logback.xml), not through the Helidon config. */
    static final Set<String> LOGBACK_ENV = Set.of("LOG_LEVEL");

    /** Environment variables set only in one storage mode, by the renderer rather than the bundle. */
    static final Map<String, String> RENDERER_ONLY_ENV = Map.of("GCS_CREDENTIALS_FILE", "storage mode gcs");

    /** Where the services reach their dependencies (the values the ConfigMaps must hold). */
    static final Map<String, String> ENDPOINTS = Map.of(
            "api.DB_URL", "jdbc:postgresql://postgres.db.svc.cluster.local:5432/api",
            "auth.DB_URL", "jdbc:postgresql://postgres.db.svc.cluster.local:5432/auth",
            "api.AUTH_URL", "http://auth.auth.svc.cluster.local:5000",
            "images.AUTH_URL", "http://auth.auth.svc.cluster.local:5000",
            "auth.REDIS_HOST", "redis.infra.svc.cluster.local",
            "auth.REDIS_PORT", "6379",
            "images.GCS_EMULATOR_HOST", "http://gcs.infra.svc.cluster.local:4443");

    /** Metric families the services export (the services issue), without _bucket/_sum/_count. */
    static final Set<String> SERVICE_METRICS = Set.of(
            "http_server_request_duration_seconds",
            "db_query_duration_seconds",
            "items_created_total",
            "auth_logins_total",
            "auth_lockouts_total",
            "images_uploaded_total",
            "images_upload_bytes_total");

    /** Series every Prometheus target has. */
    static final Set<String> PROMETHEUS_SERIES = Set.of("up");

    private ServiceContract() {}

    static Service service(String name) {
        return SERVICES.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    /** Helidon's mapping of an environment variable to its config key: DB_POOL_SIZE is db.pool.size. */
    static String configKey(String envVar) {
        return envVar.toLowerCase(java.util.Locale.ROOT).replace('_', '.');
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new TreeSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return Set.copyOf(all);
    }
}
