package dev.mkplat.service.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.UUID;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * A real Redis server for tests, protected by a password like the deployed one. It runs Debian's
 * {@code /usr/bin/redis-server} (Redis 7) when installed and otherwise the Redis 6.2 binary that
 * embedded-redis ships inside its jar; nothing is downloaded. Tests may {@link #stop()} and
 * {@link #start()} it on the same port to simulate an outage.
 */
public final class RedisFixture implements AutoCloseable {
    private static final File SYSTEM_REDIS = new File("/usr/bin/redis-server");

    private final int port;
    private final String password = UUID.randomUUID().toString();
    private RedisServer server;

    private RedisFixture(int port) {
        this.port = port;
    }

    public static RedisFixture create() {
        RedisFixture fixture = new RedisFixture(freePort());
        fixture.start();
        return fixture;
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            ExecutableProvider binary =
                    SYSTEM_REDIS.canExecute() ? () -> SYSTEM_REDIS : ExecutableProvider.newJarResourceProvider();
            server = RedisServer.newRedisServer()
                    .executableProvider(binary)
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("requirepass " + password)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .build();
            server.start();
        } catch (IOException e) {
            server = null;
            throw new UncheckedIOException("cannot start embedded Redis on port " + port, e);
        }
    }

    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            server = null;
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
