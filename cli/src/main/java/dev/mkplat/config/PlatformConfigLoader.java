package dev.mkplat.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mkplat.config.ConfigDocument.HostsSection;
import dev.mkplat.config.ConfigDocument.ImagesSection;
import dev.mkplat.config.ConfigDocument.MonitoringSection;
import dev.mkplat.config.ConfigDocument.ReplicasSection;
import dev.mkplat.config.ConfigDocument.StorageSection;
import dev.mkplat.config.ConfigDocument.TimeoutsSection;
import dev.mkplat.config.PlatformConfig.Hosts;
import dev.mkplat.config.PlatformConfig.Images;
import dev.mkplat.config.PlatformConfig.Monitoring;
import dev.mkplat.config.PlatformConfig.Replicas;
import dev.mkplat.config.PlatformConfig.Storage;
import dev.mkplat.config.PlatformConfig.StorageMode;
import dev.mkplat.config.PlatformConfig.Timeouts;
import dev.mkplat.core.ExitCode;
import dev.mkplat.core.MkplatException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads {@code mkplat.yaml} into a {@link PlatformConfig}. Jackson binds the file strictly (an
 * unknown key, a wrong type or a duplicate key fails), then every value is checked; each problem is
 * a {@link ConfigException} naming the file, line and column.
 */
public final class PlatformConfigLoader {
    /** The file used when {@code --config} is not given and it exists in the working directory. */
    public static final String DEFAULT_FILE_NAME = "mkplat.yaml";

    private static final String HINT = "mkplat init --force writes a commented mkplat.yaml with every key and its default";

    /** A DNS label: lowercase letters, digits and inner dashes, at most 63 characters (RFC 1123). */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IMAGE_TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern REGISTRY = Pattern.compile("[a-z0-9]([a-z0-9._:-]*[a-z0-9])?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]");
    private static final Pattern CHART_VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // "min: '2'" is a string where a number belongs: say so instead of guessing.
            .withCoercionConfig(LogicalType.Integer, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Boolean, c -> c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
            .build();

    private PlatformConfigLoader() {
    }

    /**
     * The file to read: {@code explicit} when given (it must exist), otherwise {@code mkplat.yaml}
     * in {@code workingDirectory} when present, otherwise none (the defaults apply). Relative paths
     * are resolved against {@code workingDirectory}.
     */
    public static Optional<Path> locate(Optional<Path> explicit, Path workingDirectory) {
        if (explicit.isPresent()) {
            Path file = workingDirectory.resolve(explicit.get());
            if (!Files.isRegularFile(file)) {
                throw MkplatException.usage("config file " + explicit.get() + " does not exist",
                        "leave out --config to use ./" + DEFAULT_FILE_NAME + " or the defaults; mkplat init writes one");
            }
            return Optional.of(file);
        }
        Path candidate = workingDirectory.resolve(DEFAULT_FILE_NAME);
        return Files.isRegularFile(candidate) ? Optional.of(candidate) : Optional.empty();
    }

    /** The config in {@code file}, or the defaults when there is none. */
    public static PlatformConfig loadOrDefaults(Optional<Path> file) {
        return file.map(PlatformConfigLoader::load).orElseGet(PlatformConfig::defaults);
    }

    /** Reads and validates {@code file}; relative paths inside it are relative to its directory. */
    public static PlatformConfig load(Path file) {
        return load(file, file);
    }

    /**
     * Reads and validates {@code file}, naming it {@code shownAs} in messages (the path as the user
     * typed it, or relative to the working directory), so that errors read {@code mkplat.yaml:3:5}.
     */
    public static PlatformConfig load(Path file, Path shownAs) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw MkplatException.usage("config file " + shownAs + " does not exist", "mkplat init writes a commented default one");
        } catch (IOException e) {
            throw new MkplatException(ExitCode.USAGE, "cannot read config file " + shownAs + ": " + e.getMessage(), null, e);
        }
        return parse(shownAs, file, text);
    }

    /** Validates {@code text} as the contents of {@code file}, which is also how messages name it. */
    static PlatformConfig parse(Path file, String text) {
        return parse(file, file, text);
    }

    private static PlatformConfig parse(Path shownAs, Path file, String text) {
        ConfigDocument document = bind(shownAs, text);
        if (document == null) {
            return PlatformConfig.defaults();
        }
        return new Validation(shownAs, file, Locations.of(text)).config(document);
    }

    private static ConfigDocument bind(Path file, String text) {
        try (JsonParser parser = MAPPER.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null; // an empty file, or only comments: all defaults
            }
            if (first != JsonToken.START_OBJECT) {
                TokenStreamLocation at = parser.currentTokenLocation();
                throw new ConfigException(file, at.getLineNr(), at.getColumnNr(),
                        "expected a mapping of keys (domain, hosts, replicas, images, storage, monitoring, timeouts), found " + describe(first),
                        HINT, null);
            }
            return MAPPER.readValue(parser, ConfigDocument.class);
        } catch (JacksonException e) {
            throw translate(file, Locations.of(text), e);
        }
    }

    private static String pointer(String dottedPath) {
        return dottedPath.isEmpty() ? "" : "/" + dottedPath.replace('.', '/');
    }

    private static ConfigException translate(Path file, Locations locations, JacksonException failure) {
        String path = dotted(failure.getPath());
        TokenStreamLocation at = failure.getLocation();
        if (at == null || at.getLineNr() < 1) {
            // Records bind through a buffering creator, so Jackson knows the path but not the place.
            at = failure instanceof UnrecognizedPropertyException ? locations.keyAt(pointer(path)) : locations.at(pointer(path));
        }
        int line = at == null ? 1 : Math.max(1, at.getLineNr());
        int column = at == null ? 1 : Math.max(1, at.getColumnNr());
        if (failure instanceof UnrecognizedPropertyException unknown) {
            String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
            List<String> known = unknown.getKnownPropertyIds() == null ? List.of()
                    : unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            String hint = closest(unknown.getPropertyName(), known).map(k -> "did you mean '" + k + "'?")
                    .orElse(known.isEmpty() ? HINT : "the keys here are: " + String.join(", ", known));
            return new ConfigException(file, line, column,
                    "unknown key '" + unknown.getPropertyName() + "'" + (parent.isEmpty() ? "" : " in " + parent), hint, failure);
        }
        if (failure instanceof MismatchedInputException mismatch && !path.isEmpty()) {
            return new ConfigException(file, line, column, path + ": expected " + expected(mismatch.getTargetType()), HINT, failure);
        }
        String message = failure.getOriginalMessage() == null ? failure.getClass().getSimpleName() : failure.getOriginalMessage();
        String firstLine = message.lines().findFirst().orElse(message).strip();
        if (firstLine.startsWith("Duplicate")) {
            return new ConfigException(file, line, column, "duplicate key" + (path.isEmpty() ? "" : " " + path) + " (" + firstLine + ")", HINT, failure);
        }
        return new ConfigException(file, line, column, "not valid YAML: " + firstLine, HINT, failure);
    }

    private static String dotted(List<JacksonException.Reference> references) {
        List<String> names = new ArrayList<>();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                names.add(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                names.add(String.valueOf(reference.getIndex()));
            }
        }
        return String.join(".", names);
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a different kind of value";
        }
        if (type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a single value (text or number), not a list or mapping";
        }
        if (type.isRecord()) {
            return "a mapping of keys (" + String.join(", ", recordKeys(type)) + ")";
        }
        return "a value of type " + type.getSimpleName();
    }

    private static List<String> recordKeys(Class<?> type) {
        List<String> keys = new ArrayList<>();
        for (var component : type.getRecordComponents()) {
            keys.add(component.getName());
        }
        return keys;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "a text value";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    /** The known key within edit distance 2 of {@code typed}, for "did you mean". */
    private static Optional<String> closest(String typed, List<String> known) {
        return known.stream()
                .filter(k -> editDistance(typed.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT)) <= 2)
                .min(Comparator.comparingInt(k -> editDistance(typed, k)));
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** {@code 5m}, {@code 90s}, {@code 1h30m}, {@code 500ms}: the duration syntax of mkplat.yaml (and of --timeout). */
    public static Optional<Duration> parseDuration(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Matcher part = DURATION_PART.matcher(text.strip());
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find()) {
            if (part.start() != end) {
                return Optional.empty();
            }
            long amount;
            try {
                amount = Long.parseLong(part.group(1));
            } catch (NumberFormatException tooLarge) {
                return Optional.empty();
            }
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            });
            end = part.end();
        }
        return end == text.strip().length() && end > 0 ? Optional.of(total) : Optional.empty();
    }

    /** Whether {@code name} is a lowercase DNS name (RFC 1123), without a wildcard or trailing dot. */
    static boolean isDnsName(String name) {
        if (name == null || name.isEmpty() || name.length() > 253) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (!DNS_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where each key and value sits in the file, by JSON pointer ({@code /replicas/min}), so that
     * a value that binds but is out of range is still reported at its line and column.
     */
    private record Locations(Map<String, TokenStreamLocation> keys, Map<String, TokenStreamLocation> values) {
        static Locations of(String text) {
            Map<String, TokenStreamLocation> keys = new HashMap<>();
            Map<String, TokenStreamLocation> values = new HashMap<>();
            try (JsonParser parser = MAPPER.createParser(text)) {
                for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                    String pointer = parser.streamReadContext().pathAsPointer().toString();
                    if (token == JsonToken.PROPERTY_NAME) {
                        keys.put(pointer, parser.currentTokenLocation());
                    } else if (token.isScalarValue()) {
                        values.put(pointer, parser.currentTokenLocation());
                    }
                }
            } catch (JacksonException unparseable) {
                // Keep what was found before the syntax error: the caller reports that error itself.
            }
            return new Locations(keys, values);
        }

        /** Where the value at {@code pointer} is, else its key, else the nearest enclosing key. */
        TokenStreamLocation at(String pointer) {
            for (String candidate = pointer; !candidate.isEmpty(); candidate = candidate.substring(0, candidate.lastIndexOf('/'))) {
                TokenStreamLocation location = values.getOrDefault(candidate, keys.get(candidate));
                if (location != null) {
                    return location;
                }
            }
            return null;
        }

        /** Where the key at {@code pointer} is. */
        TokenStreamLocation keyAt(String pointer) {
            TokenStreamLocation key = keys.get(pointer);
            return key != null ? key : at(pointer);
        }
    }

    /** Fills in defaults and checks each value, failing at the first bad one with its location. */
    private record Validation(Path shownAs, Path file, Locations locations) {
        PlatformConfig config(ConfigDocument document) {
            String domain = orDefault(document.domain(), PlatformConfig.DEFAULT_DOMAIN);
            check(isDnsName(domain), "/domain", "domain: '" + domain + "' is not a lowercase DNS name (like test or dev.example.test)");
            return new PlatformConfig(domain,
                    hosts(domain, orEmpty(document.hosts(), () -> new HostsSection(null, null, null, null))),
                    replicas(orEmpty(document.replicas(), () -> new ReplicasSection(null, null))),
                    images(orEmpty(document.images(), () -> new ImagesSection(null, null))),
                    storage(orEmpty(document.storage(), () -> new StorageSection(null, null, null))),
                    monitoring(orEmpty(document.monitoring(), () -> new MonitoringSection(null, null))),
                    timeouts(orEmpty(document.timeouts(), () -> new TimeoutsSection(null, null))));
        }

        private Hosts hosts(String domain, HostsSection section) {
            Hosts defaults = Hosts.defaults(domain);
            Hosts hosts = new Hosts(orDefault(section.api(), defaults.api()), orDefault(section.auth(), defaults.auth()),
                    orDefault(section.images(), defaults.images()), orDefault(section.monitoring(), defaults.monitoring()));
            String[] keys = {"api", "auth", "images", "monitoring"};
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < keys.length; i++) {
                String host = hosts.all().get(i);
                String pointer = "/hosts/" + keys[i];
                check(isDnsName(host), pointer, "hosts." + keys[i] + ": '" + host + "' is not a lowercase DNS name");
                // The CA is name-constrained to the domain: a host outside it could never get a valid certificate.
                check(host.endsWith("." + domain), pointer,
                        "hosts." + keys[i] + ": '" + host + "' is outside the domain '" + domain + "' (it must end in ." + domain + ")");
                check(seen.add(host), pointer, "hosts." + keys[i] + ": '" + host + "' is already used by another service");
            }
            return hosts;
        }

        private Replicas replicas(ReplicasSection section) {
            Replicas defaults = Replicas.defaults();
            int min = section.min() == null ? defaults.min() : section.min();
            int max = section.max() == null ? Math.max(defaults.max(), min) : section.max();
            check(min >= 1, "/replicas/min", "replicas.min: must be at least 1, was " + min);
            check(max >= min, "/replicas/max", "replicas.max: must be at least replicas.min (" + min + "), was " + max);
            check(max <= 100, "/replicas/max", "replicas.max: at most 100 on a local cluster, was " + max);
            return new Replicas(min, max);
        }

        private Images images(ImagesSection section) {
            Images defaults = Images.defaults();
            String registry = orDefault(section.registry(), defaults.registry());
            String tag = orDefault(section.tag(), defaults.tag());
            check(REGISTRY.matcher(registry).matches(), "/images/registry",
                    "images.registry: '" + registry + "' is not a registry path like docker.io/mkplat or localhost:5000/mkplat");
            check(IMAGE_TAG.matcher(tag).matches(), "/images/tag", "images.tag: '" + tag + "' is not a valid image tag");
            return new Images(registry, tag);
        }

        private Storage storage(StorageSection section) {
            Storage defaults = Storage.defaults();
            String modeText = orDefault(section.mode(), defaults.mode().yamlName());
            StorageMode mode = null;
            for (StorageMode candidate : StorageMode.values()) {
                if (candidate.yamlName().equals(modeText)) {
                    mode = candidate;
                }
            }
            check(mode != null, "/storage/mode", "storage.mode: '" + modeText + "' is not one of emulator, gcs");
            String bucket = orDefault(section.bucket(), defaults.bucket());
            check(BUCKET.matcher(bucket).matches(), "/storage/bucket",
                    "storage.bucket: '" + bucket + "' is not a bucket name (3-63 lowercase letters, digits, dots, dashes, underscores)");
            Optional<Path> credentials = Optional.ofNullable(section.credentialsFile()).filter(s -> !s.isBlank()).map(this::relativeToFile);
            if (mode == StorageMode.GCS) {
                check(credentials.isPresent(), "/storage", "storage.credentialsFile: required when storage.mode is gcs");
                check(Files.isReadable(credentials.get()), "/storage/credentialsFile",
                        "storage.credentialsFile: " + credentials.get() + " does not exist or is not readable");
            }
            return new Storage(mode, bucket, credentials);
        }

        private Monitoring monitoring(MonitoringSection section) {
            Monitoring defaults = Monitoring.defaults();
            String chartVersion = orDefault(section.chartVersion(), defaults.chartVersion());
            check(CHART_VERSION.matcher(chartVersion).matches(), "/monitoring/chartVersion",
                    "monitoring.chartVersion: '" + chartVersion + "' is not a chart version like " + Monitoring.DEFAULT_CHART_VERSION);
            return new Monitoring(section.enabled() == null ? defaults.enabled() : section.enabled(), chartVersion);
        }

        private Timeouts timeouts(TimeoutsSection section) {
            Timeouts defaults = Timeouts.defaults();
            Duration deploy = duration(section.deploy(), defaults.deploy(), "deploy");
            Duration stage = duration(section.stage(), deploy.compareTo(defaults.stage()) < 0 ? deploy : defaults.stage(), "stage");
            check(stage.compareTo(deploy) <= 0, "/timeouts/stage", "timeouts.stage: " + section.stage() + " is longer than timeouts.deploy");
            return new Timeouts(deploy, stage);
        }

        private Duration duration(String text, Duration fallback, String key) {
            if (text == null) {
                return fallback;
            }
            Optional<Duration> parsed = parseDuration(text);
            check(parsed.isPresent() && !parsed.get().isZero(), "/timeouts/" + key,
                    "timeouts." + key + ": '" + text + "' is not a duration like 90s, 5m or 1h30m");
            return parsed.get();
        }

        private Path relativeToFile(String path) {
            Path given = Path.of(path);
            Path directory = file.toAbsolutePath().getParent();
            return given.isAbsolute() || directory == null ? given : directory.resolve(given).normalize();
        }

        private void check(boolean ok, String pointer, String problem) {
            if (!ok) {
                TokenStreamLocation at = locations.at(pointer);
                throw new ConfigException(shownAs, at == null ? 1 : at.getLineNr(), at == null ? 1 : at.getColumnNr(), problem, HINT, null);
            }
        }

        private static String orDefault(String value, String fallback) {
            return value == null ? fallback : value;
        }

        private static <T> T orEmpty(T section, Supplier<T> empty) {
            return section == null ? empty.get() : section;
        }
    }
}
