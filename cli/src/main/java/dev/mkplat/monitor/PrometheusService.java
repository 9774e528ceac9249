package dev.mkplat.monitor;

import dev.mkplat.core.MkplatException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Service in front of Prometheus, which mkplat reaches through the API server's service proxy.
 *
 * @param namespace its namespace
 * @param name      its name
 * @param port      the port's name or number
 */
public record PrometheusService(String namespace, String name, String port) {
    /** kube-prometheus-stack's, for the release mkplat installs: {@code monitoring/kube-prometheus-stack-prometheus:http-web}. */
    public static final PrometheusService STACK =
            new PrometheusService("monitoring", "kube-prometheus-stack-prometheus", "http-web");

    private static final Pattern FORM = Pattern.compile("([a-z0-9-]+)/([a-z0-9-]+):([a-z0-9-]+)");

    /** Parses {@code NAMESPACE/SERVICE:PORT}. */
    public static PrometheusService parse(String text) {
        Matcher matcher = FORM.matcher(text);
        if (!matcher.matches()) {
            throw MkplatException.usage(
                    "--prometheus must be NAMESPACE/SERVICE:PORT, got '" + text + "'",
                    "for example --prometheus " + STACK);
        }
        return new PrometheusService(matcher.group(1), matcher.group(2), matcher.group(3));
    }

    @Override
    public String toString() {
        return namespace + "/" + name + ":" + port;
    }
}
