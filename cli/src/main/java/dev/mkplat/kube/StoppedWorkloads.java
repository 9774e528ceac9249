package dev.mkplat.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scaling a workload of the platform to zero and back, for {@code chaos stop}. The replica count it
 * had is written into an annotation on the workload before it is scaled down, so that it can be
 * restored by this run, by its shutdown hook, or after a crash by the next run or {@code chaos
 * revert}. A HorizontalPodAutoscaler needs nothing: Kubernetes disables an autoscaler whose target
 * is at zero replicas and resumes it when the target is scaled up again, so its spec is left as it
 * is (and reported, so that a test can hold this to be true).
 */
public final class StoppedWorkloads {
    /** The replica count before the stop; its presence marks a stopped workload. */
    static final String REPLICAS_ANNOTATION = "mkplat.dev/chaos-replicas";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final KubernetesClient client;

    public StoppedWorkloads(Cluster cluster) {
        this.client = cluster.client();
    }

    /**
     * A workload that chaos stopped.
     *
     * @param ref      the workload
     * @param replicas how many replicas it had, to restore
     * @param expires  when it was due back
     */
    public record Stopped(ObjectRef ref, int replicas, Instant expires) {}

    /**
     * An autoscaler over a workload, as its spec says.
     *
     * @param name the autoscaler
     * @param min  its minReplicas
     * @param max  its maxReplicas
     */
    public record Autoscaler(String name, int min, int max) {}

    /** The workload's spec replicas now; empty when it does not exist or is not part of the platform. */
    public Optional<Integer> replicas(String kind, String namespace, String name) {
        return PlatformWorkloads.find(client, kind, namespace, name).map(PlatformWorkloads::replicas);
    }

    /** The autoscalers whose target is this workload. */
    public List<Autoscaler> autoscalers(String kind, String namespace, String name) {
        List<Autoscaler> found = new ArrayList<>();
        for (HorizontalPodAutoscaler hpa : client.autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace(namespace)
                .list()
                .getItems()) {
            var target = hpa.getSpec().getScaleTargetRef();
            if (kind.equals(target.getKind()) && name.equals(target.getName())) {
                found.add(new Autoscaler(
                        hpa.getMetadata().getName(),
                        hpa.getSpec().getMinReplicas() == null
                                ? 1
                                : hpa.getSpec().getMinReplicas(),
                        hpa.getSpec().getMaxReplicas()));
            }
        }
        return found;
    }

    /** The stop mark on this workload, left by a run that has not restored it (yet). */
    public Optional<Stopped> stopped(String kind, String namespace, String name) {
        return PlatformWorkloads.find(client, kind, namespace, name).flatMap(StoppedWorkloads::mark);
    }

    /** Every stopped workload in these namespaces. */
    public List<Stopped> all(List<String> namespaces) {
        List<Stopped> stopped = new ArrayList<>();
        for (String namespace : namespaces) {
            client.apps()
                    .deployments()
                    .inNamespace(namespace)
                    .withLabel(ComponentPods.PART_OF, ComponentPods.MKPLAT)
                    .list()
                    .getItems()
                    .forEach(workload -> mark(workload).ifPresent(stopped::add));
            client.apps()
                    .statefulSets()
                    .inNamespace(namespace)
                    .withLabel(ComponentPods.PART_OF, ComponentPods.MKPLAT)
                    .list()
                    .getItems()
                    .forEach(workload -> mark(workload).ifPresent(stopped::add));
        }
        return stopped;
    }

    /**
     * Records the replica count (unless a mark is already there: then the count from before the
     * first stop stays), then scales to zero.
     *
     * @return the mark, with the count that restore will set
     */
    public Stopped stop(String kind, String namespace, String name, Instant expires) {
        HasMetadata live = PlatformWorkloads.find(client, kind, namespace, name)
                .orElseThrow(() -> new IllegalStateException(kind + " " + namespace + "/" + name + " is gone"));
        Stopped mark =
                mark(live).orElseGet(() -> new Stopped(ObjectRef.of(live), PlatformWorkloads.replicas(live), expires));
        Stopped recorded = new Stopped(mark.ref(), mark.replicas(), expires);
        annotate(
                kind,
                namespace,
                name,
                Map.of(
                        REPLICAS_ANNOTATION,
                        String.valueOf(recorded.replicas()),
                        NetworkPartitions.EXPIRES_ANNOTATION,
                        expires.toString()));
        scale(kind, namespace, name, 0);
        return recorded;
    }

    /** Scales back to the recorded count, then removes the mark. Safe to run twice. */
    public void restore(Stopped stopped) {
        ObjectRef ref = stopped.ref();
        if (PlatformWorkloads.find(client, ref.kind(), ref.namespace(), ref.name())
                .flatMap(StoppedWorkloads::mark)
                .isEmpty()) {
            return;
        }
        scale(ref.kind(), ref.namespace(), ref.name(), stopped.replicas());
        Map<String, String> removed = new HashMap<>();
        removed.put(REPLICAS_ANNOTATION, null);
        removed.put(NetworkPartitions.EXPIRES_ANNOTATION, null);
        annotate(ref.kind(), ref.namespace(), ref.name(), removed);
    }

    private void scale(String kind, String namespace, String name, int replicas) {
        switch (kind) {
            case "Deployment" ->
                client.apps()
                        .deployments()
                        .inNamespace(namespace)
                        .withName(name)
                        .scale(replicas);
            case "StatefulSet" ->
                client.apps()
                        .statefulSets()
                        .inNamespace(namespace)
                        .withName(name)
                        .scale(replicas);
            default -> throw new IllegalArgumentException("cannot scale a " + kind);
        }
    }

    /** Sets (or, with a null value, removes) annotations by a JSON merge patch, leaving everything else alone. */
    private void annotate(String kind, String namespace, String name, Map<String, String> annotations) {
        String patch = JSON.writeValueAsString(Map.of("metadata", Map.of("annotations", annotations)));
        var merge =
                new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).build();
        switch (kind) {
            case "Deployment" ->
                client.apps()
                        .deployments()
                        .inNamespace(namespace)
                        .withName(name)
                        .patch(merge, patch);
            case "StatefulSet" ->
                client.apps()
                        .statefulSets()
                        .inNamespace(namespace)
                        .withName(name)
                        .patch(merge, patch);
            default -> throw new IllegalArgumentException("cannot annotate a " + kind);
        }
    }

    private static Optional<Stopped> mark(HasMetadata workload) {
        Map<String, String> annotations = workload.getMetadata().getAnnotations();
        if (annotations == null || !annotations.containsKey(REPLICAS_ANNOTATION)) {
            return Optional.empty();
        }
        int replicas;
        try {
            replicas = Integer.parseInt(annotations.get(REPLICAS_ANNOTATION).trim());
        } catch (NumberFormatException e) {
            replicas = 1; // someone edited it: one replica is the least that brings the component back
        }
        Instant expires = annotations.containsKey(NetworkPartitions.EXPIRES_ANNOTATION)
                ? Instant.parse(annotations.get(NetworkPartitions.EXPIRES_ANNOTATION))
                : Instant.EPOCH;
        return Optional.of(new Stopped(ObjectRef.of(workload), replicas, expires));
    }
}
