package dev.mkplat.monitor;

import dev.mkplat.config.PlatformConfig.Alerting;
import dev.mkplat.config.PlatformConfig.Email;
import dev.mkplat.config.PlatformConfig.Webhook;
import dev.mkplat.slo.BurnRateWindow.Severity;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Alertmanager's routing from {@code alerting:} in mkplat.yaml, as chart values: the
 * configuration ({@code alertmanager.config}) and the Secret Alertmanager mounts
 * ({@code alertmanager.alertmanagerSpec.secrets}).
 *
 * <p>The configuration names no credential: the SMTP password and the webhook's URL are read by
 * Alertmanager from the files the Prometheus Operator mounts from the credentials Secret
 * ({@code auth_password_file}, {@code url_file}), so neither the values Helm stores, nor
 * {@code --dry-run}, nor this process ever holds them.
 *
 * <p>Every alert goes to the one receiver, {@value #RECEIVER}, grouped per alert, service, SLO and
 * namespace; pages repeat every {@value #PAGE_REPEAT}, tickets every {@value #TICKET_REPEAT};
 * a page silences the tickets of the same service and SLO; kube-prometheus-stack's
 * {@code Watchdog} (always firing, a dead man's switch) and {@code InfoInhibitor} go nowhere.
 */
public final class AlertRouting {
    /** The receiver every alert goes to. */
    public static final String RECEIVER = "mkplat";

    static final String PAGE_REPEAT = "4h";
    static final String TICKET_REPEAT = "24h";
    /** Where the Prometheus Operator mounts each Secret of {@code alertmanagerSpec.secrets}. */
    static final String SECRETS_DIR = "/etc/alertmanager/secrets/";

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AlertRouting() {}

    /**
     * The chart values for {@code alerting}, to merge over the bundled ones; empty without a
     * receiver, so that the chart's own routing (every alert to nobody) stays.
     */
    public static ObjectNode values(Alerting alerting) {
        ObjectNode values = NODES.objectNode();
        if (!alerting.routes()) {
            return values;
        }
        ObjectNode alertmanager = values.putObject("alertmanager");
        alertmanager.set("config", config(alerting));
        if (needsCredentials(alerting)) {
            alertmanager.putObject("alertmanagerSpec").putArray("secrets").add(alerting.credentialsSecret());
        }
        return values;
    }

    /** The Alertmanager configuration as YAML, as {@code amtool check-config} reads it. */
    public static String configYaml(Alerting alerting) {
        return YAML.writeValueAsString(config(alerting));
    }

    /** Whether a receiver reads a file of the credentials Secret. */
    public static boolean needsCredentials(Alerting alerting) {
        return alerting.webhook().isPresent()
                || alerting.email().flatMap(Email::username).isPresent();
    }

    /** The credentials Secret's keys that the receivers read. */
    public static List<String> credentialKeys(Alerting alerting) {
        return List.of(Alerting.SMTP_PASSWORD_KEY, Alerting.WEBHOOK_URL_KEY).stream()
                .filter(key -> key.equals(Alerting.SMTP_PASSWORD_KEY)
                        ? alerting.email().flatMap(Email::username).isPresent()
                        : alerting.webhook().isPresent())
                .toList();
    }

    static ObjectNode config(Alerting alerting) {
        ObjectNode config = NODES.objectNode();
        ObjectNode route = config.putObject("route");
        route.put("receiver", RECEIVER);
        route.putArray("group_by").add("alertname").add("service").add("slo").add("namespace");
        route.put("group_wait", "30s");
        route.put("group_interval", "5m");
        route.put("repeat_interval", PAGE_REPEAT);
        ArrayNode routes = route.putArray("routes");
        ObjectNode nowhere = routes.addObject();
        nowhere.put("receiver", "null");
        nowhere.putArray("matchers").add("alertname =~ \"Watchdog|InfoInhibitor\"");
        ObjectNode tickets = routes.addObject();
        tickets.put("receiver", RECEIVER);
        tickets.putArray("matchers").add("severity = \"" + Severity.TICKET.label() + "\"");
        tickets.put("repeat_interval", TICKET_REPEAT);

        ArrayNode inhibit = config.putArray("inhibit_rules");
        ObjectNode pageOverTicket = inhibit.addObject();
        pageOverTicket.putArray("source_matchers").add("severity = \"" + Severity.PAGE.label() + "\"");
        pageOverTicket.putArray("target_matchers").add("severity = \"" + Severity.TICKET.label() + "\"");
        pageOverTicket.putArray("equal").add("service").add("slo");

        ArrayNode receivers = config.putArray("receivers");
        receivers.addObject().put("name", "null");
        ObjectNode receiver = receivers.addObject();
        receiver.put("name", RECEIVER);
        String files = SECRETS_DIR + alerting.credentialsSecret() + "/";
        alerting.email().ifPresent(email -> {
            ObjectNode mail = receiver.putArray("email_configs").addObject();
            mail.put("to", email.to());
            mail.put("from", email.from());
            mail.put("smarthost", email.smarthost());
            email.username().ifPresent(username -> {
                mail.put("auth_username", username);
                mail.put("auth_password_file", files + Alerting.SMTP_PASSWORD_KEY);
            });
            mail.put("require_tls", email.requireTls());
            mail.put("send_resolved", true);
        });
        alerting.webhook().ifPresent((Webhook webhook) -> {
            ObjectNode hook = receiver.putArray("webhook_configs").addObject();
            hook.put("url_file", files + Alerting.WEBHOOK_URL_KEY);
            hook.put("send_resolved", webhook.sendResolved());
        });
        return config;
    }
}
