package dev.mkplat.service.http;

/**
 * A dependency (Postgres, Redis, the bucket, the auth service) did not answer in time or refused
 * the connection. It becomes 503 with {@code Retry-After}: the client should come back, and the
 * service keeps running so that it recovers by itself when the dependency returns.
 */
public final class DependencyUnavailableException extends RuntimeException {
    private final String dependency;

    public DependencyUnavailableException(String dependency, Throwable cause) {
        super(dependency + " unavailable", cause);
        this.dependency = dependency;
    }

    public String dependency() {
        return dependency;
    }
}
