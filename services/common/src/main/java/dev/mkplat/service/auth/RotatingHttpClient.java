package dev.mkplat.service.auth;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An HTTP/1.1 client whose kept-alive connections live at most {@code lifetime}: the JDK's client
 * keeps an idle connection for 30 s and a busy one for ever, so without this a change in the network
 * would never reach a connection that is in use. A NetworkPolicy that cuts a flow (on kube-router,
 * Calico and Cilium alike) leaves established connections alone, and a pod that the autoscaler adds
 * gets no calls over connections opened before it existed. Once {@code lifetime} is up, the next
 * call starts a new client. The old one is shut down only at the rotation after that: a call that
 * took it just before the rotation is still sent on it, and is done long before (the lifetime is
 * kept above twice the request timeout); a client that is shut down refuses new calls.
 */
final class RotatingHttpClient {
    /** One client and when it is replaced. */
    private record Generation(HttpClient client, Instant until) {}

    private final Duration connectTimeout;
    private final Duration lifetime;
    private final Clock clock;
    /** The clients' callbacks; shared by every generation, so a rotation starts no threads. */
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private final AtomicReference<Generation> current;
    /** The generation before the current one, shut down at the next rotation. */
    private final AtomicReference<HttpClient> retired = new AtomicReference<>();

    /**
     * @param requestTimeout the calls' timeout, also their connect timeout
     * @param lifetime       how long one client is used; at least twice {@code requestTimeout}
     */
    RotatingHttpClient(Duration requestTimeout, Duration lifetime, Clock clock) {
        this.connectTimeout = requestTimeout;
        Duration floor = requestTimeout.multipliedBy(2);
        this.lifetime = lifetime.compareTo(floor) < 0 ? floor : lifetime;
        this.clock = clock;
        this.current = new AtomicReference<>(next());
    }

    /** {@link HttpClient#send} on the current generation. */
    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        return client().send(request, body);
    }

    private HttpClient client() {
        Generation generation = current.get();
        if (clock.instant().isBefore(generation.until())) {
            return generation.client();
        }
        Generation next = next();
        if (current.compareAndSet(generation, next)) {
            HttpClient older = retired.getAndSet(generation.client());
            if (older != null) {
                older.shutdown();
            }
            return next.client();
        }
        next.client().shutdown();
        return current.get().client();
    }

    private Generation next() {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .executor(executor)
                .build();
        return new Generation(client, clock.instant().plus(lifetime));
    }
}
