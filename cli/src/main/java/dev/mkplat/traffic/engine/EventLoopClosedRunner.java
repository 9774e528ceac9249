package dev.mkplat.traffic.engine;

import dev.mkplat.core.BuildVersion;
import dev.mkplat.traffic.report.LoadMetrics;
import dev.mkplat.traffic.report.OutcomeKind;
import dev.mkplat.traffic.report.RequestOutcome;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The closed model on an event loop, for loads made of {@link FixedRequest}s (a {@code --url} run
 * or a scenario of single, variable-free requests): each of {@code connections} connections sends
 * its next request as soon as the previous answer is complete, for {@code duration}.
 *
 * <p>Why a second engine: the blocking {@link HttpEngine} costs a thread wake-up and several system
 * calls per request, which held the closed model to about 0.4× wrk on two cores (docs/BENCHMARKS.md).
 * wrk runs an event loop per core and writes prepared request bytes; this does the same with Netty:
 * one loop per core, each connection pinned to one loop, requests written from prepared buffers,
 * answers parsed by Netty's HTTP decoder, and no hand-off between threads. On Linux it uses Netty's
 * native epoll transport (fewer system calls than the JDK's selector), elsewhere NIO. Timeouts are
 * checked by one sweep per loop every {@link #SWEEP_MILLIS} ms rather than by a timer per request,
 * which would cost two priority-queue operations per request. Scenarios with virtual
 * users and captured values keep the blocking engine, whose code reads as the scenario does.
 *
 * <p>Semantics match {@link ClosedLoopRunner}: latency counts from the send (including the connect
 * when the connection has to be opened), {@code timeout} bounds connect plus answer, a connection
 * the server closes is opened again for the next request, and outcomes are classified as
 * {@link HttpEngine#classify(Throwable)} does.
 */
public final class EventLoopClosedRunner {
    /** How often each loop looks for requests past their timeout: a timeout fires up to this late. */
    static final long SWEEP_MILLIS = 10;
    /** Answers by status, so that recording one allocates nothing. */
    private static final RequestOutcome[] ANSWERS = new RequestOutcome[600];

    static {
        // Netty 4.1 uses sun.misc.Unsafe when it can, and JDK 24+ prints a deprecation warning to
        // the user's terminal for that. Without it Netty uses the ByteBuffer API: measured the same
        // throughput here (52.2k vs 52.4k requests/s against nginx). Set before any Netty class loads.
        if (System.getProperty("io.netty.noUnsafe") == null) {
            System.setProperty("io.netty.noUnsafe", "true");
        }
        for (int status = 100; status < ANSWERS.length; status++) {
            ANSWERS[status] = RequestOutcome.answered(status, null);
        }
    }

    private final List<FixedRequest> requests;
    private final int[] cumulativeWeights;
    private final int totalWeight;
    private final ByteBuf[] prepared;
    private final int connections;
    private final Duration duration;
    private final Duration drain;
    private final Duration timeout;
    private final SSLContext tls;
    private final boolean verifyHostName;
    private final LoadMetrics metrics;
    private final StopSignal stop;
    /** Set when the load ends early (Ctrl-C): no connection starts another request. */
    private volatile boolean stopping;

    /**
     * How long a run sends, waits for its last answers and lets one request take.
     *
     * @param duration how long connections start new requests
     * @param drain    how long the answers still in flight are waited for after that
     * @param timeout  how long one request may take (connect plus answer)
     */
    public record Bounds(Duration duration, Duration drain, Duration timeout) {
        /** A load of {@code duration}, whose last answers get the request timeout and a second more. */
        public static Bounds load(Duration duration, Duration timeout) {
            return new Bounds(duration, timeout.plusSeconds(1), timeout);
        }

        /** A warm-up round of {@code duration}, whose last answers get the request timeout. */
        public static Bounds warmUp(Duration duration, Duration timeout) {
            return new Bounds(duration, timeout, timeout);
        }
    }

    /**
     * @param tls the run's TLS settings ({@link HttpEngine#tls()}: made once per run, since reading
     *     the trust anchors is not free)
     */
    public EventLoopClosedRunner(
            List<FixedRequest> requests,
            int connections,
            Bounds bounds,
            ClientTls tls,
            LoadMetrics metrics,
            StopSignal stop) {
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("no fixed requests to send");
        }
        this.requests = List.copyOf(requests);
        this.cumulativeWeights = new int[requests.size()];
        int sum = 0;
        for (int i = 0; i < requests.size(); i++) {
            sum += requests.get(i).weight();
            cumulativeWeights[i] = sum;
        }
        this.totalWeight = sum;
        this.prepared = requests.stream().map(EventLoopClosedRunner::encode).toArray(ByteBuf[]::new);
        this.connections = connections;
        this.duration = bounds.duration();
        this.drain = bounds.drain();
        this.timeout = bounds.timeout();
        this.tls = tls.context();
        this.verifyHostName = tls.verifyHostName();
        this.metrics = metrics;
        this.stop = stop;
    }

    public RunWindow run() throws InterruptedException {
        int threads = Math.max(1, Math.min(connections, Runtime.getRuntime().availableProcessors()));
        var factory = Thread.ofPlatform().daemon().name("traffic-loop-", 0).factory();
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group =
                epoll ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
        Class<? extends SocketChannel> channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        try {
            long start = System.nanoTime();
            long end = start + duration.toNanos();
            CountDownLatch done = new CountDownLatch(connections);
            Map<EventLoop, List<Connection>> byLoop = new IdentityHashMap<>();
            for (int i = 0; i < connections; i++) {
                Connection connection = new Connection(group.next(), channelType, end, done);
                byLoop.computeIfAbsent(connection.loop, loop -> new ArrayList<>())
                        .add(connection);
            }
            byLoop.forEach((loop, mine) -> loop.execute(() -> {
                loop.scheduleAtFixedRate(
                        () -> mine.forEach(Connection::checkTimeout),
                        SWEEP_MILLIS,
                        SWEEP_MILLIS,
                        TimeUnit.MILLISECONDS);
                mine.forEach(Connection::next);
            }));
            long deadline = end + drain.toNanos();
            boolean interrupted = false;
            while (!done.await(50, TimeUnit.MILLISECONDS)) {
                if (stop.requested() && !interrupted) {
                    interrupted = true;
                    stopping = true;
                    deadline = Math.min(deadline, System.nanoTime() + Math.min(drain.toNanos(), 2_000_000_000L));
                }
                if (System.nanoTime() - deadline >= 0) {
                    break;
                }
            }
            long loadEnd = Math.min(System.nanoTime(), interrupted ? System.nanoTime() : end);
            return new RunWindow(start, loadEnd, metrics.sent(), metrics.inFlight(), interrupted);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
            for (ByteBuf buffer : prepared) {
                buffer.release();
            }
        }
    }

    /** The request's bytes as they go on the wire, in a buffer every connection writes duplicates of. */
    static ByteBuf encode(FixedRequest request) {
        URI uri = request.uri();
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        StringBuilder head = new StringBuilder(256)
                .append(request.method())
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\n");
        Map<String, String> headers = request.headers();
        if (!hasHeader(headers, "Host")) {
            boolean defaultPort = uri.getPort() == -1;
            head.append("Host: ")
                    .append(uri.getHost())
                    .append(defaultPort ? "" : ":" + uri.getPort())
                    .append("\r\n");
        }
        if (!hasHeader(headers, "User-Agent")) {
            head.append("User-Agent: mkplat/").append(BuildVersion.version()).append("\r\n");
        }
        headers.forEach(
                (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        byte[] body = request.body();
        if (body != null) {
            if (request.contentType() != null && !hasHeader(headers, "Content-Type")) {
                head.append("Content-Type: ").append(request.contentType()).append("\r\n");
            }
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuf buffer = Unpooled.directBuffer(start.length + (body == null ? 0 : body.length));
        buffer.writeBytes(start);
        if (body != null) {
            buffer.writeBytes(body);
        }
        return buffer;
    }

    private static boolean hasHeader(Map<String, String> headers, String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return headers.keySet().stream()
                .anyMatch(h -> h.toLowerCase(Locale.ROOT).equals(wanted));
    }

    private int pick() {
        if (cumulativeWeights.length == 1) {
            return 0;
        }
        int r = ThreadLocalRandom.current().nextInt(totalWeight);
        for (int i = 0; i < cumulativeWeights.length; i++) {
            if (r < cumulativeWeights[i]) {
                return i;
            }
        }
        return cumulativeWeights.length - 1;
    }

    /**
     * One connection and the request on it; everything here runs on {@code loop}, so it needs no
     * locks. A connection the server closes, or that failed, is replaced by a new channel on the
     * same loop when the next request goes out.
     */
    private final class Connection {
        final EventLoop loop;
        final long end;
        final CountDownLatch done;
        final Bootstrap bootstrap;
        Channel channel;
        /** Index into {@link #requests} of the request in flight, or -1. */
        int current = -1;

        long sentAt;
        int status;
        boolean keepAlive;
        boolean finished;

        Connection(EventLoop loop, Class<? extends SocketChannel> channelType, long end, CountDownLatch done) {
            this.loop = loop;
            this.end = end;
            this.done = done;
            this.bootstrap = new Bootstrap()
                    .group(loop)
                    .channel(channelType)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                            Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        }

        /** Sends the next request, or finishes this connection when the load is over. */
        void next() {
            if (stopping || stop.requested() || System.nanoTime() - end >= 0) {
                finish();
                return;
            }
            current = pick();
            sentAt = System.nanoTime();
            status = 0;
            metrics.started();
            metrics.countSent();
            if (channel != null && channel.isActive()) {
                channel.writeAndFlush(prepared[current].retainedDuplicate(), channel.voidPromise());
            } else {
                connect();
            }
        }

        private void connect() {
            URI uri = requests.get(current).uri();
            boolean https = "https".equalsIgnoreCase(uri.getScheme());
            int port = uri.getPort() != -1 ? uri.getPort() : https ? 443 : 80;
            String host = uri.getHost().startsWith("[")
                    ? uri.getHost().substring(1, uri.getHost().length() - 1)
                    : uri.getHost();
            ChannelFuture connecting = bootstrap
                    .clone()
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (https) {
                                SSLEngine engine = tls.createSSLEngine(uri.getHost(), port);
                                engine.setUseClientMode(true);
                                if (verifyHostName) {
                                    SSLParameters parameters = engine.getSSLParameters();
                                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                                    engine.setSSLParameters(parameters);
                                }
                                ch.pipeline().addLast(new SslHandler(engine));
                            }
                            ch.pipeline().addLast(new HttpResponseDecoder(), new Answers());
                        }
                    })
                    .connect(new InetSocketAddress(host, port));
            channel = connecting.channel();
            connecting.addListener(f -> {
                if (f.isSuccess()) {
                    if (current >= 0 && channel == connecting.channel()) {
                        channel.writeAndFlush(prepared[current].retainedDuplicate(), channel.voidPromise());
                    }
                } else if (channel == connecting.channel()) {
                    channel = null;
                    fail(f.cause());
                }
            });
        }

        private void complete(RequestOutcome outcome) {
            if (current < 0) {
                return;
            }
            requests.get(current).stats().record(outcome, System.nanoTime() - sentAt);
            current = -1;
            metrics.finished();
        }

        /** The request in flight failed: record why, drop the connection, go on with a new one. */
        private void fail(Throwable cause) {
            if (current < 0) {
                return;
            }
            complete(HttpEngine.classify(cause));
            dropChannel();
            // Through the loop's queue: a refused connect can fail at once, and the next one again.
            loop.execute(this::next);
        }

        /** From the loop's sweep: the request in flight ran out of time. */
        void checkTimeout() {
            if (current < 0 || System.nanoTime() - sentAt < timeout.toNanos()) {
                return;
            }
            boolean connecting = channel != null && !channel.isActive();
            complete(
                    connecting
                            ? RequestOutcome.failed(OutcomeKind.CONNECTION_ERROR, "connect timed out")
                            : RequestOutcome.failed(OutcomeKind.TIMEOUT, "timed out"));
            dropChannel();
            next();
        }

        private void dropChannel() {
            if (channel != null) {
                channel.close();
                channel = null;
            }
        }

        private void finish() {
            if (!finished) {
                finished = true;
                dropChannel();
                done.countDown();
            }
        }

        /** The channel's end of the connection; each channel has its own, all report to the connection. */
        private final class Answers extends ChannelInboundHandlerAdapter {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    if (ctx.channel() != channel || current < 0) {
                        return;
                    }
                    if (msg instanceof HttpResponse response) {
                        if (response.decoderResult().isFailure()) {
                            fail(response.decoderResult().cause());
                            return;
                        }
                        status = response.status().code();
                        keepAlive = HttpUtil.isKeepAlive(response);
                    }
                    if (msg instanceof LastHttpContent && status != 0) {
                        complete(
                                status < ANSWERS.length && ANSWERS[status] != null
                                        ? ANSWERS[status]
                                        : RequestOutcome.answered(status, null));
                        if (!keepAlive) {
                            dropChannel();
                        }
                        next();
                    }
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (ctx.channel() == channel) {
                    channel = null;
                    if (current >= 0) {
                        fail(new IOException("connection closed before the answer was complete"));
                    }
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (ctx.channel() == channel) {
                    fail(cause);
                } else {
                    ctx.close();
                }
            }
        }
    }
}
