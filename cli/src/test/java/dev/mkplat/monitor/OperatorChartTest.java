package dev.mkplat.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import dev.mkplat.kube.ObjectRef;
import dev.mkplat.render.ManifestBundle;
import dev.mkplat.render.StackChart;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart that stands in for kube-prometheus-stack on the real node (MonitoringOnRealNodeIT),
 * rendered by the embedded Helm as the release mkplat installs: its Prometheus is where
 * {@code monitor targets} looks by default, selects every ServiceMonitor, and its pods are those
 * mkplat's NetworkPolicies let scrape the services.
 */
class OperatorChartTest {
    private static final String OPERATOR_LABEL = "operator.prometheus.io/name";

    private final StackChart stack = StackChart.bundled();

    @Test
    void itsPrometheusServiceIsWhereMonitorTargetsAsks() throws URISyntaxException {
        List<HasMetadata> objects = render();
        Service service = objects.stream()
                .filter(Service.class::isInstance)
                .map(Service.class::cast)
                .findFirst()
                .orElseThrow();
        PrometheusService target = PrometheusService.STACK;

        assertThat(service.getMetadata().getName()).isEqualTo(target.name());
        assertThat(service.getMetadata().getNamespace()).isEqualTo(target.namespace());
        assertThat(service.getSpec().getPorts())
                .anySatisfy(port -> assertThat(port.getName()).isEqualTo(target.port()));
        GenericKubernetesResource prometheus = prometheus(objects);
        // The operator labels the pods of a Prometheus with its name; the Service selects them by it.
        assertThat(service.getSpec().getSelector())
                .containsEntry(OPERATOR_LABEL, prometheus.getMetadata().getName())
                .containsEntry("app.kubernetes.io/name", "prometheus");
    }

    @Test
    void itsPrometheusSelectsTheServiceMonitorsOfEveryNamespace() throws URISyntaxException {
        Map<String, Object> spec = spec(prometheus(render()));

        assertThat(spec)
                .containsEntry("serviceMonitorSelector", Map.of())
                .containsEntry("serviceMonitorNamespaceSelector", Map.of());
        assertThat(TargetChecks.platformMonitors(ManifestBundle.bundled()))
                .extracting(ObjectRef::namespace)
                .containsOnly(stack.namespace());
    }

    @Test
    void itsPrometheusPodsAreThoseTheNetworkPoliciesLetScrape() throws URISyntaxException {
        Service service = render().stream()
                .filter(Service.class::isInstance)
                .map(Service.class::cast)
                .findFirst()
                .orElseThrow();
        NetworkPolicy egress = ManifestBundle.bundled().objects().stream()
                .filter(NetworkPolicy.class::isInstance)
                .map(NetworkPolicy.class::cast)
                .filter(policy -> "prometheus-allow-egress-to-targets"
                        .equals(policy.getMetadata().getName()))
                .findFirst()
                .orElseThrow();

        assertThat(service.getSpec().getSelector())
                .containsAllEntriesOf(egress.getSpec().getPodSelector().getMatchLabels());
    }

    private List<HasMetadata> render() throws URISyntaxException {
        Path chart = Path.of(OperatorChartTest.class
                        .getResource("/dev/mkplat/monitor/operator-chart/Chart.yaml")
                        .toURI())
                .getParent();
        String yaml = new Helm(chart)
                .template()
                .withName(stack.release())
                .withNamespace(stack.namespace())
                .call();
        return Serialization.unmarshal(yaml);
    }

    private static GenericKubernetesResource prometheus(List<HasMetadata> objects) {
        return objects.stream()
                .filter(object -> "Prometheus".equals(object.getKind()))
                .map(GenericKubernetesResource.class::cast)
                .findFirst()
                .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }
}
