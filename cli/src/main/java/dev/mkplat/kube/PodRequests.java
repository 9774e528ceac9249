package dev.mkplat.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * CPU and memory requests, as the scheduler adds them up: per pod the larger of its containers'
 * sum and its largest init container, per workload times its replicas.
 *
 * @param cpuMillis   CPU in millicores
 * @param memoryBytes memory in bytes
 */
public record PodRequests(long cpuMillis, long memoryBytes) {
    public static final PodRequests NONE = new PodRequests(0, 0);

    public PodRequests plus(PodRequests other) {
        return new PodRequests(cpuMillis + other.cpuMillis, memoryBytes + other.memoryBytes);
    }

    public PodRequests minus(PodRequests other) {
        return new PodRequests(cpuMillis - other.cpuMillis, memoryBytes - other.memoryBytes);
    }

    public PodRequests times(int count) {
        return new PodRequests(cpuMillis * count, memoryBytes * count);
    }

    /** Whether {@code needed} fits in this much room. */
    public boolean fits(PodRequests needed) {
        return needed.cpuMillis <= cpuMillis && needed.memoryBytes <= memoryBytes;
    }

    /** For people: {@code 1050m CPU, 3540 MiB}. */
    @Override
    public String toString() {
        return cpuMillis + "m CPU, " + (memoryBytes >> 20) + " MiB";
    }

    /** The requests of one pod with this spec. */
    public static PodRequests of(PodSpec spec) {
        PodRequests containers =
                spec.getContainers().stream().map(PodRequests::of).reduce(NONE, PodRequests::plus);
        PodRequests init = Optional.ofNullable(spec.getInitContainers()).orElse(List.of()).stream()
                .map(PodRequests::of)
                .reduce(
                        NONE,
                        (a, b) -> new PodRequests(
                                Math.max(a.cpuMillis, b.cpuMillis), Math.max(a.memoryBytes, b.memoryBytes)));
        return new PodRequests(
                Math.max(containers.cpuMillis, init.cpuMillis), Math.max(containers.memoryBytes, init.memoryBytes));
    }

    static PodRequests of(Container container) {
        Map<String, Quantity> requests = Optional.ofNullable(container.getResources())
                .map(ResourceRequirements::getRequests)
                .orElse(Map.of());
        return new PodRequests(millis(requests.get("cpu")), bytes(requests.get("memory")));
    }

    static long millis(Quantity quantity) {
        return quantity == null
                ? 0
                : Quantity.getAmountInBytes(quantity)
                        .movePointRight(3)
                        .setScale(0, RoundingMode.CEILING)
                        .longValueExact();
    }

    static long bytes(Quantity quantity) {
        return quantity == null
                ? 0
                : Quantity.getAmountInBytes(quantity)
                        .setScale(0, RoundingMode.CEILING)
                        .longValueExact();
    }

    /**
     * What the Deployments and StatefulSets among {@code objects} request together, with each
     * HorizontalPodAutoscaler's target at its minimum and at its maximum replicas.
     *
     * @param atMin with every autoscaled workload at minReplicas, the others at their replicas
     * @param atMax with every autoscaled workload at maxReplicas
     */
    public record Workloads(PodRequests atMin, PodRequests atMax) {
        public static Workloads of(List<HasMetadata> objects) {
            Map<String, HorizontalPodAutoscaler> autoscalers = new HashMap<>();
            for (HasMetadata object : objects) {
                if (object instanceof HorizontalPodAutoscaler hpa) {
                    autoscalers.put(
                            key(
                                    hpa.getMetadata().getNamespace(),
                                    hpa.getSpec().getScaleTargetRef().getKind(),
                                    hpa.getSpec().getScaleTargetRef().getName()),
                            hpa);
                }
            }
            PodRequests atMin = NONE;
            PodRequests atMax = NONE;
            for (HasMetadata object : objects) {
                PodSpec pod;
                Integer replicas;
                if (object instanceof Deployment deployment) {
                    pod = deployment.getSpec().getTemplate().getSpec();
                    replicas = deployment.getSpec().getReplicas();
                } else if (object instanceof StatefulSet statefulSet) {
                    pod = statefulSet.getSpec().getTemplate().getSpec();
                    replicas = statefulSet.getSpec().getReplicas();
                } else {
                    continue;
                }
                PodRequests one = PodRequests.of(pod);
                HorizontalPodAutoscaler hpa = autoscalers.get(key(
                        object.getMetadata().getNamespace(),
                        object.getKind(),
                        object.getMetadata().getName()));
                int fixed = replicas == null ? 1 : replicas;
                int min = hpa == null
                        ? fixed
                        : Optional.ofNullable(hpa.getSpec().getMinReplicas()).orElse(1);
                int max = hpa == null ? fixed : hpa.getSpec().getMaxReplicas();
                atMin = atMin.plus(one.times(min));
                atMax = atMax.plus(one.times(max));
            }
            return new Workloads(atMin, atMax);
        }

        private static String key(String namespace, String kind, String name) {
            return namespace + "/" + kind + "/" + name;
        }
    }
}
