package dev.mkplat.auth.redis;

import dev.mkplat.service.health.DependencyCheck;
import dev.mkplat.service.http.DependencyUnavailableException;
import java.util.function.Function;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The service's Redis: a pooled client with short timeouts, through which every command runs so
 * that a Redis that is down, slow or refusing us becomes {@link DependencyUnavailableException}
 * (503 with {@code Retry-After}) instead of a 500 or a hang. Nothing is connected up front, so the
 * service starts (unready) while Redis is down and recovers by itself when it returns.
 */
public final class Redis implements AutoCloseable {
    /** The name of the dependency in readiness output and 503 errors. */
    public static final String DEPENDENCY = "redis";

    private final RedisClient client;

    private Redis(RedisClient client) {
        this.client = client;
    }

    public static Redis connect(RedisSettings settings) {
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        DefaultJedisClientConfig.Builder clientConfig = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMillis)
                .socketTimeoutMillis(timeoutMillis)
                .clientName("mkplat-auth");
        if (!settings.password().isEmpty()) {
            clientConfig.password(settings.password());
        }
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.poolSize());
        // maxIdle below maxTotal would close and reopen connections under load, one per request.
        pool.setMaxIdle(settings.poolSize());
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(settings.timeout());
        // Checking each borrowed connection would add a PING to every /verify; stale connections are
        // instead dropped when a command fails (see call) and by the idle evictor.
        pool.setTestOnBorrow(false);
        pool.setTestWhileIdle(true);
        RedisClient client = RedisClient.builder()
                .hostAndPort(settings.host(), settings.port())
                .clientConfig(clientConfig.build())
                .poolConfig(pool)
                .build();
        return new Redis(client);
    }

    /**
     * Runs {@code command} on a pooled connection, once more on a fresh connection if the pooled
     * one turns out to be dead.
     *
     * <p>Why the retry: after Redis restarts, every idle pooled connection is dead, and the first
     * command on each fails even though Redis is back. A dead connection fails before the new server
     * ever sees the command, so running it again is safe. Should a connection break in the middle
     * of a command instead, the commands of this service tolerate a second run: a GET or a DEL is
     * repeated, a session SET is NX, and a login count is at worst one too high or too low.
     *
     * @throws DependencyUnavailableException when Redis cannot be reached in time or cannot serve
     */
    public <T> T call(Function<UnifiedJedis, T> command) {
        try {
            return command.apply(client);
        } catch (JedisConnectionException e) {
            // The failed connection is discarded by the pool; the idle ones most likely went down
            // with the same server, so they go too, and the retry gets a new connection.
            client.getPool().clear();
            try {
                return command.apply(client);
            } catch (JedisException again) {
                again.addSuppressed(e);
                throw unavailable(again);
            }
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    private static RuntimeException unavailable(JedisException e) {
        if (meansUnavailable(e)) {
            return new DependencyUnavailableException(DEPENDENCY, e);
        }
        return new IllegalStateException("redis rejected a command: " + e.getMessage(), e);
    }

    /**
     * Whether a Redis error means "cannot serve now" (503) rather than "this command is wrong" (a
     * bug, 500). Pool exhaustion, authentication failures and a server that is loading, busy, read
     * only or out of memory are all outages from the client's point of view.
     */
    static boolean meansUnavailable(JedisException e) {
        if (!(e instanceof JedisDataException)
                || e instanceof JedisAccessControlException
                || e instanceof JedisBusyException) {
            return true;
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        for (String prefix :
                new String[] {"LOADING", "MASTERDOWN", "READONLY", "OOM", "NOAUTH", "WRONGPASS", "TRYAGAIN"}) {
            if (message.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The readiness check: a {@code PING} round trip. */
    public DependencyCheck readinessCheck() {
        return new DependencyCheck(DEPENDENCY, () -> {
            String pong;
            try {
                pong = call(UnifiedJedis::ping);
            } catch (DependencyUnavailableException e) {
                throw new IllegalStateException(rootMessage(e), e);
            }
            if (!"PONG".equals(pong)) {
                throw new IllegalStateException("PING answered " + pong);
            }
        });
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    @Override
    public void close() {
        client.close();
    }
}
