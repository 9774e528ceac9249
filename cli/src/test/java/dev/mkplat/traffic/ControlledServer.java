package dev.mkplat.traffic;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;

/**
 * An HTTP(S) server on loopback whose behaviour the test controls: a fixed latency, a status, one
 * stall (every request that arrives or is running before the stall ends waits for it). It keeps
 * the arrival time of every request and the most requests it ever had at once, as a server-side
 * view to check the generator against.
 */
public final class ControlledServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Long> arrivals = new ArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostRunning = new AtomicInteger();
    private final AtomicLong stallUntil = new AtomicLong();
    private volatile long latencyNanos;
    private volatile int status = 200;
    private volatile long stallAtRequest = -1;
    private volatile long stallNanos;
    private volatile int ignoreFirst;

    private ControlledServer(HttpServer server) {
        this.server = server;
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static ControlledServer http() throws IOException {
        return new ControlledServer(
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024));
    }

    public static ControlledServer https(SSLContext tls) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new ControlledServer(server);
    }

    /** http://127.0.0.1:PORT/ (or https://localhost:PORT/ for TLS, matching the certificate's name). */
    public URI url() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        String host = server instanceof HttpsServer ? "localhost" : "127.0.0.1";
        return URI.create(scheme + "://" + host + ":" + server.getAddress().getPort() + "/");
    }

    public ControlledServer latency(long millis) {
        this.latencyNanos = millis * 1_000_000L;
        return this;
    }

    public ControlledServer status(int code) {
        this.status = code;
        return this;
    }

    /** Stalls everything for {@code millis} once the {@code n}-th request arrives. */
    public ControlledServer stallAtRequest(long n, long millis) {
        this.stallAtRequest = n;
        this.stallNanos = millis * 1_000_000L;
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        int number;
        synchronized (arrivals) {
            arrivals.add(now);
            number = arrivals.size();
        }
        int nowRunning = running.incrementAndGet();
        if (number > ignoreFirst) {
            mostRunning.accumulateAndGet(nowRunning, Math::max);
        }
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            if (number == stallAtRequest) {
                stallUntil.set(now + stallNanos);
            }
            sleepUntil(now + latencyNanos);
            long stallEnd = stallUntil.get();
            if (stallEnd != 0) {
                sleepUntil(stallEnd);
            }
            byte[] body = "{\"ok\":true}".getBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } finally {
            running.decrementAndGet();
        }
    }

    private static void sleepUntil(long instant) {
        long left;
        while ((left = instant - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            // close() interrupts the handlers: parkNanos would return at once from then on, and the
            // loop would spin and starve the next test's server of carrier threads.
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    /** Leaves the first {@code n} requests (the generator's warm-up) out of {@link #mostAtOnce()}. */
    public ControlledServer ignoreFirst(int n) {
        this.ignoreFirst = n;
        return this;
    }

    /** Arrival instants ({@link System#nanoTime()}) of every request so far. */
    public List<Long> arrivals() {
        synchronized (arrivals) {
            return List.copyOf(arrivals);
        }
    }

    public int requests() {
        synchronized (arrivals) {
            return arrivals.size();
        }
    }

    /** The most requests that were being handled at the same moment. */
    public int mostAtOnce() {
        return mostRunning.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
