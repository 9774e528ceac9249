package dev.mkplat.service.logging;

import io.helidon.logging.common.spi.LoggingProvider;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Helidon's logging SPI, implemented by routing java.util.logging (which Helidon logs through)
 * to SLF4J and logback's JSON lines. Without a provider Helidon prints a plain-text warning at
 * start, the one line of a service's output that would not be JSON.
 */
public final class Slf4jLoggingProvider implements LoggingProvider {
    @Override
    public void initialization() {
        install();
    }

    @Override
    public void runTime() {
        install();
    }

    /** Routes java.util.logging to SLF4J, once. */
    public static synchronized void install() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
