package dev.mkplat.kube;

import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP GETs to a Service through the API server's service proxy
 * ({@code /api/v1/namespaces/NS/services/NAME:PORT/proxy/PATH}): no port-forward, no Ingress, only
 * the kubeconfig's credentials (RBAC verb {@code get} on {@code services/proxy}).
 */
public final class ServiceProxy {
    private final Cluster cluster;
    private final Duration timeout;

    public ServiceProxy(Cluster cluster, Duration timeout) {
        this.cluster = cluster;
        this.timeout = timeout;
    }

    /**
     * The body of a 200 answer.
     *
     * @param port the Service port's name or number
     * @param path the path and query on the Service, starting with {@code /}
     * @throws MkplatException exit 1 naming the Service and the status when it does not answer 200
     */
    public String get(String namespace, String service, String port, String path) {
        String proxyPath = "api/v1/namespaces/" + namespace + "/services/" + service + ":" + port + "/proxy" + path;
        String master = cluster.client().getMasterUrl().toString();
        URI uri = URI.create(master.endsWith("/") ? master + proxyPath : master + "/" + proxyPath);
        HttpClient http = cluster.client().getHttpClient();
        HttpRequest request = http.newHttpRequestBuilder()
                .uri(uri)
                .header("Accept", "application/json")
                .build();
        String where =
                "the Service " + namespace + "/" + service + " (port " + port + ") through the API server's proxy";
        try {
            HttpResponse<String> response =
                    http.sendAsync(request, String.class).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (response.code() == 200) {
                return response.body();
            }
            String body = response.body() == null ? "" : response.body().strip().replaceAll("\\s+", " ");
            throw new MkplatException(
                    ExitCode.FAILED,
                    where + " answered " + response.code()
                            + (body.isEmpty()
                                    ? ""
                                    : ": " + (body.length() > 200 ? body.substring(0, 200) + "..." : body)),
                    response.code() == 404
                            ? "is it installed? kubectl -n " + namespace + " get service " + service
                            : "kubectl -n " + namespace + " get endpoints " + service
                                    + " shows whether a pod serves it");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new MkplatException(
                    ExitCode.FAILED, "cannot reach " + where + ": " + cause.getMessage(), "is the cluster up?", e);
        } catch (TimeoutException e) {
            throw new MkplatException(
                    ExitCode.TIMEOUT,
                    where + " did not answer within " + timeout.toSeconds() + "s",
                    "is the Service's pod ready?",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MkplatException(ExitCode.FAILED, "interrupted", null, e);
        }
    }
}
