package dev.mkplat.certs;

import dev.mkplat.certs.CertificateOutcome.Action;
import dev.mkplat.certs.PlatformCertificates.Stored;
import dev.mkplat.core.OutputFormat;
import dev.mkplat.kube.TlsSecrets.Match;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** How {@code certs generate}, {@code regenerate} and {@code show} print their results. Pure: text in, text out. */
public final class CertificateReport {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private CertificateReport() {}

    /** What generate or regenerate did to the files, and where the certificate now stands. */
    public static String outcome(CertificateOutcome outcome, Clock clock) {
        Path directory = outcome.directory();
        StringBuilder text = new StringBuilder();
        text.append(step(directory.resolve("ca.crt") + ", ca.key", outcome.ca()));
        text.append(step(directory.resolve("tls.crt") + ", tls.key", outcome.server()));
        CertificateSummary server = outcome.serverSummary();
        text.append("  SANs:    ").append(String.join(", ", server.dnsNames())).append('\n');
        text.append("  valid:   ").append(validity(server, clock)).append('\n');
        text.append("  sha256:  ").append(server.sha256Fingerprint()).append('\n');
        outcome.notes().forEach(note -> text.append("note: ").append(note).append('\n'));
        if (outcome.ca().action() != Action.KEPT) {
            text.append("next: mkplat certs trust (so that browsers, curl and Java trust the new CA)\n");
        }
        return text.toString();
    }

    /** {@code certs show}: both certificates, the chain check, and the cluster's Secrets. */
    public static String show(
            Path directory, Stored stored, TlsSecretSync.Report cluster, OutputFormat format, Clock clock) {
        return switch (format) {
            case TEXT -> {
                StringBuilder text = new StringBuilder();
                text.append("CA (").append(directory.resolve("ca.crt")).append(")\n");
                certificate(text, stored.ca(), clock);
                text.append("  permits: ")
                        .append(String.join(
                                ", ",
                                stored.ca().permittedDomains().stream()
                                        .map(d -> "*." + d + " and " + d)
                                        .toList()))
                        .append(" (name constraint)\n");
                text.append("\nServer certificate (")
                        .append(directory.resolve("tls.crt"))
                        .append(")\n");
                certificate(text, stored.server(), clock);
                text.append("  SANs:    ")
                        .append(String.join(", ", stored.server().dnsNames()))
                        .append('\n');
                text.append("  chain:   ")
                        .append(
                                stored.chainVerifies()
                                        ? "verifies against ca.crt (PKIX)"
                                        : "does NOT verify against ca.crt: "
                                                + stored.problem().orElse(""))
                        .append('\n');
                text.append("\nCluster\n");
                cluster.lines().forEach(line -> text.append("  ").append(line).append('\n'));
                yield text.toString();
            }
            case JSON ->
                JsonMapper.builder()
                                .build()
                                .writerWithDefaultPrettyPrinter()
                                .writeValueAsString(tree(directory, stored, cluster, clock))
                        + "\n";
            case YAML -> YAMLMapper.builder().build().writeValueAsString(tree(directory, stored, cluster, clock));
        };
    }

    private static void certificate(StringBuilder text, CertificateSummary summary, Clock clock) {
        text.append("  subject: ").append(summary.subject()).append('\n');
        text.append("  issuer:  ")
                .append(summary.issuer().equals(summary.subject()) ? "itself (self-signed)" : summary.issuer())
                .append('\n');
        text.append("  key:     ").append(summary.keyType().description()).append('\n');
        text.append("  valid:   ").append(validity(summary, clock)).append('\n');
        text.append("  sha256:  ").append(summary.sha256Fingerprint()).append('\n');
    }

    private static String validity(CertificateSummary summary, Clock clock) {
        long days = summary.daysLeft(clock);
        return DAY.format(summary.notBefore()) + " to " + DAY.format(summary.notAfter())
                + (days < 0 ? " (EXPIRED " + -days + " days ago)" : " (" + days + " days left)");
    }

    private static String step(String files, CertificateOutcome.Step step) {
        return files + ": " + step.action().word() + " (" + step.reason() + ")\n";
    }

    private static ObjectNode tree(Path directory, Stored stored, TlsSecretSync.Report cluster, Clock clock) {
        JsonMapper mapper = JsonMapper.builder().build();
        ObjectNode root = mapper.createObjectNode();
        root.put("directory", directory.toString());
        ObjectNode ca = summary(root.putObject("ca"), stored.ca(), clock);
        stored.ca().permittedDomains().forEach(ca.putArray("permittedDomains")::add);
        ObjectNode server = summary(root.putObject("server"), stored.server(), clock);
        stored.server().dnsNames().forEach(server.putArray("sans")::add);
        root.put("chainVerifies", stored.chainVerifies());
        ObjectNode secrets = root.putObject("clusterSecrets");
        for (Map.Entry<String, Match> match : cluster.matches().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .toList()) {
            secrets.put(match.getKey(), match.getValue().name().toLowerCase(Locale.ROOT));
        }
        List<String> notes = cluster.matches().isEmpty() ? cluster.lines() : List.of();
        notes.forEach(root.putArray("clusterNotes")::add);
        return root;
    }

    private static ObjectNode summary(ObjectNode node, CertificateSummary summary, Clock clock) {
        node.put("subject", summary.subject());
        node.put("issuer", summary.issuer());
        node.put("keyType", summary.keyType().description());
        node.put("notBefore", summary.notBefore().toString());
        node.put("notAfter", summary.notAfter().toString());
        node.put("daysLeft", summary.daysLeft(clock));
        node.put("sha256", summary.sha256Fingerprint());
        return node;
    }
}
