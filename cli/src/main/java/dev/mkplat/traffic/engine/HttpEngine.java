package dev.mkplat.traffic.engine;

import dev.mkplat.traffic.report.OutcomeKind;
import dev.mkplat.traffic.report.RequestOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.HttpClientConnectionOperator;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends HTTP/1.1 requests with keep-alive over a pool of connections, blocking the calling thread:
 * Apache HttpClient 5's classic API, in its minimal form (no redirects, retries, cookies,
 * authentication or content decoding: a load generator reports what the server said).
 *
 * <p>Why this library: it costs the least CPU per request of the clients measured on this
 * project's 2-core machine (closed loop against nginx on loopback, 64 connections; numbers in
 * docs/BENCHMARKS.md, "## traffic"). The JDK's HttpClient spends most of its CPU in its
 * asynchronous pipeline (selector hand-offs, CompletableFuture stages) and used about four times
 * the CPU per request of this one; Jetty 12's client, blocking or asynchronous, and Apache's own
 * asynchronous client about twice. Helidon's WebClient stalls on cached connections (a background reader per returned
 * connection that the next request must cancel and await). A blocking client needs a thread per
 * request in flight; platform and virtual threads cost about the same CPU per request with it
 * (medians over five rounds: 61 and 58 µs), so the closed model uses a platform thread per
 * connection and the open model a virtual thread per arrival (see {@link OpenLoopRunner} why).
 *
 * <p>{@code --timeout} holds for the whole request (lease, connect, send, last byte of the answer):
 * a {@link RequestTimer} cancels a request still running when its time is up, which closes its
 * connection and ends any blocked connect or read. Connect and read timeouts of the same length
 * on the sockets stay as a second line. A request cancelled while it was still opening its
 * connection (TCP and TLS) is reported as "connect timed out", a connection error, as the socket's
 * own connect timeout would have reported it; any other as "timed out".
 */
public final class HttpEngine implements AutoCloseable {
    /** A pooled connection idle this long is checked (one non-blocking read) before reuse, so a
     *  connection the server closed in the meantime is not handed to a request. */
    private static final TimeValue CHECK_AFTER_IDLE = TimeValue.ofSeconds(1);
    /** Methods whose request may go again when a kept-alive connection turned out closed (RFC 9110 9.2.2). */
    private static final Set<String> REPLAYABLE = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");

    private final SSLContext tls;
    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient client;
    private final RequestConfig config;
    private final RequestTimer timer;
    /** What each sending thread reuses from one request to the next, instead of making it anew. */
    private final boolean insecure;

    private final ThreadLocal<PerThread> perThread = ThreadLocal.withInitial(PerThread::new);

    /**
     * @param timeout how long a request may take, from asking the pool for a connection to the
     *     last byte of the answer
     * @param connectionsPerTarget how many connections to keep open per target (host and port) at
     *     most: the number of requests that may be in flight
     */
    public HttpEngine(TrustSettings trust, Duration timeout, int connectionsPerTarget) {
        Timeout limit = Timeout.of(timeout);
        this.tls = sslContext(trust);
        this.insecure = trust.insecure();
        this.pool = new ConnectPhaseMarking()
                .setTlsSocketStrategy(tls(tls, trust.insecure()))
                // LAX: no pool-wide lock on every lease and release; it holds the limit per target
                // only, which is the limit mkplat needs.
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                // LIFO: at a low rate the same few connections stay warm instead of all going stale.
                .setConnPoolPolicy(PoolReusePolicy.LIFO)
                .setMaxConnPerRoute(connectionsPerTarget)
                .setMaxConnTotal(connectionsPerTarget)
                .setDefaultSocketConfig(SocketConfig.custom()
                        .setTcpNoDelay(true)
                        .setSoTimeout(limit)
                        .build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(limit)
                        .setSocketTimeout(limit)
                        .setValidateAfterInactivity(CHECK_AFTER_IDLE)
                        .build())
                .build();
        this.client = HttpClients.createMinimal(pool);
        // The sockets keep the read timeout the connection was made with; a response timeout here
        // would set it again before every request.
        this.config = RequestConfig.custom().setConnectionRequestTimeout(limit).build();
        this.timer = new RequestTimer(timeout.toNanos());
    }

    private static DefaultClientTlsStrategy tls(SSLContext context, boolean insecure) {
        if (insecure) {
            // Neither the JDK (endpoint identification) nor the library checks the host name.
            return new DefaultClientTlsStrategy(
                    context, HostnameVerificationPolicy.CLIENT, NoopHostnameVerifier.INSTANCE);
        }
        return new DefaultClientTlsStrategy(context);
    }

    /** The TLS settings this engine trusts servers with, for another engine of the same run to share. */
    public ClientTls tls() {
        return new ClientTls(tls, !insecure);
    }

    static SSLContext sslContext(TrustSettings trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            if (trust.insecure()) {
                context.init(null, new TrustManager[] {new TrustEverything()}, null);
                return context;
            }
            if (trust.caFile().isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int i = 0;
            for (X509Certificate cert : TrustSettings.jdkAnchors()) {
                anchors.setCertificateEntry("jdk-" + i++, cert);
            }
            for (X509Certificate cert : trust.extraAnchors()) {
                anchors.setCertificateEntry("extra-" + i++, cert);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * A request ready to send any number of times: the library's request objects carry the state
     * of one exchange (and cancelling it), so each send builds a fresh one from this.
     */
    public static final class Prepared {
        final String method;
        final URI uri;
        final Header[] headers;
        /** Repeatable, so one instance serves every send. */
        final HttpEntity body;

        final boolean keepBody;

        Prepared(String method, URI uri, Header[] headers, HttpEntity body, boolean keepBody) {
            this.method = method;
            this.uri = uri;
            this.headers = headers;
            this.body = body;
            this.keepBody = keepBody;
        }

        public URI uri() {
            return uri;
        }
    }

    /**
     * @param body the body, or null for none
     * @param keepBody whether the caller needs the answer's body (to capture values from it)
     */
    public Prepared prepare(
            String method, URI uri, Map<String, String> headers, byte[] body, String contentType, boolean keepBody) {
        Header[] list = headers.entrySet().stream()
                .map(h -> new BasicHeader(h.getKey(), h.getValue()))
                .toArray(Header[]::new);
        HttpEntity entity = body == null
                ? null
                : new ByteArrayEntity(body, contentType == null ? null : ContentType.parse(contentType));
        return new Prepared(method, uri, list, entity, keepBody);
    }

    /** Sends {@code request} and waits for the whole answer; never throws for network trouble. */
    public RequestOutcome send(Prepared prepared) {
        HttpUriRequestBase request = new HttpUriRequestBase(prepared.method, prepared.uri);
        request.setHeaders(prepared.headers);
        request.setEntity(prepared.body);
        request.setConfig(config);
        PerThread mine = perThread.get();
        RequestTimer.Timed timed = timer.start(request);
        mine.timed = timed;
        try {
            // The context is reused by this thread: clear what the last exchange left, so that
            // wasReused() speaks of this one.
            mine.context.setEndpointDetails(null);
            try {
                return exchange(request, prepared, mine);
            } catch (NoHttpResponseException | SocketException e) {
                // The server had closed this kept-alive connection before the request reached it
                // (idle timeout, idle-connection limit): the answer is an end of stream or a reset.
                // An idempotent request goes once more on another connection, as browsers and Go's
                // client do. Its latency still counts from the intended send time.
                if (e instanceof ConnectException
                        || !REPLAYABLE.contains(prepared.method)
                        || !wasReused(mine.context)
                        || timed.expired()) {
                    throw e;
                }
                HttpUriRequestBase again = new HttpUriRequestBase(prepared.method, prepared.uri);
                again.setHeaders(prepared.headers);
                again.setEntity(prepared.body);
                again.setConfig(config);
                timed.retarget(again);
                return exchange(again, prepared, mine);
            }
        } catch (IOException | RuntimeException e) {
            if (timed.expired()) {
                return timed.expiredConnecting()
                        ? RequestOutcome.failed(OutcomeKind.CONNECTION_ERROR, "connect timed out")
                        : RequestOutcome.failed(OutcomeKind.TIMEOUT, "timed out");
            }
            return classify(e);
        } finally {
            timed.finish();
            mine.timed = null;
        }
    }

    private static boolean wasReused(HttpClientContext context) {
        EndpointDetails endpoint = context.getEndpointDetails();
        return endpoint != null && endpoint.getRequestCount() > 1;
    }

    private RequestOutcome exchange(HttpUriRequestBase request, Prepared prepared, PerThread mine) throws IOException {
        return client.execute(request, mine.context, response -> {
            HttpEntity entity = response.getEntity();
            byte[] body = null;
            if (entity != null) {
                if (prepared.keepBody) {
                    body = EntityUtils.toByteArray(entity);
                } else {
                    discard(entity, mine.scratch);
                }
            }
            return RequestOutcome.answered(response.getCode(), body);
        });
    }

    /** Reads the body to its end, so that the connection can carry the next request. */
    private static void discard(HttpEntity entity, byte[] buffer) throws IOException {
        try (InputStream in = entity.getContent()) {
            while (in.read(buffer) >= 0) {
                // nothing to keep
            }
        }
    }

    /** Timeouts, refused or broken connections and TLS failures, each in a few words for the report. */
    static RequestOutcome classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // before SocketTimeoutException, which it extends
            if (t instanceof ConnectTimeoutException) {
                return RequestOutcome.failed(OutcomeKind.CONNECTION_ERROR, "connect timed out");
            }
            if (t instanceof SocketTimeoutException) {
                return RequestOutcome.failed(OutcomeKind.TIMEOUT, "timed out");
            }
            if (t instanceof ConnectionRequestTimeoutException) {
                return RequestOutcome.failed(OutcomeKind.TIMEOUT, "timed out waiting for a free connection");
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return RequestOutcome.failed(OutcomeKind.CONNECTION_ERROR, "connection refused");
            }
            if (t instanceof UnknownHostException) {
                return RequestOutcome.failed(OutcomeKind.CONNECTION_ERROR, "unknown host " + t.getMessage());
            }
            if (t instanceof SSLException) {
                return RequestOutcome.failed(OutcomeKind.CONNECTION_ERROR, "TLS: " + t.getMessage());
            }
            if (t instanceof InterruptedIOException) {
                return RequestOutcome.failed(OutcomeKind.CONNECTION_ERROR, "interrupted");
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return RequestOutcome.failed(
                OutcomeKind.CONNECTION_ERROR,
                root instanceof IOException ? message : root.getClass().getSimpleName() + ": " + message);
    }

    @Override
    public void close() {
        timer.close();
        client.close(CloseMode.IMMEDIATE);
    }

    /**
     * A thread's reusables: the exchange context (the minimal client only puts the current
     * request's attributes in it, which the next request overwrites; a fresh one is a map
     * allocated per request) and a buffer to read unwanted bodies into.
     */
    private static final class PerThread {
        final HttpClientContext context = HttpClientContext.create();
        final byte[] scratch = new byte[8192];
        /** The request this thread is sending, for {@link ConnectPhaseMarking}. */
        RequestTimer.Timed timed;
    }

    /**
     * The library's connection pool, with its connect step wrapped to mark on the request's timer
     * when it is opening a connection. The classic client connects on the calling thread, so the
     * thread's current request is the one connecting.
     */
    private final class ConnectPhaseMarking extends PoolingHttpClientConnectionManagerBuilder {
        @Override
        protected HttpClientConnectionOperator createConnectionOperator(
                SchemePortResolver ports, DnsResolver dns, TlsSocketStrategy tls) {
            HttpClientConnectionOperator operator = super.createConnectionOperator(ports, dns, tls);
            return new HttpClientConnectionOperator() {
                @Override
                public void connect(
                        ManagedHttpClientConnection conn,
                        HttpHost host,
                        InetSocketAddress local,
                        TimeValue connectTimeout,
                        SocketConfig socketConfig,
                        HttpContext context)
                        throws IOException {
                    marked(() -> operator.connect(conn, host, local, connectTimeout, socketConfig, context));
                }

                @Override
                public void connect(
                        ManagedHttpClientConnection conn,
                        HttpHost host,
                        NamedEndpoint endpoint,
                        InetSocketAddress local,
                        Timeout connectTimeout,
                        SocketConfig socketConfig,
                        Object attachment,
                        HttpContext context)
                        throws IOException {
                    marked(() -> operator.connect(
                            conn, host, endpoint, local, connectTimeout, socketConfig, attachment, context));
                }

                @Override
                public void connect(
                        ManagedHttpClientConnection conn,
                        HttpHost host,
                        NamedEndpoint endpoint,
                        Path unixSocket,
                        InetSocketAddress local,
                        Timeout connectTimeout,
                        SocketConfig socketConfig,
                        Object attachment,
                        HttpContext context)
                        throws IOException {
                    marked(() -> operator.connect(
                            conn,
                            host,
                            endpoint,
                            unixSocket,
                            local,
                            connectTimeout,
                            socketConfig,
                            attachment,
                            context));
                }

                @Override
                public void upgrade(ManagedHttpClientConnection conn, HttpHost host, HttpContext context)
                        throws IOException {
                    marked(() -> operator.upgrade(conn, host, context));
                }

                @Override
                public void upgrade(
                        ManagedHttpClientConnection conn,
                        HttpHost host,
                        NamedEndpoint endpoint,
                        Object attachment,
                        HttpContext context)
                        throws IOException {
                    marked(() -> operator.upgrade(conn, host, endpoint, attachment, context));
                }
            };
        }

        private void marked(Connect step) throws IOException {
            RequestTimer.Timed timed = perThread.get().timed;
            if (timed != null) {
                timed.connecting(true);
            }
            try {
                step.run();
            } finally {
                if (timed != null) {
                    timed.connecting(false);
                }
            }
        }
    }

    @FunctionalInterface
    private interface Connect {
        void run() throws IOException;
    }

    /**
     * {@code --insecure}: accepts any certificate chain. An extended trust manager, so that the JDK
     * does not wrap it in one that checks the host name after all.
     */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
