package dev.mkplat.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.config.PlatformConfig.Alerting;
import dev.mkplat.config.PlatformConfig.Email;
import dev.mkplat.config.PlatformConfig.Webhook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Alertmanager's routing as chart values: receivers from mkplat.yaml, credentials only as files of a Secret. */
class AlertRoutingTest {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    static final Email EMAIL = new Email(
            "oncall@example.test",
            "alertmanager@example.test",
            "smtp.example.test:587",
            Optional.of("alertmanager@example.test"),
            true);
    static final Alerting BOTH =
            new Alerting(Optional.of(EMAIL), Optional.of(new Webhook(true)), Alerting.DEFAULT_CREDENTIALS_SECRET);

    @Test
    void withoutReceiversTheChartsOwnRoutingStays() {
        assertThat(AlertRouting.values(Alerting.defaults()).isEmpty()).isTrue();
        JsonNode merged = YAML.readTree(StackValues.merge(
                        "alertmanager:\n  alertmanagerSpec:\n    replicas: 1\n",
                        Optional.empty(),
                        PlatformConfig.defaults())
                .yaml());
        assertThat(merged.path("alertmanager").has("config")).isFalse();
    }

    @Test
    void emailAndWebhookReadTheirCredentialsFromTheMountedSecret() {
        JsonNode values = YAML.readTree(YAML.writeValueAsString(AlertRouting.values(BOTH)));
        JsonNode alertmanager = values.path("alertmanager");
        assertThat(alertmanager.path("alertmanagerSpec").path("secrets"))
                .extracting(JsonNode::asText)
                .containsExactly("alertmanager-credentials");
        JsonNode receiver = receiver(alertmanager.path("config"), AlertRouting.RECEIVER);
        JsonNode mail = receiver.path("email_configs").get(0);
        assertThat(mail.path("to").asText()).isEqualTo("oncall@example.test");
        assertThat(mail.path("auth_username").asText()).isEqualTo("alertmanager@example.test");
        assertThat(mail.path("auth_password_file").asText())
                .isEqualTo("/etc/alertmanager/secrets/alertmanager-credentials/smtp-password");
        assertThat(mail.has("auth_password")).isFalse();
        JsonNode hook = receiver.path("webhook_configs").get(0);
        assertThat(hook.path("url_file").asText())
                .isEqualTo("/etc/alertmanager/secrets/alertmanager-credentials/webhook-url");
        assertThat(hook.has("url")).isFalse();
        assertThat(AlertRouting.credentialKeys(BOTH)).containsExactly("smtp-password", "webhook-url");
        // Every alert reaches the receiver, except the chart's always-firing Watchdog.
        assertThat(alertmanager.path("config").path("route").path("receiver").asText())
                .isEqualTo(AlertRouting.RECEIVER);
    }

    @Test
    void anSmtpServerWithoutLoginNeedsNoSecret() {
        Alerting open = new Alerting(
                Optional.of(new Email(
                        "ops@example.test", "am@example.test", "mail.example.test:25", Optional.empty(), false)),
                Optional.empty(),
                Alerting.DEFAULT_CREDENTIALS_SECRET);
        JsonNode alertmanager = YAML.readTree(YAML.writeValueAsString(AlertRouting.values(open)))
                .path("alertmanager");
        assertThat(alertmanager.has("alertmanagerSpec")).isFalse();
        assertThat(AlertRouting.credentialKeys(open)).isEmpty();
        JsonNode mail = receiver(alertmanager.path("config"), AlertRouting.RECEIVER)
                .path("email_configs")
                .get(0);
        assertThat(mail.has("auth_username")).isFalse();
        assertThat(mail.path("require_tls").asBoolean()).isFalse();
    }

    @Test
    void theRoutingIsInTheValuesHelmGetsAndTheUsersFileStillWins(@TempDir Path dir) throws Exception {
        PlatformConfig config = PlatformConfig.defaults().withAlerting(BOTH);
        JsonNode merged = YAML.readTree(
                StackValues.merge("alertmanager:\n  alertmanagerSpec:\n    replicas: 1\n", Optional.empty(), config)
                        .yaml());
        assertThat(merged.path("alertmanager")
                        .path("alertmanagerSpec")
                        .path("replicas")
                        .asInt())
                .isEqualTo(1);
        assertThat(merged.path("alertmanager")
                        .path("config")
                        .path("route")
                        .path("receiver")
                        .asText())
                .isEqualTo(AlertRouting.RECEIVER);
        Path user = Files.writeString(
                dir.resolve("values.yaml"), "alertmanager:\n  config:\n    route:\n      group_wait: 10s\n");
        JsonNode overridden =
                YAML.readTree(StackValues.merge("{}", Optional.of(user), config).yaml());
        assertThat(overridden
                        .path("alertmanager")
                        .path("config")
                        .path("route")
                        .path("group_wait")
                        .asText())
                .isEqualTo("10s");
        assertThat(overridden
                        .path("alertmanager")
                        .path("config")
                        .path("route")
                        .path("receiver")
                        .asText())
                .isEqualTo(AlertRouting.RECEIVER);
    }

    static JsonNode receiver(JsonNode config, String name) {
        for (JsonNode receiver : config.path("receivers")) {
            if (receiver.path("name").asText().equals(name)) {
                return receiver;
            }
        }
        throw new AssertionError("no receiver " + name + " in " + config);
    }

    static List<Alerting> examples() {
        Alerting emailOnly = new Alerting(Optional.of(EMAIL), Optional.empty(), Alerting.DEFAULT_CREDENTIALS_SECRET);
        Alerting webhookOnly = new Alerting(Optional.empty(), Optional.of(new Webhook(false)), "team-alerting");
        return List.of(BOTH, emailOnly, webhookOnly);
    }
}
