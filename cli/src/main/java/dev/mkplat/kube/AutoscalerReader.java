package dev.mkplat.kube;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatus;
import java.util.Objects;
import java.util.Optional;

/** Reads a HorizontalPodAutoscaler's status: current and desired replicas, and its CPU utilization when it has one. */
public final class AutoscalerReader {
    private final Cluster cluster;

    public AutoscalerReader(Cluster cluster) {
        this.cluster = cluster;
    }

    /**
     * @param current    replicas now
     * @param desired    replicas it wants
     * @param cpuPercent the average CPU utilization against the requests, when metrics-server reports one
     */
    public record AutoscalerState(int current, int desired, Optional<Integer> cpuPercent) {}

    /** The autoscaler's state, or empty when there is none of that name. */
    public Optional<AutoscalerState> read(String namespace, String name) {
        HorizontalPodAutoscaler autoscaler = cluster.client()
                .autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace(namespace)
                .withName(name)
                .get();
        if (autoscaler == null || autoscaler.getStatus() == null) {
            return Optional.empty();
        }
        var status = autoscaler.getStatus();
        Optional<Integer> cpu = status.getCurrentMetrics() == null
                ? Optional.empty()
                : status.getCurrentMetrics().stream()
                        .filter(metric -> metric.getResource() != null
                                && "cpu".equals(metric.getResource().getName()))
                        .map(MetricStatus::getResource)
                        .map(resource -> resource.getCurrent().getAverageUtilization())
                        .filter(Objects::nonNull)
                        .findFirst();
        return Optional.of(new AutoscalerState(
                status.getCurrentReplicas() == null ? 0 : status.getCurrentReplicas(),
                status.getDesiredReplicas() == null ? 0 : status.getDesiredReplicas(),
                cpu));
    }
}
