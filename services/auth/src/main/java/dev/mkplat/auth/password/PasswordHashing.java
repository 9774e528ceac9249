package dev.mkplat.auth.password;

import dev.mkplat.service.http.DependencyUnavailableException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Argon2id for the request handlers on a few platform threads of its own.
 *
 * <p>Why not on the request's virtual thread: one Argon2id call keeps a CPU busy for tens of
 * milliseconds without ever blocking, so it would hold a carrier thread the whole time. With as
 * many carriers as cores (two in a small pod), two concurrent logins would stall every other
 * request, {@code /verify} and the kubelet's probes included. Here the virtual thread parks while
 * it waits, the number of hashes in progress (each 19 MiB) is bounded, and when the queue is full
 * the caller gets a 503 with {@code Retry-After} instead of an ever-growing backlog.
 */
public final class PasswordHashing implements AutoCloseable {
    /** The name in 503 errors when every hashing slot is taken. */
    public static final String DEPENDENCY = "password-hashing";

    private static final Logger LOG = LoggerFactory.getLogger(PasswordHashing.class);
    private static final Duration MAX_WAIT = Duration.ofSeconds(10);

    private final Argon2idHasher hasher;
    private final ThreadPoolExecutor executor;
    private final String dummyHash;

    /**
     * @param threads       hashes computed at the same time (at most one per core is useful)
     * @param queueCapacity hashes that may wait for a thread before callers get 503
     */
    public PasswordHashing(Argon2idHasher hasher, int threads, int queueCapacity) {
        this.hasher = hasher;
        this.executor = new ThreadPoolExecutor(
                threads,
                threads,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity),
                Thread.ofPlatform().name("argon2-", 1).daemon(true).factory(),
                new ThreadPoolExecutor.AbortPolicy());
        // Logins of unknown users are checked against this, so that they cost as much as real ones
        // and the response time does not tell whether a user exists.
        this.dummyHash = hasher.hash(UUID.randomUUID().toString());
    }

    /** One thread per available core, and a queue of 32 per thread. */
    public static PasswordHashing forThisMachine(Argon2idHasher hasher) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        return new PasswordHashing(hasher, threads, 32 * threads);
    }

    /** The PHC string to store for {@code password}. */
    public String hash(String password) {
        return run(() -> hasher.hash(password));
    }

    /**
     * True when {@code password} matches {@code storedHash}. When there is no stored hash (unknown
     * user) the same work is done against a dummy hash and the answer is false.
     *
     * <p>The dummy is made with today's parameters, so an unknown user costs exactly what a user with
     * an up-to-date hash costs. A user whose hash still has older parameters costs what those
     * parameters cost, and no dummy work can hide that without knowing them. We accept the
     * difference, for three reasons: it tells only that such a username exists, which
     * {@code POST /register} answers anyway with 409 for a taken name; it exists only after the
     * parameters were raised and only until that user's next successful login, which upgrades the
     * hash; and each sample costs the prober a failed login, which the address lockout limits to a
     * handful per window.
     */
    public boolean verify(String password, Optional<String> storedHash) {
        return run(() -> {
            if (storedHash.isEmpty()) {
                hasher.verify(password, dummyHash);
                return false;
            }
            try {
                return hasher.verify(password, storedHash.get());
            } catch (IllegalArgumentException e) {
                // A corrupt row must not lock its user out with a 500 that also reveals the user exists.
                LOG.error("a stored password hash cannot be read ({}); the login is refused", e.getMessage());
                return false;
            }
        });
    }

    /** The hash unknown users are checked against; for the tests that pin its parameters. */
    String dummyHash() {
        return dummyHash;
    }

    /**
     * A new hash of {@code password} when {@code storedHash} (which it was just verified against)
     * was made with other parameters than today's, else empty.
     */
    public Optional<String> rehashIfOutdated(String password, String storedHash) {
        return run(
                () -> hasher.needsRehash(storedHash) ? Optional.of(hasher.hash(password)) : Optional.<String>empty());
    }

    private <T> T run(Callable<T> work) {
        Future<T> future;
        try {
            future = executor.submit(work);
        } catch (RejectedExecutionException e) {
            throw new DependencyUnavailableException(DEPENDENCY, e);
        }
        try {
            return future.get(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new DependencyUnavailableException(DEPENDENCY, e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new DependencyUnavailableException(DEPENDENCY, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
