package dev.mkplat.config;

/**
 * The shape of {@code mkplat.yaml} as Jackson binds it: every value may be absent (null), and
 * nothing is validated yet. Unknown keys and wrong types fail here, with a location;
 * {@link PlatformConfigLoader} then fills in defaults and checks the values.
 */
record ConfigDocument(
        String domain,
        HostsSection hosts,
        ReplicasSection replicas,
        ImagesSection images,
        StorageSection storage,
        MonitoringSection monitoring,
        TimeoutsSection timeouts,
        SlosSection slos,
        TracingSection tracing,
        AlertingSection alerting,
        LogsSection logs) {

    record HostsSection(String api, String auth, String images, String monitoring) {}

    record ReplicasSection(Integer min, Integer max) {}

    record ImagesSection(String registry, String tag) {}

    record StorageSection(String mode, String bucket, String credentialsFile) {}

    record MonitoringSection(Boolean enabled, String chartVersion) {}

    record TimeoutsSection(String deploy, String stage) {}

    record SlosSection(SloSection api, SloSection auth, SloSection images) {}

    record SloSection(Double availability, LatencySection latency, String window) {}

    record LatencySection(Double percentile, String threshold) {}

    record TracingSection(String endpoint, Double sampleRatio) {}

    record AlertingSection(EmailSection email, WebhookSection webhook, String credentialsSecret) {}

    record EmailSection(String to, String from, String smarthost, String username, Boolean requireTls) {}

    record WebhookSection(Boolean sendResolved) {}

    record LogsSection(String loki, TraceStoreSection traceStore) {}

    record TraceStoreSection(String type, String url) {}
}
