package dev.mkplat.kube;

import dev.mkplat.core.PlatformLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way mkplat writes to a cluster: server-side apply with field manager {@value
 * #FIELD_MANAGER}, one {@link ApplyResult} per object. An apply that changes nothing is reported
 * {@link ApplyOutcome#UNCHANGED} (the apiserver keeps the resourceVersion and writes nothing to
 * etcd). A field another manager owns is a {@link ApplyOutcome#CONFLICT} naming that manager,
 * unless {@code forceConflicts} was asked for. Pruning deletes only objects that still carry
 * {@value PlatformLabels#MANAGED_BY}={@value PlatformLabels#MKPLAT}.
 */
public final class ResourceApplier {
    /** The field manager of every apply, so that the apiserver can tell mkplat's fields from others'. */
    public static final String FIELD_MANAGER = "mkplat";

    private final KubernetesClient client;
    private final boolean forceConflicts;

    public ResourceApplier(Cluster cluster, boolean forceConflicts) {
        this.client = cluster.client();
        this.forceConflicts = forceConflicts;
    }

    /** Applies one object; never throws for an apiserver refusal (that is a {@code FAILED} result). */
    public ApplyResult apply(HasMetadata desired) {
        ObjectRef ref = ObjectRef.of(desired);
        try {
            Resource<HasMetadata> resource = client.resource(desired);
            HasMetadata before = resource.get();
            var apply = client.resource(desired).fieldManager(FIELD_MANAGER);
            HasMetadata after = (forceConflicts ? apply.forceConflicts() : apply).serverSideApply();
            if (before == null) {
                return ApplyResult.of(ref, ApplyOutcome.CREATED);
            }
            boolean same = before.getMetadata()
                            .getResourceVersion()
                            .equals(after.getMetadata().getResourceVersion())
                    || (ownedFields(before).equals(ownedFields(after))
                            && ours(desired, before).equals(ours(desired, after)));
            return ApplyResult.of(ref, same ? ApplyOutcome.UNCHANGED : ApplyOutcome.CONFIGURED);
        } catch (KubernetesClientException e) {
            return refused(ref, e);
        }
    }

    /**
     * The fields mkplat's applies own, as the apiserver records them. An apply that changes
     * nothing leaves them alone; one that adds or drops a field changes them.
     */
    private static String ownedFields(HasMetadata object) {
        return object.getMetadata().getManagedFields().stream()
                .filter(entry -> FIELD_MANAGER.equals(entry.getManager()) && "Apply".equals(entry.getOperation()))
                .map(entry -> String.valueOf(
                        entry.getFieldsV1() == null ? null : entry.getFieldsV1().getAdditionalProperties()))
                .findFirst()
                .orElse("");
    }

    /**
     * The values of the fields {@code desired} sets, as {@code live} has them. A no-op apply leaves
     * the resourceVersion as it was, but a controller writing between our read and our apply (the
     * autoscaler's status, the deployment controller's revision annotation) moves it; comparing
     * only our own fields keeps such objects "unchanged", and still sees every change we made.
     */
    @SuppressWarnings("unchecked")
    private Object ours(HasMetadata desired, HasMetadata live) {
        Map<String, Object> shape = client.getKubernetesSerialization().convertValue(desired, Map.class);
        Map<String, Object> values = client.getKubernetesSerialization().convertValue(live, Map.class);
        return project(shape, values);
    }

    @SuppressWarnings("unchecked")
    static Object project(Object shape, Object value) {
        if (shape instanceof Map<?, ?> shapeMap && value instanceof Map<?, ?> valueMap) {
            Map<String, Object> projected = new TreeMap<>();
            ((Map<String, Object>) shapeMap)
                    .forEach((key, nested) -> projected.put(key, project(nested, valueMap.get(key))));
            return projected;
        }
        if (shape instanceof List<?> shapeList
                && value instanceof List<?> valueList
                && shapeList.size() == valueList.size()) {
            List<Object> projected = new ArrayList<>();
            for (int i = 0; i < shapeList.size(); i++) {
                projected.add(project(shapeList.get(i), valueList.get(i)));
            }
            return projected;
        }
        return value;
    }

    /**
     * Starts a Deployment that was just created, and leaves its count to an autoscaler, at the
     * autoscaler's minimum instead of the default of one. The count is written as an update by a
     * field manager of its own ({@value #INITIAL_REPLICAS_MANAGER}), never by {@value #FIELD_MANAGER}:
     * so mkplat's applies, which leave {@code spec.replicas} out, neither own it nor reset it, and
     * the autoscaler takes it over from there. Without this the platform would run one replica
     * until the autoscaler's next sync, up to 15 seconds later.
     */
    public void startAt(ObjectRef deployment, int replicas) {
        var patch = new PatchContext.Builder()
                .withPatchType(PatchType.JSON_MERGE)
                .withFieldManager(INITIAL_REPLICAS_MANAGER)
                .build();
        client.apps()
                .deployments()
                .inNamespace(deployment.namespace())
                .withName(deployment.name())
                .patch(patch, "{\"spec\":{\"replicas\":" + replicas + "}}");
    }

    /** The field manager of {@link #startAt}: the first replica count of an autoscaled Deployment. */
    public static final String INITIAL_REPLICAS_MANAGER = "mkplat-initial-replicas";

    /** Applies objects that do not depend on each other, concurrently; the results keep the input order. */
    public List<ApplyResult> applyAll(List<? extends HasMetadata> objects) {
        return concurrently(objects, this::apply);
    }

    /**
     * What the object would become if applied now, from a server-side dry-run (admission,
     * defaulting and merging included), beside what is live. Nothing is written.
     */
    public Preview preview(HasMetadata desired) {
        ObjectRef ref = ObjectRef.of(desired);
        try {
            HasMetadata live = client.resource(desired).get();
            var apply = client.resource(desired).dryRun().fieldManager(FIELD_MANAGER);
            HasMetadata wouldBe = (forceConflicts ? apply.forceConflicts() : apply).serverSideApply();
            return new Preview(ref, Optional.ofNullable(live), Optional.of(wouldBe), Optional.empty());
        } catch (KubernetesClientException e) {
            HasMetadata live = null;
            try {
                live = client.resource(desired).get();
            } catch (KubernetesClientException ignored) {
                // the refusal below already says what is wrong
            }
            return new Preview(ref, Optional.ofNullable(live), Optional.empty(), Optional.of(refused(ref, e)));
        }
    }

    /** Previews of independent objects, concurrently, in input order. */
    public List<Preview> previewAll(List<? extends HasMetadata> objects) {
        return concurrently(objects, this::preview);
    }

    /**
     * A dry-run apply's result beside the live object.
     *
     * @param live    the object now, if it exists
     * @param wouldBe what the apiserver would store, unless it refused
     * @param refusal the conflict or failure, if it refused
     */
    public record Preview(
            ObjectRef ref, Optional<HasMetadata> live, Optional<HasMetadata> wouldBe, Optional<ApplyResult> refusal) {}

    /** The live object, if it exists. */
    public Optional<GenericKubernetesResource> get(ObjectRef ref) {
        return LiveObjects.get(client, ref);
    }

    /**
     * Deletes an object that mkplat manages, reporting it with {@code outcome} ({@code PRUNED} or
     * {@code DELETED}). An object that is gone is {@code UNCHANGED}; one without mkplat's label is
     * {@code KEPT}, because someone else made it.
     */
    public ApplyResult delete(ObjectRef ref, ApplyOutcome outcome) {
        try {
            Optional<GenericKubernetesResource> live = get(ref);
            if (live.isEmpty() || live.get().getMetadata().getDeletionTimestamp() != null) {
                return ApplyResult.of(ref, ApplyOutcome.UNCHANGED);
            }
            Map<String, String> labels = live.get().getMetadata().getLabels();
            if (labels == null || !PlatformLabels.MKPLAT.equals(labels.get(PlatformLabels.MANAGED_BY))) {
                return new ApplyResult(
                        ref,
                        ApplyOutcome.KEPT,
                        "not labelled " + PlatformLabels.MANAGED_BY + "=" + PlatformLabels.MKPLAT);
            }
            LiveObjects.resource(client, ref).delete();
            return ApplyResult.of(ref, outcome);
        } catch (KubernetesClientException e) {
            return refused(ref, e);
        }
    }

    /** Deletes independent objects concurrently, in input order. */
    public List<ApplyResult> deleteAll(List<ObjectRef> refs, ApplyOutcome outcome) {
        return concurrently(refs, ref -> delete(ref, outcome));
    }

    static ApplyResult refused(ObjectRef ref, KubernetesClientException e) {
        if (e.getCode() == 409 && e.getStatus() != null && e.getStatus().getDetails() != null) {
            String conflicts = conflicts(e.getStatus());
            if (!conflicts.isEmpty()) {
                return new ApplyResult(ref, ApplyOutcome.CONFLICT, conflicts);
            }
        }
        if (e.getCode() == 404 && e.getStatus() == null) {
            return new ApplyResult(
                    ref, ApplyOutcome.FAILED, "the cluster does not serve " + ref.apiVersion() + " " + ref.kind());
        }
        String message = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : e.getMessage();
        return new ApplyResult(ref, ApplyOutcome.FAILED, (e.getCode() > 0 ? e.getCode() + " " : "") + message);
    }

    /**
     * The conflicting fields grouped by the manager that owns them, for example {@code field
     * .spec.replicas is managed by "kubectl-edit"}.
     */
    static String conflicts(Status status) {
        Map<String, Set<String>> fieldsByManager = new TreeMap<>();
        for (StatusCause cause : status.getDetails().getCauses()) {
            if (!"FieldManagerConflict".equals(cause.getReason())) {
                continue;
            }
            String message = cause.getMessage() == null ? "" : cause.getMessage();
            Matcher manager = Pattern.compile("conflict with \"([^\"]*)\"").matcher(message);
            String name = manager.find() ? manager.group(1) : message;
            fieldsByManager.computeIfAbsent(name, key -> new LinkedHashSet<>()).add(cause.getField());
        }
        List<String> parts = new ArrayList<>();
        fieldsByManager.forEach((manager, fields) -> parts.add((fields.size() == 1 ? "field " : "fields ")
                + String.join(", ", fields) + " managed by \"" + manager + "\""));
        return String.join("; ", parts);
    }

    private static <T, R> List<R> concurrently(List<? extends T> items, Function<T, R> action) {
        if (items.size() <= 1) {
            return items.stream().map(action).toList();
        }
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(executor.submit(() -> action.apply(item)));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while talking to the cluster", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
    }
}
