package dev.mkplat.service.health;

/**
 * One readiness check: a name (as shown in {@code /readyz}) and a probe that returns normally when
 * the dependency works and throws with a reason when it does not.
 */
public record DependencyCheck(String name, Probe probe) {
    /** The probe of a dependency: a short round trip such as {@code SELECT 1} or {@code PING}. */
    @FunctionalInterface
    public interface Probe {
        void check() throws Exception;
    }
}
