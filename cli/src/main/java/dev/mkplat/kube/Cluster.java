package dev.mkplat.kube;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A connection to one cluster, made from a kubeconfig and context and checked to answer. The
 * fabric8 client stays inside this package; other packages use the applier, waiter and readers
 * built on it.
 */
public final class Cluster implements AutoCloseable {
    /** Apply, wait and status run many small requests at once against one apiserver. */
    private static final int CONCURRENT_REQUESTS = 16;

    private final KubernetesClient client;
    private final String context;
    private final String server;
    private final VersionInfo version;

    private Cluster(KubernetesClient client, String context, String server, VersionInfo version) {
        this.client = client;
        this.context = context;
        this.server = server;
        this.version = version;
    }

    /**
     * Connects and asks the apiserver for its version, so that an unreachable cluster fails here, in
     * one line naming the context and the server, rather than in the middle of a deploy.
     *
     * @param trace where to print each API call ({@code --verbose}), or empty
     * @throws MkplatException exit 2 when the kubeconfig or context does not exist, exit 1 when the
     *         cluster does not answer
     */
    public static Cluster connect(KubeTarget target, Optional<PrintWriter> trace) {
        Config config = config(target);
        String context = Optional.ofNullable(config.getCurrentContext())
                .map(NamedContext::getName)
                .orElse("(none)");
        String server = config.getMasterUrl();
        KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(config);
        trace.ifPresent(out -> builder.withHttpClientBuilderConsumer(http ->
                http.addOrReplaceInterceptor("mkplat-trace", new Interceptor() {
                    @Override
                    public void before(BasicBuilder request, HttpRequest call, RequestTags tags) {
                        synchronized (out) {
                            out.println("  api: " + call.method() + " " + call.uri());
                            out.flush();
                        }
                    }
                })));
        KubernetesClient client = builder.build();
        try {
            VersionInfo version = client.getKubernetesVersion();
            return new Cluster(client, context, server, version);
        } catch (RuntimeException e) {
            client.close();
            throw unreachable(context, server, e);
        }
    }

    static Config config(KubeTarget target) {
        Config config;
        if (target.kubeconfig().isPresent()) {
            Path file = target.kubeconfig().get();
            if (!Files.isRegularFile(file)) {
                throw MkplatException.usage(
                        "kubeconfig " + file + " does not exist",
                        "pass an existing file to --kubeconfig, or leave it out to use $KUBECONFIG or ~/.kube/config");
            }
            config = Config.fromKubeconfig(null, file.toFile());
            if (target.context().isPresent()) {
                requireContext(config, target.context().get(), file.toString());
                config = Config.fromKubeconfig(target.context().get(), file.toFile());
            }
        } else {
            boolean anyKubeconfig =
                    Config.getKubeconfigFilenames().stream().anyMatch(name -> Files.isRegularFile(Path.of(name)));
            if (!anyKubeconfig && System.getenv("KUBERNETES_SERVICE_HOST") == null) {
                throw new MkplatException(
                        ExitCode.FAILED,
                        "no kubeconfig found (looked at " + String.join(", ", Config.getKubeconfigFilenames()) + ")",
                        "start a local cluster (minikube start, or scripts/test-cluster up in this repository) "
                                + "or pass --kubeconfig FILE");
            }
            config = Config.autoConfigure(null);
            if (target.context().isPresent()) {
                requireContext(config, target.context().get(), "the kubeconfig");
                config = Config.autoConfigure(target.context().get());
            }
        }
        // A CLI must fail fast: fabric8's default of 10 retries with backoff hides a dead cluster for a minute.
        config.setRequestRetryBackoffLimit(1);
        config.setRequestRetryBackoffInterval(200);
        config.setConnectionTimeout(5_000);
        config.setRequestTimeout(30_000);
        config.setMaxConcurrentRequests(CONCURRENT_REQUESTS * 2);
        config.setMaxConcurrentRequestsPerHost(CONCURRENT_REQUESTS);
        return config;
    }

    /** Checks that the context exists, with the ones that do in the message when it does not. */
    private static void requireContext(Config config, String name, String where) {
        boolean exists = config.getContexts().stream().anyMatch(candidate -> name.equals(candidate.getName()));
        if (!exists) {
            String known = config.getContexts().stream()
                    .map(NamedContext::getName)
                    .sorted()
                    .collect(Collectors.joining(", "));
            throw MkplatException.usage(
                    "context '" + name + "' is not in " + where,
                    known.isEmpty() ? "the kubeconfig has no contexts" : "contexts there: " + known);
        }
    }

    static MkplatException unreachable(String context, String server, RuntimeException failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why;
        if (root instanceof ConnectException
                || root instanceof HttpConnectTimeoutException
                || root instanceof ClosedChannelException) { // the JDK client's refused TLS connection
            why = "connection refused or timed out";
        } else if (root instanceof UnknownHostException) {
            why = "unknown host";
        } else if (failure instanceof KubernetesClientException api && api.getCode() == 401) {
            why = "the credentials were refused (401)";
        } else {
            why = Optional.ofNullable(root.getMessage()).orElse(root.getClass().getSimpleName());
        }
        return new MkplatException(
                ExitCode.FAILED,
                "cannot reach the cluster of context '" + context + "' at " + server + ": " + why,
                "check that the cluster runs (minikube status; kubectl --context " + context
                        + " get nodes), or choose another with --kubeconfig/--context",
                failure);
    }

    /** The kubeconfig context in use. */
    public String context() {
        return context;
    }

    /** The apiserver URL. */
    public String server() {
        return server;
    }

    /** The apiserver's version, for example {@code v1.35.4}. */
    public String serverVersion() {
        return version.getGitVersion();
    }

    /** The apiserver's major and minor version, for example 1 and 35. */
    public int[] serverMajorMinor() {
        return new int[] {parseLeadingInt(version.getMajor()), parseLeadingInt(version.getMinor())};
    }

    private static int parseLeadingInt(String text) {
        String digits = text == null ? "" : text.replaceAll("\\D.*$", "");
        return digits.isEmpty() ? 0 : Integer.parseInt(digits);
    }

    /** Whether the apiserver serves this group/version and kind, for example a CRD's. */
    public boolean serves(String apiVersion, String kind) {
        try {
            return client.getApiResources(apiVersion) != null
                    && client.getApiResources(apiVersion).getResources().stream()
                            .anyMatch(resource -> kind.equals(resource.getKind()));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
    }
}
