package dev.mkplat.images;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.Environment;
import dev.mkplat.kube.Cluster;
import dev.mkplat.kube.ClusterView;
import dev.mkplat.kube.NodeInfo;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What {@code up} does before it deploys on a local cluster: the service images that the cluster
 * cannot find are built from this checkout (when it has no archives yet) and loaded, so that a
 * first {@code up} on minikube, kind or the test cluster does not end in {@code ImagePullBackOff}.
 * On the test cluster an image whose registry digest differs from the checkout's archive counts as
 * missing too: deploying yesterday's build after today's {@code images build} is the usual surprise.
 * Any other cluster pulls from a registry that mkplat does not manage, and is left alone.
 */
public final class LocalImageSupply {
    private final Consumer<String> out;
    private final RegistryLookup registry;
    private final Supplier<ImageBuild> build;
    private final Supplier<ImageLoad> load;

    public LocalImageSupply(
            Consumer<String> out, RegistryLookup registry, Supplier<ImageBuild> build, Supplier<ImageLoad> load) {
        this.out = out;
        this.registry = registry;
        this.build = build;
        this.load = load;
    }

    /**
     * What ensure did, for the caller's tests and its report ({@code Outcome} is the checks' type),
     * with the digests the registry holds now for the references ensure asked about or pushed, so
     * that pinning does not ask the registry the same question again.
     */
    public sealed interface Supplied {
        /** The registry's digest now by reference, as answered or pushed; empty where nothing was asked. */
        Map<ImageRef, String> digests();

        /** Not a cluster mkplat loads into; nothing was asked. */
        record NotLocal() implements Supplied {
            @Override
            public Map<ImageRef, String> digests() {
                return Map.of();
            }
        }

        /** Every service image is where the cluster pulls from. */
        record Present(Map<ImageRef, String> digests) implements Supplied {
            public Present {
                digests = Map.copyOf(digests);
            }
        }

        /** Some are missing and there is no checkout to build them from: the user was told what to do. */
        record MissingWithoutCheckout(List<String> services, Map<ImageRef, String> digests) implements Supplied {
            public MissingWithoutCheckout {
                services = List.copyOf(services);
                digests = Map.copyOf(digests);
            }
        }

        /** The missing ones were built (when needed) and loaded. */
        record Loaded(List<String> services, boolean built, Map<ImageRef, String> digests) implements Supplied {
            public Loaded {
                services = List.copyOf(services);
                digests = Map.copyOf(digests);
            }
        }
    }

    /** Finds what the cluster lacks and supplies it from the checkout. */
    public Supplied ensure(Cluster cluster, Environment environment, PlatformConfig.Images images) {
        LoadTarget target = LocalClusters.detect(cluster, environment);
        if (target instanceof LoadTarget.Unsupported) {
            return new Supplied.NotLocal();
        }
        Optional<SourceCheckout> checkout = SourceCheckout.of(environment);
        Map<ImageRef, String> digests = new HashMap<>();
        List<String> missing = missing(target, cluster, checkout, images, digests);
        if (missing.isEmpty()) {
            return new Supplied.Present(digests);
        }
        if (checkout.isEmpty()) {
            out.accept("warning: the cluster has no image for " + String.join(", ", missing)
                    + "; its pods will not start until it does");
            out.accept("  hint: from a checkout of mkplat: mkplat images build, then mkplat images load");
            return new Supplied.MissingWithoutCheckout(missing, digests);
        }
        out.accept("images: the cluster lacks " + String.join(", ", missing) + "; building and loading them from "
                + checkout.get().root());
        boolean built = !checkout.get().archives().stream().allMatch(ServiceArchive::built);
        if (built) {
            build.get()
                    .run(checkout.get(), environment.variable("JAVA_HOME"), Path.of(System.getProperty("java.home")));
        }
        List<ServiceArchive> toLoad = checkout.get().archives().stream()
                .filter(archive -> missing.contains(archive.service()))
                .toList();
        digests.putAll(load.get().run(target, toLoad, images));
        return new Supplied.Loaded(missing, built, digests);
    }

    /** The services the cluster lacks; the registry's answers go into {@code digests}. */
    private List<String> missing(
            LoadTarget target,
            Cluster cluster,
            Optional<SourceCheckout> checkout,
            PlatformConfig.Images images,
            Map<ImageRef, String> digests) {
        List<NodeInfo> nodes = target instanceof LoadTarget.TestCluster ? List.of() : new ClusterView(cluster).nodes();
        return SourceCheckout.SERVICES.stream()
                .filter(service -> {
                    ImageRef reference = ImageRef.parse(images.reference(service));
                    return switch (target) {
                        case LoadTarget.TestCluster testCluster ->
                            !inRegistry(
                                    reference.in(testCluster.registry()),
                                    ImagePinning.archiveDigest(checkout, service),
                                    digests);
                        case LoadTarget.Minikube ignored -> !onAnyNode(reference, nodes);
                        case LoadTarget.Kind ignored -> !onAnyNode(reference, nodes);
                        case LoadTarget.Unsupported ignored -> false;
                    };
                })
                .toList();
    }

    /** Found, and the same build as the checkout's archive when there is one. */
    private boolean inRegistry(ImageRef reference, Optional<String> archiveDigest, Map<ImageRef, String> digests) {
        return switch (registry.digest(reference)) {
            case RegistryLookup.Answer.Found found -> {
                digests.put(reference, found.digest());
                yield archiveDigest.map(found.digest()::equals).orElse(true);
            }
            case RegistryLookup.Answer.Missing missing -> false;
            // No answer: the load would fail the same way; deploy's pull warning says the rest.
            case RegistryLookup.Answer.Unknown unknown -> true;
        };
    }

    private static boolean onAnyNode(ImageRef reference, List<NodeInfo> nodes) {
        return nodes.stream().anyMatch(node -> node.images().stream().anyMatch(reference::matches));
    }
}
