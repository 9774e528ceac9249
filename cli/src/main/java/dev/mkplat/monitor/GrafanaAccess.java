package dev.mkplat.monitor;

import java.util.ArrayList;
import java.util.List;

/**
 * How to reach Grafana: its URLs (from its Ingress), and how to read the admin login that mkplat
 * generated, without ever printing the password.
 */
public final class GrafanaAccess {
    /** kube-prometheus-stack's Grafana Service for the release mkplat installs. */
    public static final String SERVICE = "kube-prometheus-stack-grafana";
    /** Its port (Grafana listens on 3000 behind it). */
    public static final int SERVICE_PORT = 80;
    /** The generated Secret with the admin login (manifests/secrets.yaml). */
    public static final String ADMIN_SECRET = "grafana-admin";

    private GrafanaAccess() {}

    /** What {@code monitor open} prints: the URLs (or a forwarded address) and how to log in. */
    public static List<String> lines(String namespace, List<String> urls) {
        List<String> lines = new ArrayList<>();
        if (urls.isEmpty()) {
            lines.add("Grafana has no Ingress here (no ingress controller, or the stack is not installed).");
            lines.add("  mkplat monitor open --port-forward     # serves it on http://127.0.0.1:3000 until Ctrl-C");
        } else {
            urls.forEach(url -> lines.add("Grafana: " + url));
        }
        lines.addAll(login(namespace));
        return lines;
    }

    /** How to read the login; the password itself is never printed by mkplat. */
    public static List<String> login(String namespace) {
        return List.of(
                "Log in as the admin user of the Secret " + namespace + "/" + ADMIN_SECRET + ":",
                "  kubectl -n " + namespace + " get secret " + ADMIN_SECRET
                        + " -o jsonpath='{.data.admin-user}' | base64 -d; echo",
                "  kubectl -n " + namespace + " get secret " + ADMIN_SECRET
                        + " -o jsonpath='{.data.admin-password}' | base64 -d; echo",
                "Dashboards: folder mkplat (Services, Domain, JVM).");
    }
}
