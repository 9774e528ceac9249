package dev.mkplat.deploy;

import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The order in which deploy applies the platform. Objects of one stage do not depend on each other
 * and are applied concurrently; a stage that runs workloads is waited for before the next one
 * needs it (the services need the database, so {@link #DATA} is waited for before {@link
 * #SERVICES}).
 */
public enum DeployStage {
    NAMESPACES("namespaces"),
    CONFIGURATION("secrets, configmaps and service accounts"),
    DATA("db and infra"),
    SERVICES("services"),
    ROUTING("ingress, network policies, autoscalers and disruption budgets"),
    MONITORING("service monitors and dashboards");

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
        String kind = object.getKind();
        Map<String, String> labels = object.getMetadata().getLabels();
        if (kind.equals("Namespace")) {
            return NAMESPACES;
        }
        if (object.getApiVersion().startsWith("monitoring.coreos.com/")
                || (kind.equals("ConfigMap") && labels != null && labels.containsKey(DASHBOARD_LABEL))) {
            return MONITORING;
        }
        return switch (kind) {
            case "Secret", "ConfigMap", "ServiceAccount", "Role", "RoleBinding", "PersistentVolumeClaim",
                 "ClusterRole", "ClusterRoleBinding" -> CONFIGURATION;
            case "Ingress", "NetworkPolicy", "HorizontalPodAutoscaler", "PodDisruptionBudget" -> ROUTING;
            default -> DATA_NAMESPACES.contains(object.getMetadata().getNamespace()) ? DATA : SERVICES;
        };
    }
}
