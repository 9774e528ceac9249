package dev.mkplat.monitor;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.AtomicFileWriter;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The values given to the chart: the bundled ones, then the user's {@code --values} file over them
 * (maps merged key by key, anything else replaced, as Helm merges several values files), with
 * mkplat.yaml's alert routing ({@link AlertRouting}) and Grafana's log and trace data sources
 * ({@link LogDatasources}) between the two, then the Grafana host of
 * mkplat.yaml. One YAML document, so that what Helm stores is exactly what the
 * fingerprint covers.
 *
 * @param yaml the merged values
 */
public record StackValues(String yaml) {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    /** Merges the bundled values, the user's file and the platform's Grafana host. */
    public static StackValues merge(String bundled, Optional<Path> userFile, PlatformConfig config) {
        ObjectNode values = mapping(bundled, "the bundled values");
        // mkplat.yaml's alert routing, before the user's file: values given there explicitly win.
        mergeInto(values, AlertRouting.values(config.alerting()));
        // mkplat.yaml's log and trace stores, the same way: a user's additionalDataSources replace them.
        mergeInto(values, LogDatasources.values(config.logs()));
        if (userFile.isPresent()) {
            Path file = userFile.get();
            String text;
            try {
                text = Files.readString(file);
            } catch (NoSuchFileException e) {
                throw MkplatException.usage(
                        "the values file " + file + " does not exist", "pass an existing YAML file to --values");
            } catch (IOException e) {
                throw new MkplatException(ExitCode.FAILED, "cannot read " + file + ": " + e.getMessage(), null, e);
            }
            mergeInto(values, text.isBlank() ? YAML.createObjectNode() : mapping(text, file.toString()));
        }
        grafanaHost(values, config.hosts().monitoring());
        return new StackValues(YAML.writeValueAsString(values));
    }

    private static ObjectNode mapping(String text, String where) {
        JsonNode tree;
        try {
            tree = YAML.readTree(text);
        } catch (JacksonException e) {
            throw MkplatException.usage(
                    "cannot parse " + where + ": " + e.getOriginalMessage(),
                    "values files are YAML mappings, as for helm --values");
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return YAML.createObjectNode();
        }
        if (!(tree instanceof ObjectNode object)) {
            throw MkplatException.usage(
                    where + " is not a YAML mapping", "values files are YAML mappings, as for helm --values");
        }
        return object;
    }

    /** Helm's rule for several values files: a later map merges into an earlier one, anything else replaces it. */
    static void mergeInto(ObjectNode base, ObjectNode over) {
        for (Map.Entry<String, JsonNode> entry : over.properties()) {
            JsonNode existing = base.get(entry.getKey());
            if (existing instanceof ObjectNode baseChild && entry.getValue() instanceof ObjectNode overChild) {
                mergeInto(baseChild, overChild);
            } else {
                base.set(entry.getKey(), entry.getValue());
            }
        }
    }

    /** Grafana's Ingress host, its TLS host and its root URL follow mkplat.yaml's hosts.monitoring. */
    private static void grafanaHost(ObjectNode values, String host) {
        if (!(values.get("grafana") instanceof ObjectNode grafana)
                || !(grafana.get("ingress") instanceof ObjectNode ingress)) {
            return;
        }
        if (ingress.get("hosts") instanceof ArrayNode) {
            ingress.putArray("hosts").add(host);
        }
        if (ingress.get("tls") instanceof ArrayNode tls) {
            for (JsonNode entry : tls) {
                if (entry instanceof ObjectNode tlsEntry && tlsEntry.has("hosts")) {
                    tlsEntry.putArray("hosts").add(host);
                }
            }
        }
        if (grafana.get("grafana.ini") instanceof ObjectNode ini
                && ini.get("server") instanceof ObjectNode server
                && server.has("root_url")) {
            server.put("root_url", "https://" + host);
        }
    }

    /**
     * What Helm is asked to install, in 16 hex digits: the chart (its repository, name and version,
     * or the archive's bytes) and these values. Stored as the release's description, so that a
     * rerun with the same inputs can tell that nothing changed without asking the repository.
     */
    public String fingerprint(ChartSource chart) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            switch (chart) {
                case ChartSource.Repository repository ->
                    sha.update((repository.url() + "\n" + repository.chart() + "\n" + repository.version() + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                case ChartSource.Archive archive -> sha.update(readArchive(archive.file()));
            }
            sha.update(yaml.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] readArchive(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw MkplatException.usage(
                    "the chart archive " + file + " does not exist",
                    "pass a .tgz made by helm package or helm pull to --chart");
        } catch (IOException e) {
            throw new MkplatException(ExitCode.FAILED, "cannot read " + file + ": " + e.getMessage(), null, e);
        }
    }

    /** Writes the values to {@code file}, readable by the owner only: a user's values may hold passwords. */
    public Path writeTo(Path file) {
        AtomicFileWriter.write(file, yaml.getBytes(StandardCharsets.UTF_8), AtomicFileWriter.PRIVATE);
        return file;
    }
}
