package dev.mkplat.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryRecordTest {
    private static final ObjectRef DEPLOYMENT = new ObjectRef("apps/v1", "Deployment", "api", "api");
    private static final ObjectRef SERVICE = new ObjectRef("v1", "Service", "api", "api");
    private static final ObjectRef NAMESPACE = new ObjectRef("v1", "Namespace", "", "api");

    @Test
    void refsRoundTripThroughTheirInventoryLine() {
        assertThat(ObjectRef.decode(DEPLOYMENT.encode())).isEqualTo(DEPLOYMENT);
        assertThat(ObjectRef.decode(NAMESPACE.encode())).isEqualTo(NAMESPACE);
        assertThat(NAMESPACE.encode()).isEqualTo("v1|Namespace||api");
        assertThatThrownBy(() -> ObjectRef.decode("v1|Namespace")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void plusWidensAndWithReplacesOneComponentOnly() {
        InventoryRecord record = InventoryRecord.empty()
                .with("api", List.of(DEPLOYMENT))
                .with("db", List.of(new ObjectRef("v1", "Namespace", "", "db")));
        InventoryRecord widened = record.plus("api", List.of(SERVICE));
        assertThat(widened.of("api")).containsExactly(DEPLOYMENT, SERVICE);
        assertThat(widened.with("api", List.of(SERVICE)).of("api")).containsExactly(SERVICE);
        assertThat(widened.with("api", List.of()).components()).containsOnlyKeys("db");
        assertThat(widened.all()).hasSize(3);
        assertThat(record.of("api")).containsExactly(DEPLOYMENT);
    }

    @Test
    void refsPrintAsPeopleReadThem() {
        assertThat(DEPLOYMENT).hasToString("Deployment api/api");
        assertThat(NAMESPACE).hasToString("Namespace api");
    }
}
