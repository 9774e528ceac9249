package dev.mkplat.service.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.mkplat.service.ConfigValues;
import dev.mkplat.service.http.ApiException;
import dev.mkplat.service.http.DependencyUnavailableException;
import dev.mkplat.service.http.Json;
import dev.mkplat.service.http.RequestInfo;
import dev.mkplat.service.tracing.Tracing;
import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks Bearer tokens against the auth service. A verified token is cached for at most
 * {@code cacheTtl} and never past the session's own expiry, so an expired session is refused
 * everywhere; a logout takes effect here within {@code cacheTtl}. Each call to auth is a client
 * span of the request's trace, passed on to auth in {@code traceparent}.
 */
public final class TokenVerifier {
    /** The name of the dependency in 503 errors. */
    public static final String DEPENDENCY = "auth";
    /** Tokens are 256 random bits in base64url (43 characters); anything far from that is not worth a call. */
    /**
     * How long a refused token is refused without asking auth again: a client that repeats a dead
     * token costs one call a second, and a token that auth has just issued is refused at most this
     * long if it was checked (by its own client) before it existed.
     */
    static final Duration REFUSAL_TTL = Duration.ofSeconds(1);
    /**
     * How long a connection to auth is kept at most: a NetworkPolicy, or a new auth pod, takes effect
     * within this, and a new connection every few seconds costs nothing next to the calls.
     */
    static final Duration CONNECTION_LIFETIME = Duration.ofSeconds(10);

    private static final int MIN_TOKEN_LENGTH = 16;
    private static final int MAX_TOKEN_LENGTH = 128;
    /** Cloned per use: cheaper than MessageDigest.getInstance, whose provider lookup cost more than the hash. */
    private static final MessageDigest SHA_256 = sha256Prototype();

    private final RotatingHttpClient client;
    private final URI verifyUri;
    private final Duration timeout;
    /**
     * A session, or empty for a token auth refused; refusals are kept only {@link #REFUSAL_TTL}. The
     * values are futures so that checks of a token that is being verified wait for that one call,
     * and share its failure too: a failed future leaves the cache.
     */
    private final AsyncCache<String, Optional<Session>> cache;

    private final Tracing tracing;

    /** The verified owner of a token and when the session ends. */
    public record Session(String username, Instant expiresAt) {}

    public TokenVerifier(URI authUrl, Duration timeout, Duration cacheTtl, long maxEntries, Tracing tracing) {
        this.tracing = tracing;
        this.verifyUri = authUrl.resolve("/verify");
        this.timeout = timeout;
        this.client = new RotatingHttpClient(timeout, CONNECTION_LIFETIME, Clock.systemUTC());
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfter(Expiry.<String, Optional<Session>>creating((key, verdict) -> verdict.map(session -> {
                            Duration untilExpiry = Duration.between(Instant.now(), session.expiresAt());
                            return untilExpiry.compareTo(cacheTtl) < 0 ? untilExpiry : cacheTtl;
                        })
                        .orElse(REFUSAL_TTL.compareTo(cacheTtl) < 0 ? REFUSAL_TTL : cacheTtl)))
                .buildAsync();
    }

    /**
     * From the {@code auth} config node: {@code url} ({@code AUTH_URL}), {@code timeout}
     * ({@code AUTH_TIMEOUT}), {@code cache.ttl} ({@code AUTH_CACHE_TTL}), {@code cache.size};
     * the calls are spans of {@code tracing}.
     */
    public static TokenVerifier from(Config auth, Tracing tracing) {
        String url = auth.get("url").asString().orElse("http://localhost:5000");
        return new TokenVerifier(
                URI.create(url),
                ConfigValues.duration(auth.get("timeout"), Duration.ofSeconds(2)),
                ConfigValues.duration(auth.get("cache.ttl"), Duration.ofSeconds(5)),
                auth.get("cache.size").asLong().orElse(10_000L),
                tracing);
    }

    /**
     * The username of the caller of {@code req}.
     *
     * @throws ApiException 401 when the token is missing, malformed, unknown or expired
     * @throws DependencyUnavailableException when auth does not answer in time
     */
    public String authenticate(ServerRequest req) {
        String header = req.headers()
                .first(HeaderNames.AUTHORIZATION)
                .orElseThrow(() -> ApiException.unauthorized("missing Authorization: Bearer <token>"));
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthorized("Authorization must use the Bearer scheme");
        }
        String token = header.substring(7).trim();
        if (!isTokenShaped(token)) {
            throw ApiException.unauthorized("invalid or expired token");
        }
        String key = sha256(token);
        String requestId = RequestInfo.of(req).requestId();
        Optional<Session> verdict = verdict(key, token, requestId);
        if (verdict.isPresent() && !verdict.get().expiresAt().isAfter(Instant.now())) {
            cache.synchronous().invalidate(key);
            verdict = verdict(key, token, requestId);
        }
        return verdict.orElseThrow(() -> ApiException.unauthorized("invalid or expired token"))
                .username();
    }

    /**
     * The cached verdict on a token, or the one the call in flight for it gives, or a new call's:
     * concurrent checks of one token share one call and its outcome. The call runs on the thread
     * of the check that started it, so its span is a child of that request's.
     */
    private Optional<Session> verdict(String key, String token, String requestId) {
        CompletableFuture<Optional<Session>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<Session>> shared = cache.asMap().putIfAbsent(key, mine);
        if (shared != null) {
            return await(shared);
        }
        try {
            mine.complete(verify(token, requestId));
        } catch (RuntimeException e) {
            // A failure to reach auth is not cached (the cache drops a failed future): the checks
            // waiting for this call fail with it, and the next check asks again.
            mine.completeExceptionally(e);
        }
        return await(mine);
    }

    /** The outcome of a call in flight; waits at most a call's timeout and a little more. */
    private Optional<Session> await(CompletableFuture<Optional<Session>> call) {
        try {
            return call.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new DependencyUnavailableException(DEPENDENCY, new IOException(e.getCause()));
        } catch (TimeoutException e) {
            throw new DependencyUnavailableException(
                    DEPENDENCY, new IOException("no answer from auth /verify in " + timeout, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DependencyUnavailableException(DEPENDENCY, e);
        }
    }

    private Optional<Session> verify(String token, String requestId) {
        // Runs on the thread of the check that started the call, so the current span is its request's.
        Span span = tracing.tracer()
                .spanBuilder("GET /verify")
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("http.request.method", "GET")
                .setAttribute("url.full", verifyUri.toString())
                .setAttribute("server.address", verifyUri.getHost())
                .setAttribute("server.port", (long) verifyUri.getPort())
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(verifyUri)
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + token)
                    .header(RequestInfo.REQUEST_ID.defaultCase(), requestId)
                    .GET();
            tracing.inject(request, HttpRequest.Builder::header);
            HttpResponse<byte[]> response = send(request.build());
            span.setAttribute("http.response.status_code", (long) response.statusCode());
            return switch (response.statusCode()) {
                case 200 -> Optional.of(parse(response.body()));
                case 401 -> Optional.empty();
                default ->
                    throw new DependencyUnavailableException(
                            DEPENDENCY, new IOException("auth answered " + response.statusCode() + " to /verify"));
            };
        } catch (DependencyUnavailableException e) {
            span.setStatus(StatusCode.ERROR, e.getMessage());
            throw e;
        } finally {
            span.end();
        }
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new DependencyUnavailableException(DEPENDENCY, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DependencyUnavailableException(DEPENDENCY, e);
        }
    }

    private static Session parse(byte[] body) {
        JsonNode json = Json.read(new ByteArrayInputStream(body));
        String username = json.path("username").asText(null);
        String expiresAt = json.path("expiresAt").asText(null);
        if (username == null || expiresAt == null) {
            throw new DependencyUnavailableException(
                    DEPENDENCY, new IOException("auth /verify answered without username or expiresAt"));
        }
        return new Session(username, Instant.parse(expiresAt));
    }

    /** 16 to 128 base64url characters ({@code [A-Za-z0-9_-]}); a loop, not a regex, as it runs on every call. */
    static boolean isTokenShaped(String token) {
        int length = token.length();
        if (length < MIN_TOKEN_LENGTH || length > MAX_TOKEN_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = token.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static String sha256(String token) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
        return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.US_ASCII)));
    }

    private static MessageDigest sha256Prototype() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
