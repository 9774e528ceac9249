package dev.mkplat.kube;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The questions {@code mkplat init} asks a cluster before anything is applied: which context and
 * server (without connecting), whether RBAC lets us apply every kind of object, and whether the
 * ingress controller, metrics API, default StorageClass and ServiceMonitor CRD are there. Each
 * answer is a plain value; the checks in {@code dev.mkplat.preflight} judge them.
 */
public final class ClusterPreflight {
    /** The controller name ingress-nginx registers its IngressClass with. */
    static final String NGINX_CONTROLLER = "k8s.io/ingress-nginx";

    static final String NGINX_NAME_LABEL = "app.kubernetes.io/name";

    private final KubernetesClient client;
    private final Cluster cluster;

    public ClusterPreflight(Cluster cluster) {
        this.cluster = cluster;
        this.client = cluster.client();
    }

    /**
     * The context and server a {@link KubeTarget} points at, read from the kubeconfig without any
     * request, so that a remote cluster can be refused before it is touched.
     *
     * @param context the context name, {@code (none)} when the kubeconfig has no current context
     * @param server  the apiserver URL
     * @param cluster the kubeconfig's cluster entry of the context
     */
    public record Target(String context, String server, String cluster) {
        /** Whether the context is one of a cluster on this machine (see {@link #isLocalContext}). */
        public boolean local() {
            return isLocalContext(context);
        }
    }

    /** Context names of clusters that run on this machine: minikube, kind-*, k3d-*, docker-desktop, kwok-*. */
    public static boolean isLocalContext(String context) {
        return context.equals("minikube")
                || context.equals("docker-desktop")
                || context.startsWith("kind-")
                || context.startsWith("k3d-")
                || context.startsWith("kwok-");
    }

    public static Target describe(KubeTarget target) {
        Config config = Cluster.config(target);
        Optional<NamedContext> context = Optional.ofNullable(config.getCurrentContext());
        return new Target(
                context.map(NamedContext::getName).orElse("(none)"),
                config.getMasterUrl(),
                context.map(named -> named.getContext().getCluster()).orElse(""));
    }

    /**
     * One permission mkplat needs.
     *
     * @param verb      {@code create} or {@code patch} (server-side apply needs both for a new object)
     * @param resource  the plural resource, for example {@code deployments}
     * @param group     the API group, empty for the core group
     * @param namespace the namespace, empty for cluster-scoped resources
     */
    public record Permission(String verb, String resource, String group, String namespace) {
        @Override
        public String toString() {
            String qualified = group.isEmpty() ? resource : resource + "." + group;
            return verb + " " + qualified + (namespace.isEmpty() ? "" : " in " + namespace);
        }
    }

    /**
     * The permissions applying {@code objects} needs and this user lacks, from one
     * SelfSubjectAccessReview each. Kinds the apiserver does not serve (a CRD that is not
     * installed) are returned in {@code unserved} instead: deploy skips them.
     *
     * @param denied   what is not allowed
     * @param checked  how many permissions were asked about
     * @param unserved {@code apiVersion/kind} the apiserver does not know
     */
    public record AccessReport(List<Permission> denied, int checked, List<String> unserved) {}

    public AccessReport reviewApplyAccess(List<? extends HasMetadata> objects) {
        Map<String, Optional<APIResourceList>> discovery = new LinkedHashMap<>();
        Set<Permission> needed = new LinkedHashSet<>();
        Set<String> unserved = new TreeSet<>();
        for (HasMetadata object : objects) {
            String apiVersion = object.getApiVersion();
            Optional<APIResourceList> resources = discovery.computeIfAbsent(apiVersion, this::resources);
            Optional<APIResource> resource = resources.flatMap(list -> list.getResources().stream()
                    .filter(candidate -> object.getKind().equals(candidate.getKind())
                            && !candidate.getName().contains("/"))
                    .findFirst());
            if (resource.isEmpty()) {
                unserved.add(apiVersion + "/" + object.getKind());
                continue;
            }
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            String namespace = Boolean.TRUE.equals(resource.get().getNamespaced())
                            && object.getMetadata().getNamespace() != null
                    ? object.getMetadata().getNamespace()
                    : "";
            for (String verb : List.of("create", "patch")) {
                needed.add(new Permission(verb, resource.get().getName(), group, namespace));
            }
        }
        // One review per permission, asked concurrently: about 80 small requests that would take seconds one by one.
        List<Permission> denied = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<Permission, Future<Boolean>> answers = new LinkedHashMap<>();
            needed.forEach(permission -> answers.put(permission, executor.submit(() -> allowed(permission))));
            for (Map.Entry<Permission, Future<Boolean>> answer : answers.entrySet()) {
                if (!answer.getValue().get()) {
                    denied.add(answer.getKey());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reviewing access", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
        return new AccessReport(denied, needed.size(), List.copyOf(unserved));
    }

    private Optional<APIResourceList> resources(String apiVersion) {
        try {
            return Optional.ofNullable(client.getApiResources(apiVersion));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404 || e.getCode() == 503) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private boolean allowed(Permission permission) {
        SelfSubjectAccessReview review = new SelfSubjectAccessReviewBuilder()
                .withNewSpec()
                .withNewResourceAttributes()
                .withVerb(permission.verb())
                .withGroup(permission.group())
                .withResource(permission.resource())
                .withNamespace(permission.namespace().isEmpty() ? null : permission.namespace())
                .endResourceAttributes()
                .endSpec()
                .build();
        SelfSubjectAccessReview answer =
                client.authorization().v1().selfSubjectAccessReview().create(review);
        return answer.getStatus() != null
                && Boolean.TRUE.equals(answer.getStatus().getAllowed());
    }

    /**
     * The ingress-nginx controller, when there is one: its IngressClass and the workload running it.
     *
     * @param ingressClass  the IngressClass with controller {@value #NGINX_CONTROLLER}, if any
     * @param workload      {@code namespace/name} of the controller Deployment or DaemonSet, if any
     * @param readyReplicas how many of its pods are ready
     */
    public record IngressController(Optional<String> ingressClass, Optional<String> workload, int readyReplicas) {
        public boolean usable() {
            return ingressClass.isPresent() && workload.isPresent() && readyReplicas > 0;
        }
    }

    public IngressController ingressNginx() {
        Optional<String> ingressClass = client.network().v1().ingressClasses().list().getItems().stream()
                .filter(candidate -> candidate.getSpec() != null
                        && NGINX_CONTROLLER.equals(candidate.getSpec().getController()))
                .map(IngressClass::getMetadata)
                .map(meta -> meta.getName())
                .findFirst();
        Optional<Deployment> deployment = client
                .apps()
                .deployments()
                .inAnyNamespace()
                .withLabel(NGINX_NAME_LABEL, "ingress-nginx")
                .list()
                .getItems()
                .stream()
                .findFirst();
        if (deployment.isPresent()) {
            Integer ready = deployment.get().getStatus() == null
                    ? null
                    : deployment.get().getStatus().getReadyReplicas();
            return new IngressController(
                    ingressClass, Optional.of(namespaced(deployment.get())), ready == null ? 0 : ready);
        }
        Optional<DaemonSet> daemonSet = client
                .apps()
                .daemonSets()
                .inAnyNamespace()
                .withLabel(NGINX_NAME_LABEL, "ingress-nginx")
                .list()
                .getItems()
                .stream()
                .findFirst();
        return daemonSet
                .map(found -> new IngressController(
                        ingressClass,
                        Optional.of(namespaced(found)),
                        found.getStatus() == null || found.getStatus().getNumberReady() == null
                                ? 0
                                : found.getStatus().getNumberReady()))
                .orElseGet(() -> new IngressController(ingressClass, Optional.empty(), 0));
    }

    /** The external address of the ingress-nginx controller's LoadBalancer Service, once it has one. */
    public Optional<String> ingressLoadBalancerAddress() {
        for (Service service : client.services()
                .inAnyNamespace()
                .withLabel(NGINX_NAME_LABEL, "ingress-nginx")
                .list()
                .getItems()) {
            if (service.getSpec() == null
                    || !"LoadBalancer".equals(service.getSpec().getType())
                    || service.getStatus() == null
                    || service.getStatus().getLoadBalancer() == null
                    || service.getStatus().getLoadBalancer().getIngress() == null) {
                continue;
            }
            for (LoadBalancerIngress address :
                    service.getStatus().getLoadBalancer().getIngress()) {
                if (address.getIp() != null && !address.getIp().isBlank()) {
                    return Optional.of(address.getIp());
                }
                if ("localhost".equals(address.getHostname())) {
                    return Optional.of("127.0.0.1"); // Docker Desktop publishes LoadBalancers on the host
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the resource metrics API (metrics-server) is registered and answering: the HPAs need it. */
    public boolean metricsApiAvailable() {
        return resources("metrics.k8s.io/v1beta1")
                .map(list -> list.getResources().stream().anyMatch(resource -> "PodMetrics".equals(resource.getKind())))
                .orElse(false);
    }

    /** The StorageClasses marked default; the database's PersistentVolumeClaims need exactly one. */
    public List<String> defaultStorageClasses() {
        return client.storage().v1().storageClasses().list().getItems().stream()
                .filter(ClusterPreflight::isDefault)
                .map(StorageClass::getMetadata)
                .map(meta -> meta.getName())
                .sorted()
                .toList();
    }

    /** Whether the ServiceMonitor CRD (monitoring.coreos.com/v1) is installed. */
    public boolean servesServiceMonitors() {
        return cluster.serves("monitoring.coreos.com/v1", "ServiceMonitor");
    }

    /**
     * The room on the nodes that take pods: their allocatable CPU and memory, and what the pods
     * already there request, leaving out the pods in {@code ignoredNamespaces} (the platform's own,
     * which a deploy replaces).
     *
     * @param nodes       the Ready, schedulable nodes without a NoSchedule taint
     * @param allocatable their allocatable resources together
     * @param requested   what the other pods on them request
     */
    public record Room(int nodes, PodRequests allocatable, PodRequests requested) {
        public PodRequests free() {
            return allocatable.minus(requested);
        }
    }

    public Room room(Set<String> ignoredNamespaces) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (Node node : client.nodes().list().getItems()) {
            boolean schedulable = !Boolean.TRUE.equals(node.getSpec().getUnschedulable())
                    && Optional.ofNullable(node.getSpec().getTaints()).orElse(List.of()).stream()
                            .noneMatch(taint ->
                                    "NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect()));
            if (schedulable && Readiness.isNodeReady(node)) {
                nodes.put(node.getMetadata().getName(), node);
            }
        }
        PodRequests allocatable = nodes.values().stream()
                .map(node -> node.getStatus().getAllocatable())
                .map(resources -> new PodRequests(
                        PodRequests.millis(resources.get("cpu")), PodRequests.bytes(resources.get("memory"))))
                .reduce(PodRequests.NONE, PodRequests::plus);
        PodRequests requested = client.pods().inAnyNamespace().list().getItems().stream()
                .filter(pod -> nodes.containsKey(pod.getSpec().getNodeName()))
                .filter(pod -> !ignoredNamespaces.contains(pod.getMetadata().getNamespace()))
                .filter(pod -> pod.getStatus() == null
                        || !Set.of("Succeeded", "Failed")
                                .contains(pod.getStatus().getPhase()))
                .map(Pod::getSpec)
                .map(PodRequests::of)
                .reduce(PodRequests.NONE, PodRequests::plus);
        return new Room(nodes.size(), allocatable, requested);
    }

    private static boolean isDefault(StorageClass storageClass) {
        Map<String, String> annotations = storageClass.getMetadata().getAnnotations();
        return annotations != null
                && ("true".equals(annotations.get("storageclass.kubernetes.io/is-default-class"))
                        || "true".equals(annotations.get("storageclass.beta.kubernetes.io/is-default-class")));
    }

    private static String namespaced(HasMetadata object) {
        return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
    }
}
