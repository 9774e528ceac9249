package dev.mkplat.render;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.model.jackson.GoCompatibilityModule;
import io.fabric8.kubernetes.model.jackson.Jackson2JdkTypesModule;
import io.fabric8.kubernetes.model.jackson.UnmatchedFieldTypeModule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Reads and writes Kubernetes YAML with fabric8's model and Jackson 3, configured as fabric8's own
 * serializer is (Jackson 2 defaults, Go-compatible numbers, unknown fields kept), but without the
 * client, so that rendering stays pure.
 */
public final class KubernetesYaml {
    /** What a Secret's values print as: dry-run output and diffs never show a secret. */
    public static final String REDACTED = "<redacted>";

    private static final ObjectMapper JSON = JsonMapper.builderWithJackson2Defaults()
            .addModule(new Jackson2JdkTypesModule())
            .addModule(new GoCompatibilityModule())
            .addModule(new UnmatchedFieldTypeModule())
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            // "8080" in a ConfigMap must stay a string, or kubectl apply of the printed YAML fails.
            .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLWriteFeature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    private KubernetesYaml() {}

    /** Every object in a (multi-document) YAML text; empty documents are skipped. */
    public static List<HasMetadata> parseAll(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (JsonNode document :
                YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
            if (document == null || document.isNull() || document.isMissingNode() || document.isEmpty()) {
                continue;
            }
            KubernetesResource resource = JSON.convertValue(document, KubernetesResource.class);
            if (!(resource instanceof HasMetadata object)) {
                throw new IllegalArgumentException("not a Kubernetes object: " + document);
            }
            objects.add(object);
        }
        return objects;
    }

    /** A deep copy, so that overrides never touch the parsed bundle. */
    @SuppressWarnings("unchecked")
    public static <T extends HasMetadata> T copy(T object) {
        return (T) JSON.convertValue(JSON.valueToTree(object), KubernetesResource.class);
    }

    /** The object as an ordered map (apiVersion, kind, metadata, then the rest as the model orders it). */
    public static Map<String, Object> toMap(HasMetadata object) {
        Map<String, Object> map = JSON.convertValue(object, new TypeReference<LinkedHashMap<String, Object>>() {});
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String first : List.of("apiVersion", "kind", "metadata")) {
            if (map.containsKey(first)) {
                ordered.put(first, map.remove(first));
            }
        }
        ordered.putAll(map);
        return ordered;
    }

    /** One object as YAML; a Secret's {@code data} and {@code stringData} values are {@value #REDACTED}. */
    public static String toYaml(HasMetadata object) {
        return YAML.writeValueAsString(redacted(toMap(object), object));
    }

    /** Objects as one multi-document YAML text, with {@code ---} between them and Secrets redacted. */
    public static String toYaml(List<? extends HasMetadata> objects) {
        StringBuilder yaml = new StringBuilder();
        for (HasMetadata object : objects) {
            yaml.append("---\n").append(toYaml(object));
        }
        return yaml.toString();
    }

    /** An object's map as YAML, for diffs of server answers (already cleaned of noise by the caller). */
    public static String mapToYaml(Map<String, Object> map) {
        return YAML.writeValueAsString(map);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> redacted(Map<String, Object> map, HasMetadata object) {
        if (!(object instanceof Secret) && !"Secret".equals(object.getKind())) {
            return map;
        }
        for (String key : List.of("data", "stringData")) {
            if (map.get(key) instanceof Map<?, ?> values) {
                Map<String, Object> hidden = new LinkedHashMap<>();
                ((Map<String, Object>) values).keySet().forEach(name -> hidden.put(name, REDACTED));
                map.put(key, hidden);
            }
        }
        return map;
    }
}
