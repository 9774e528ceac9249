package dev.mkplat.kube;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One chaos experiment at a time per component: a Lease {@code mkplat-chaos-<component>} in the
 * component's namespace. The apiserver's create is the atomic test-and-set; a Lease whose time ran
 * out (its holder crashed) may be taken over, by an update that fails if someone else took it first.
 */
public final class ExperimentLocks {
    /** Marks every object chaos makes, with what made it as the value: {@code lock}, {@code partition}. */
    public static final String CHAOS_LABEL = "mkplat.dev/chaos";
    /** What the holder is doing, for the message that refuses a second experiment. */
    static final String EXPERIMENT_ANNOTATION = "mkplat.dev/chaos-experiment";

    private static final String PREFIX = "mkplat-chaos-";

    private final KubernetesClient client;
    private final Clock clock;

    public ExperimentLocks(Cluster cluster, Clock clock) {
        this.client = cluster.client();
        this.clock = clock;
    }

    /**
     * Who holds a component's lock.
     *
     * @param component  the component
     * @param namespace  where its Lease is
     * @param holder     the experiment's id
     * @param experiment what it does, for example {@code kill-pod api}
     * @param acquired   when it took the lock
     * @param expires    when the lock lapses if it is not released
     */
    public record Holder(
            String component, String namespace, String holder, String experiment, Instant acquired, Instant expires) {}

    /**
     * Takes the lock of {@code component} for {@code ttl}.
     *
     * @return empty when taken; the current holder when someone else holds it
     */
    public Optional<Holder> acquire(
            String namespace, String component, String holder, String experiment, Duration ttl) {
        Instant now = clock.instant();
        Lease wanted = lease(namespace, component, holder, experiment, now, ttl);
        var leases = client.leases().inNamespace(namespace);
        try {
            leases.resource(wanted).create();
            return Optional.empty();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        Lease existing = leases.withName(PREFIX + component).get();
        if (existing == null) {
            return acquire(namespace, component, holder, experiment, ttl); // released in between
        }
        Holder current = holder(existing);
        if (current.expires().isAfter(now)) {
            return Optional.of(current);
        }
        // Its holder died: take it over, unless another run does so first (the update then conflicts).
        wanted.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        try {
            leases.resource(wanted).update();
            return Optional.empty();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return Optional.ofNullable(leases.withName(PREFIX + component).get())
                        .map(ExperimentLocks::holder);
            }
            throw e;
        }
    }

    /** Gives the lock back, if {@code holder} still holds it. */
    public void release(String namespace, String component, String holder) {
        Lease existing = client.leases()
                .inNamespace(namespace)
                .withName(PREFIX + component)
                .get();
        if (existing != null && holder.equals(existing.getSpec().getHolderIdentity())) {
            client.leases().inNamespace(namespace).resource(existing).delete();
        }
    }

    /** Every chaos lock in these namespaces, held or lapsed. */
    public List<Holder> all(List<String> namespaces) {
        return namespaces.stream()
                .flatMap(namespace ->
                        client
                                .leases()
                                .inNamespace(namespace)
                                .withLabel(CHAOS_LABEL, "lock")
                                .list()
                                .getItems()
                                .stream())
                .map(ExperimentLocks::holder)
                .toList();
    }

    /** Removes a lock whatever holds it: {@code chaos revert} after a crash. */
    public boolean remove(Holder lock) {
        return !client.leases()
                .inNamespace(lock.namespace())
                .withName(PREFIX + lock.component())
                .delete()
                .isEmpty();
    }

    private static Lease lease(
            String namespace, String component, String holder, String experiment, Instant now, Duration ttl) {
        ZonedDateTime at = ZonedDateTime.ofInstant(now, ZoneOffset.UTC);
        return new LeaseBuilder()
                .withNewMetadata()
                .withName(PREFIX + component)
                .withNamespace(namespace)
                .withLabels(Map.of(ComponentPods.PART_OF, ComponentPods.MKPLAT, CHAOS_LABEL, "lock"))
                .withAnnotations(Map.of(EXPERIMENT_ANNOTATION, experiment))
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(holder)
                .withAcquireTime(at)
                .withRenewTime(at)
                .withLeaseDurationSeconds((int) Math.min(Integer.MAX_VALUE, Math.max(1, ttl.toSeconds())))
                .endSpec()
                .build();
    }

    private static Holder holder(Lease lease) {
        var spec = lease.getSpec();
        Instant acquired = spec.getAcquireTime() == null
                ? Instant.EPOCH
                : spec.getAcquireTime().toInstant();
        Instant renewed =
                spec.getRenewTime() == null ? acquired : spec.getRenewTime().toInstant();
        int seconds = spec.getLeaseDurationSeconds() == null ? 0 : spec.getLeaseDurationSeconds();
        String name = lease.getMetadata().getName();
        String experiment = lease.getMetadata().getAnnotations() == null
                ? ""
                : lease.getMetadata().getAnnotations().getOrDefault(EXPERIMENT_ANNOTATION, "");
        return new Holder(
                name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name,
                lease.getMetadata().getNamespace(),
                String.valueOf(spec.getHolderIdentity()),
                experiment,
                acquired,
                renewed.plusSeconds(seconds));
    }
}
