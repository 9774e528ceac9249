package dev.mkplat.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A registry on loopback that answers the Distribution API's {@code HEAD
 * /v2/<repository>/manifests/<tag>} for every repository, with the digest it was given for it or
 * else one of its own, and counts the questions: how often mkplat asks a registry is what the real
 * one does not tell.
 */
public final class RegistryStandIn implements AutoCloseable {
    private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/[^/]+");

    private final HttpServer server;
    private final Map<String, String> digests;
    private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();

    private RegistryStandIn(HttpServer server, Map<String, String> digests) {
        this.server = server;
        this.digests = Map.copyOf(digests);
    }

    /**
     * Listening on a free loopback port.
     *
     * @param digests the digest to give for a repository ({@code mkplat/api}); the others get {@link #digest}'s
     */
    public static RegistryStandIn start(Map<String, String> digests) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        RegistryStandIn registry = new RegistryStandIn(server, digests);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            var manifest = MANIFEST.matcher(path);
            if (manifest.matches()) {
                registry.asked.computeIfAbsent(path, any -> new AtomicInteger()).incrementAndGet();
                String repository = manifest.group(1);
                exchange.getResponseHeaders()
                        .add("Docker-Content-Digest", registry.digests.getOrDefault(repository, digest(repository)));
                exchange.sendResponseHeaders(200, -1);
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        server.start();
        return registry;
    }

    /** What {@code MKPLAT_REGISTRY} or {@code images.registry} names it by: {@code 127.0.0.1:PORT}. */
    public String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** How often each manifest path was asked for, by path. */
    public Map<String, Integer> manifestRequests() {
        Map<String, Integer> counts = new TreeMap<>();
        asked.forEach((path, count) -> counts.put(path, count.get()));
        return counts;
    }

    /** The digest this registry gives every tag of {@code repository} when it was given none. */
    public static String digest(String repository) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(repository.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
