package dev.mkplat.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every document parses into fabric8's typed model with no field left over, and again into the
 * official Java client's models, which reject unknown fields themselves. Both round-trip to the
 * same tree, so no value was coerced or dropped on the way. The ServiceMonitors, which neither
 * library models, go through {@link StrictModels.ServiceMonitor}.
 */
class StrictParsingTest {
    private static final KubernetesSerialization FABRIC8 = new KubernetesSerialization();
    private static final JsonMapper JSON_TREES = JsonMapper.builder().build();

    /** The second parser's model per apiVersion and kind: a kind missing here fails the test. */
    private static final Map<String, Type> OFFICIAL_MODELS = Map.of(
            "v1/Namespace", V1Namespace.class,
            "v1/ServiceAccount", V1ServiceAccount.class,
            "v1/ConfigMap", V1ConfigMap.class,
            "v1/Service", V1Service.class,
            "apps/v1/Deployment", V1Deployment.class,
            "apps/v1/StatefulSet", V1StatefulSet.class,
            "autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class,
            "networking.k8s.io/v1/Ingress", V1Ingress.class,
            "networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class);

    private static final String SERVICE_MONITOR = "monitoring.coreos.com/v1/ServiceMonitor";

    static Stream<Named<Bundle.Document>> documents() {
        return Bundle.get().documents().stream().map(d -> Named.of(d.where(), d));
    }

    static Stream<Named<Bundle.Document>> kubernetesDocuments() {
        return documents().filter(d -> !typeKey(d.getPayload()).equals(SERVICE_MONITOR));
    }

    static Stream<Named<Bundle.Document>> serviceMonitors() {
        return documents().filter(d -> typeKey(d.getPayload()).equals(SERVICE_MONITOR));
    }

    @ParameterizedTest
    @MethodSource("kubernetesDocuments")
    void fabric8ParsesItIntoItsTypedModelWithNothingLeftOver(Bundle.Document document) {
        KubernetesResource resource = FABRIC8.unmarshal(document.tree().toString());

        assertThat(resource).isInstanceOf(HasMetadata.class).isNotInstanceOf(GenericKubernetesResource.class);
        assertThat(unknownFields(resource))
                .as("fields fabric8 did not recognise")
                .isEmpty();
        assertThat(JSON_TREES.readTree(FABRIC8.asJson(resource)))
                .as("fabric8's round trip")
                .isEqualTo(document.tree());
    }

    @ParameterizedTest
    @MethodSource("kubernetesDocuments")
    void theOfficialClientParsesItStrictlyToo(Bundle.Document document) {
        Type model = OFFICIAL_MODELS.get(typeKey(document));
        assertThat(model)
                .as("a model of the official client for " + typeKey(document))
                .isNotNull();

        Object parsed = JSON.deserialize(document.tree().toString(), model);

        // It writes empty lists and maps for absent fields: compare without empty containers.
        assertThat(withoutEmptyContainers(JSON_TREES.readTree(JSON.serialize(parsed))))
                .as("the official client's round trip")
                .isEqualTo(withoutEmptyContainers(document.tree()));
    }

    @ParameterizedTest
    @MethodSource("serviceMonitors")
    void serviceMonitorsMatchTheOperatorsApi(Bundle.Document document) {
        assertThatCode(() -> StrictModels.read(document.tree(), StrictModels.ServiceMonitor.class))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @MethodSource("documents")
    void everyDocumentIsAnObjectWithApiVersionKindAndName(Bundle.Document document) {
        assertThat(document.apiVersion()).isNotEmpty();
        assertThat(document.kind()).isNotEmpty();
        assertThat(document.name()).isNotEmpty();
    }

    @Test
    void aMisspelledFieldFailsBothParsers() {
        String typo = """
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x", "namespace": "api"},
                 "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}},
                  "spec": {"containers": [{"name": "x", "image": "x:1", "securityContext": {"runAsNonroot": true}}]}}}}
                """;

        assertThat(unknownFields(FABRIC8.unmarshal(typo)))
                .containsExactly(".spec.template.spec.containers[0].securityContext [runAsNonroot]");
        assertThatThrownBy(() -> JSON.deserialize(typo, V1Deployment.class)).hasMessageContaining("runAsNonroot");
    }

    private static JsonNode withoutEmptyContainers(JsonNode node) {
        if (node.isObject()) {
            tools.jackson.databind.node.ObjectNode copy = JSON_TREES.createObjectNode();
            node.forEachEntry((key, value) -> {
                JsonNode cleaned = withoutEmptyContainers(value);
                if (!(cleaned.isContainer() && cleaned.isEmpty())) {
                    copy.set(key, cleaned);
                }
            });
            return copy;
        }
        if (node.isArray()) {
            tools.jackson.databind.node.ArrayNode copy = JSON_TREES.createArrayNode();
            node.values().forEach(value -> copy.add(withoutEmptyContainers(value)));
            return copy;
        }
        return node;
    }

    private static String typeKey(Bundle.Document document) {
        return document.apiVersion() + "/" + document.kind();
    }

    /** Paths of every non-empty additionalProperties in the object graph. */
    static List<String> unknownFields(Object root) {
        List<String> found = new ArrayList<>();
        walk(root, "", found, Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    private static void walk(Object value, String path, List<String> found, Set<Object> seen) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "." + key, found, seen));
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        for (Class<?> type = value.getClass();
                type != null && type.getName().startsWith("io.fabric8.");
                type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Object fieldValue = read(field, value);
                if (field.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        found.add((path.isEmpty() ? "." : path) + " " + extra.keySet());
                    }
                } else {
                    walk(fieldValue, path + "." + field.getName(), found, seen);
                }
            }
        }
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
