package dev.mkplat.deploy;

import dev.mkplat.config.PlatformConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What the user asked {@code deploy} to do.
 *
 * @param config         the platform configuration
 * @param scope          the components to deploy, chosen from the configuration's; all of them
 *                       (when none was named) also prunes components that left the bundle
 * @param certsRoot      the certificates' root directory ({@code certs/}, one folder per domain below)
 * @param forceConflicts take over fields that another field manager owns
 * @param waitForReady   wait for the workloads to be ready ({@code --no-wait} turns it off)
 * @param timeout        the deadline of the whole deploy; each stage's wait also stops at
 *                       {@code config.timeouts().stage()}
 */
public record DeployRequest(
        PlatformConfig config,
        PlatformScope scope,
        Path certsRoot,
        boolean forceConflicts,
        boolean waitForReady,
        Duration timeout) {
    public DeployRequest {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(certsRoot, "certsRoot");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** The same request for another scope (the same components rendered with image pins, for example). */
    public DeployRequest withScope(PlatformScope other) {
        return new DeployRequest(config, other, certsRoot, forceConflicts, waitForReady, timeout);
    }
}
