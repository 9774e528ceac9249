package dev.mkplat.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.kube.PodRequests;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.render.PlatformRenderer;
import dev.mkplat.render.StackChart;
import org.junit.jupiter.api.Test;

/**
 * What the monitoring stack requests, and the promise of the README: the platform fits a default
 * minikube (2 CPUs, 4000 MiB, less minikube's own pods: 1050m and 3540 MiB) at replicas.max, and
 * with monitoring at replicas.min with room left for the autoscalers.
 */
class MonitoringRequestsTest {
    private static final PodRequests DEFAULT_MINIKUBE_ROOM = new PodRequests(1050, 3540L << 20);
    private static final PodRequests ONE_SERVICE_POD = new PodRequests(50, 192L << 20);

    @Test
    void everyRequestInTheValuesCountsAndWhatTheChartAddsToo() {
        String values = """
                prometheus:
                  prometheusSpec:
                    resources:
                      requests: {cpu: 100m, memory: 512Mi}
                      limits: {memory: 1Gi}
                grafana:
                  sidecar:
                    resources:
                      requests: {cpu: 10m, memory: 64Mi}
                  resources:
                    requests: {cpu: "0.05", memory: 128Mi}
                """;

        // the sidecar's requests twice: the dashboards and the datasources sidecar
        assertThat(MonitoringRequests.of(values))
                .isEqualTo(new PodRequests(170, 768L << 20).plus(MonitoringRequests.CONFIG_RELOADERS));
    }

    @Test
    void theBundledStackRequests240mAnd1012Mib() {
        assertThat(MonitoringRequests.of(StackChart.bundled().values())).isEqualTo(new PodRequests(240, 1012L << 20));
    }

    @Test
    void theDefaultPlatformFitsADefaultMinikubeAtReplicasMax() {
        PodRequests.Workloads needs =
                PodRequests.Workloads.of(PlatformRenderer.render(ManifestBundle.bundled(), PlatformConfig.defaults())
                        .objects());

        assertThat(needs.atMin()).isEqualTo(new PodRequests(400, 1536L << 20));
        assertThat(needs.atMax()).isEqualTo(new PodRequests(850, 3264L << 20));
        assertThat(DEFAULT_MINIKUBE_ROOM.fits(needs.atMax())).isTrue();
    }

    @Test
    void withMonitoringReplicasMinFitsWithRoomForFiveMoreServicePods() {
        PodRequests atMin = PodRequests.Workloads.of(
                        PlatformRenderer.render(ManifestBundle.bundled(), PlatformConfig.defaults())
                                .objects())
                .atMin()
                .plus(MonitoringRequests.of(StackChart.bundled().values()));

        assertThat(DEFAULT_MINIKUBE_ROOM.fits(atMin.plus(ONE_SERVICE_POD.times(5))))
                .isTrue();
    }
}
