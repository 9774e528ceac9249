package dev.mkplat.deploy;

import dev.mkplat.kube.ApplyOutcome;
import dev.mkplat.kube.ApplyResult;
import dev.mkplat.kube.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order in which deploy applies the platform, and what each stage does besides applying.
 * Objects of one stage do not depend on each other and are applied concurrently; a stage that runs
 * workloads is waited for before the next one needs it (the services need the database, so {@link
 * #DATA} is waited for before {@link #SERVICES}). Destroy and prune go through the stages backwards.
 */
public enum DeployStage {
    NAMESPACES("namespaces"),
    CONFIGURATION("secrets, configmaps and service accounts") {
        /** The generated Secrets that exist already are left alone, and reported unchanged. */
        @Override
        List<ApplyResult> kept(StageContext context) {
            return context.plan().kept().stream()
                    .map(secret -> new ApplyResult(ObjectRef.of(secret), ApplyOutcome.UNCHANGED, ""))
                    .toList();
        }
    },
    DATA("db and infra") {
        /** The services need the database and Redis: they are waited for before the services start. */
        @Override
        void afterApply(StageContext context, List<HasMetadata> applied, List<ApplyResult> results) {
            context.awaitReady(
                    description(), applied.stream().map(ObjectRef::of).toList(), Map.of());
        }
    },
    SERVICES("services") {
        /**
         * A Deployment that leaves its replica count to an autoscaler is created with the
         * autoscaler's minimum, not with one replica that the autoscaler raises later.
         */
        @Override
        void afterApply(StageContext context, List<HasMetadata> applied, List<ApplyResult> results) {
            Map<ObjectRef, Integer> floors = context.autoscalerFloors();
            results.stream()
                    .filter(result -> result.outcome() == ApplyOutcome.CREATED && floors.containsKey(result.ref()))
                    .forEach(result -> context.applier().startAt(result.ref(), floors.get(result.ref())));
        }
    },
    ROUTING("ingress, network policies, autoscalers and disruption budgets") {
        /**
         * The services are waited for once the objects they run with (network policies,
         * autoscalers) exist, each at least at its autoscaler's minimum.
         */
        @Override
        void afterApply(StageContext context, List<HasMetadata> applied, List<ApplyResult> results) {
            context.awaitReady(
                    SERVICES.description(),
                    context.objectsOf(SERVICES).stream().map(ObjectRef::of).toList(),
                    context.autoscalerFloors());
        }
    },
    MONITORING("service monitors, rules and dashboards") {
        /** ServiceMonitors and PrometheusRules need their CRDs (kube-prometheus-stack brings both); without them they are skipped. */
        @Override
        boolean skips(StageContext context, HasMetadata object) {
            return object.getApiVersion().equals(MONITORS_API) && !context.monitorsServed();
        }

        @Override
        String skipNote(int skipped) {
            return "skipped " + skipped + " ServiceMonitors and PrometheusRules: the cluster has no " + MONITORS_API
                    + " ServiceMonitor (the CRDs come with kube-prometheus-stack 75.13.0; see README, Monitoring)";
        }
    };

    /** The API of ServiceMonitors and PrometheusRules, whose CRDs kube-prometheus-stack brings; without them they are skipped. */
    public static final String MONITORS_API = "monitoring.coreos.com/v1";
    /** The namespaces whose workloads the services depend on. */
    static final Set<String> DATA_NAMESPACES = Set.of("db", "infra");
    /** The label that makes a ConfigMap a Grafana dashboard (kube-prometheus-stack's sidecar looks for it). */
    static final String DASHBOARD_LABEL = "grafana_dashboard";

    private final String description;

    DeployStage(String description) {
        this.description = description;
    }

    /** What the stage applies, as the progress output names it. */
    public String description() {
        return description;
    }

    /** The stage an object is applied in. */
    public static DeployStage of(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        if (object.getKind().equals("ConfigMap") && labels != null && labels.containsKey(DASHBOARD_LABEL)) {
            return MONITORING;
        }
        return of(ObjectRef.of(object));
    }

    /**
     * The stage of an object known by reference only (as the inventory records it). Without its
     * labels a dashboard ConfigMap counts as {@link #CONFIGURATION}; prune and destroy, the users
     * of this, only need an order that keeps Namespaces last.
     */
    public static DeployStage of(ObjectRef ref) {
        String kind = ref.kind();
        if (kind.equals("Namespace")) {
            return NAMESPACES;
        }
        if (ref.apiVersion().startsWith("monitoring.coreos.com/")) {
            return MONITORING;
        }
        return switch (kind) {
            case "Secret",
                    "ConfigMap",
                    "ServiceAccount",
                    "Role",
                    "RoleBinding",
                    "PersistentVolumeClaim",
                    "ClusterRole",
                    "ClusterRoleBinding" -> CONFIGURATION;
            case "Ingress", "NetworkPolicy", "HorizontalPodAutoscaler", "PodDisruptionBudget" -> ROUTING;
            default -> DATA_NAMESPACES.contains(ref.namespace()) ? DATA : SERVICES;
        };
    }

    /** The stages backwards, as prune and destroy delete. */
    static List<DeployStage> reversed() {
        return List.of(values()).reversed();
    }

    /** Objects of this stage that exist already and are reported without being applied. */
    List<ApplyResult> kept(StageContext context) {
        return List.of();
    }

    /** Whether this object of the stage is left out of this deploy (see {@link #skipNote}). */
    boolean skips(StageContext context, HasMetadata object) {
        return false;
    }

    /** What the progress says about objects that {@link #skips} left out. */
    String skipNote(int skipped) {
        return "skipped " + skipped + " objects";
    }

    /** What the stage does once its objects are applied (wait for them, scale them). */
    void afterApply(StageContext context, List<HasMetadata> applied, List<ApplyResult> results) {}
}
