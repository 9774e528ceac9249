package dev.mkplat.secrets;

import dev.mkplat.config.PlatformConfig;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import dev.mkplat.core.PlatformLabels;
import dev.mkplat.secrets.SecretSpec.CertificatePart;
import dev.mkplat.secrets.SecretSpec.ConfigSetting;
import dev.mkplat.secrets.SecretSpec.FileContent;
import dev.mkplat.secrets.SecretSpec.Random;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Decides, for each Secret of the specification, whether it is generated now, kept as it is, or
 * derived from files, and builds the Secret objects. Pure apart from the random source: what
 * exists in the cluster comes in as a function, so the rules are unit-tested.
 * <ul>
 *   <li>A Secret with a random value that exists is {@link Disposition#KEEP kept}: never rotated
 *       silently, never re-applied.</li>
 *   <li>A missing one is {@link Disposition#GENERATE generated}. A random id shared by several
 *       Secrets (the database's copy of a password and the client's) takes the value of any copy
 *       that exists, so re-creating one side after a destroy still matches the other.</li>
 *   <li>A Secret made only of files and settings (the TLS Secret from the certs directory, the GCS
 *       key) is {@link Disposition#DERIVE derived} on every deploy; applying it unchanged writes
 *       nothing.</li>
 * </ul>
 */
public final class SecretPlanner {
    /**
     * Random passwords: 43 characters of [A-Za-z0-9], as secrets.yaml specifies (safe in redis.conf,
     * psql and URLs): 43 × log2(62) ≈ 256 bits, as much randomness as 32 random bytes.
     */
    static final int PASSWORD_LENGTH = 43;

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** What becomes of one Secret. */
    public enum Disposition {
        GENERATE,
        KEEP,
        DERIVE
    }

    /**
     * One Secret and what to do with it.
     *
     * @param secret the object (for KEEP, with the existing values, which are never printed)
     */
    public record PlannedSecret(Secret secret, Disposition disposition) {}

    /**
     * The plan and anything the user should know.
     *
     * @param warnings for example two copies of a shared password that differ
     */
    public record Plan(List<PlannedSecret> secrets, List<String> warnings) {}

    /** The PEM files of the platform certificate. */
    public record TlsMaterial(byte[] chain, byte[] key) {}

    private final SecureRandom random;

    public SecretPlanner(SecureRandom random) {
        this.random = random;
    }

    /**
     * @param specs       the specification
     * @param config      the configuration (storage mode, settings the values name)
     * @param components  the namespaces being deployed (empty: all)
     * @param existing    the decoded values of a Secret in the cluster, by namespace and name
     * @param certificate the platform certificate, needed when a Secret in scope uses it
     * @param readFile    reads a file a setting names (the GCS key)
     */
    public Plan plan(
            List<SecretSpec> specs,
            PlatformConfig config,
            Set<String> components,
            BiFunction<String, String, Optional<Map<String, String>>> existing,
            Optional<TlsMaterial> certificate,
            Function<Path, byte[]> readFile) {
        List<SecretSpec> applicable =
                specs.stream().filter(spec -> applies(spec, config)).toList();
        Map<String, Optional<Map<String, String>>> live = new HashMap<>();
        for (SecretSpec spec : applicable) {
            if (spec.generated()) {
                live.put(key(spec), existing.apply(spec.namespace(), spec.name()));
            }
        }
        List<String> warnings = new ArrayList<>();
        Map<String, String> sharedValues = sharedValues(applicable, live, warnings);

        List<PlannedSecret> planned = new ArrayList<>();
        for (SecretSpec spec : applicable) {
            if (!components.isEmpty() && !components.contains(spec.namespace())) {
                continue;
            }
            Optional<Map<String, String>> current = live.getOrDefault(key(spec), Optional.empty());
            if (spec.generated() && current.isPresent()) {
                planned.add(new PlannedSecret(secret(spec, current.get()), Disposition.KEEP));
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            spec.data()
                    .forEach((name, source) -> values.put(
                            name,
                            switch (source) {
                                case Random shared -> sharedValues.computeIfAbsent(shared.id(), id -> password());
                                case ConfigSetting setting -> setting(config, setting);
                                case CertificatePart part -> certificatePart(certificate, part, spec);
                                case FileContent file ->
                                    new String(readFile.apply(file(config, file)), StandardCharsets.UTF_8);
                            }));
            planned.add(new PlannedSecret(
                    secret(spec, values), spec.generated() ? Disposition.GENERATE : Disposition.DERIVE));
        }
        return new Plan(planned, warnings);
    }

    /** The value each shared random id already has in the cluster. */
    private static Map<String, String> sharedValues(
            List<SecretSpec> specs, Map<String, Optional<Map<String, String>>> live, List<String> warnings) {
        Map<String, String> values = new HashMap<>();
        Map<String, String> holders = new HashMap<>();
        for (SecretSpec spec : specs) {
            Optional<Map<String, String>> current = live.getOrDefault(key(spec), Optional.empty());
            if (current.isEmpty()) {
                continue;
            }
            spec.data().forEach((name, source) -> {
                if (source instanceof Random shared && current.get().containsKey(name)) {
                    String value = current.get().get(name);
                    String before = values.putIfAbsent(shared.id(), value);
                    if (before != null && !before.equals(value)) {
                        warnings.add("Secrets " + holders.get(shared.id()) + " and " + key(spec)
                                + " should hold the same " + shared.id()
                                + " but differ; mkplat never rotates them, so make them equal by hand");
                    }
                    holders.putIfAbsent(shared.id(), key(spec));
                }
            });
        }
        return values;
    }

    static boolean applies(SecretSpec spec, PlatformConfig config) {
        if (!config.monitoring().enabled() && "monitoring".equals(spec.namespace())) {
            return false;
        }
        // A Secret made from a file exists only when mkplat.yaml names the file: mode gcs without a
        // key file uses Application Default Credentials, and the pods mount the Secret as optional.
        boolean filesNamed = spec.data().values().stream()
                .filter(FileContent.class::isInstance)
                .allMatch(file -> fileSetting(config, (FileContent) file).isPresent());
        return filesNamed
                && spec.when()
                        .map(condition -> condition.equals(
                                "storage=" + config.storage().mode().yamlName()))
                        .orElse(true);
    }

    private String password() {
        StringBuilder password = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return password.toString();
    }

    private static String setting(PlatformConfig config, ConfigSetting setting) {
        Optional<String> value = switch (setting.key()) {
            case "domain" -> Optional.of(config.domain());
            case "storage.bucket", "storage.gcs.bucket" ->
                Optional.of(config.storage().bucket());
            default -> Optional.empty();
        };
        return value.or(setting::fallback)
                .orElseThrow(() -> new MkplatException(
                        ExitCode.USAGE,
                        "the setting " + setting.key() + " is needed for a Secret but has no value",
                        "set it in mkplat.yaml"));
    }

    private static Path file(PlatformConfig config, FileContent file) {
        return fileSetting(config, file)
                .orElseThrow(() -> MkplatException.usage(
                        "the Secret's file setting " + file.key() + " is not set",
                        "set it in mkplat.yaml to the service-account key file"));
    }

    /** The file that the setting names, when mkplat.yaml names one. */
    private static Optional<Path> fileSetting(PlatformConfig config, FileContent file) {
        if (file.key().equals("storage.gcs.credentialsFile") || file.key().equals("storage.credentialsFile")) {
            return config.storage().credentialsFile();
        }
        throw new MkplatException(ExitCode.FAILED, "secrets.yaml names an unknown file setting " + file.key(), null);
    }

    private static String certificatePart(Optional<TlsMaterial> certificate, CertificatePart part, SecretSpec spec) {
        TlsMaterial material = certificate.orElseThrow(() -> new MkplatException(
                ExitCode.FAILED,
                "the Secret " + key(spec) + " needs the platform certificate, and there is none",
                "run mkplat certs generate"));
        return switch (part.part()) {
            case "chain" -> new String(material.chain(), StandardCharsets.US_ASCII);
            case "key" -> new String(material.key(), StandardCharsets.US_ASCII);
            default ->
                throw new MkplatException(
                        ExitCode.FAILED, "secrets.yaml: unknown certificate part " + part.part(), null);
        };
    }

    private static Secret secret(SecretSpec spec, Map<String, String> values) {
        Map<String, String> data = new LinkedHashMap<>();
        values.forEach((name, value) ->
                data.put(name, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder()
                .withNewMetadata()
                .withName(spec.name())
                .withNamespace(spec.namespace())
                .addToLabels(PlatformLabels.MANAGED_BY, PlatformLabels.MKPLAT)
                .addToLabels(PlatformLabels.PART_OF, PlatformLabels.MKPLAT)
                .addToLabels("app.kubernetes.io/component", "secret")
                .endMetadata()
                .withType(spec.type())
                .withData(data)
                .build();
    }

    private static String key(SecretSpec spec) {
        return spec.namespace() + "/" + spec.name();
    }
}
