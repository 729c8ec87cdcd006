package io.orderflow.source;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderSourceConnectorTest {

    private final OrderSourceConnector connector = new OrderSourceConnector();

    @Test
    void validConfigHasNoErrors() {
        assertEquals(Map.of(), errors(Map.of("topic", "orders.events")));
    }

    @Test
    void everyBadOptionGetsItsOwnError() {
        Map<String, String> props = new HashMap<>();
        props.put("topic", "bad topic!");
        props.put("orders.per.second", "-1");
        props.put("max.orders", "lots");
        props.put("event.time.start", "yesterday");
        props.put("currencies", "USD,ABC");
        props.put("amount.type", "float");
        props.put("event.time.late.fraction", "1.5");
        props.put("customers.count", "0");
        Map<String, List<String>> errors = errors(props);
        assertEquals(props.keySet(), errors.keySet(), errors.toString());
        assertTrue(errors.get("currencies").get(0).contains("ABC"), errors.get("currencies").toString());
        assertTrue(errors.get("event.time.start").get(0).contains("ISO-8601"));
    }

    @Test
    void crossFieldErrorsLandOnTheOptionTheyConcern() {
        Map<String, List<String>> errors = errors(Map.of(
                "lifecycle.cancel.probability", "0.7",
                "lifecycle.refund.probability", "0.4",
                "lifecycle.step.delay.mean.ms", "20000",
                "lifecycle.step.delay.max.ms", "1000",
                "event.time.late.fraction", "0.1",
                "event.time.late.max.ms", "0"));
        assertEquals(Set.of("lifecycle.refund.probability", "lifecycle.step.delay.mean.ms", "event.time.late.max.ms"),
                errors.keySet(), errors.toString());
        assertTrue(errors.get("lifecycle.refund.probability").get(0).contains("must not exceed 1"));
    }

    @Test
    void startRejectsWhatValidateRejects() {
        assertThrows(org.apache.kafka.common.config.ConfigException.class, () -> connector.start(Map.of(
                "lifecycle.cancel.probability", "0.7", "lifecycle.refund.probability", "0.4")));
    }

    @Test
    void everyOptionIsDocumentedForControlCenter() {
        for (ConfigDef.ConfigKey key : connector.config().configKeys().values()) {
            assertNotNull(key.group, key.name);
            assertTrue(key.orderInGroup > 0, key.name);
            assertFalse(key.displayName == null || key.displayName.isBlank() || key.displayName.equals(key.name), key.name);
            assertTrue(key.documentation != null && key.documentation.length() > 20, key.name);
            assertTrue(key.width != ConfigDef.Width.NONE, key.name);
        }
        Set<String> orderInGroups = connector.config().configKeys().values().stream()
                .map(k -> k.group + "#" + k.orderInGroup).collect(Collectors.toSet());
        assertEquals(connector.config().configKeys().size(), orderInGroups.size(), "orders within a group are unique");
    }

    @Test
    void tasksShareOneStartAndSplitTheOrderSpace() {
        connector.start(Map.of("max.orders", "0", "event.time.start", "now"));
        List<Map<String, String>> configs = connector.taskConfigs(3);
        assertEquals(3, configs.size());
        Set<String> starts = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (Map<String, String> config : configs) {
            starts.add(config.get("task.event.time.start.ms"));
            ids.add(config.get("task.id"));
            assertEquals("3", config.get("task.count"));
        }
        assertEquals(1, starts.size());
        assertEquals(Set.of("0", "1", "2"), ids);

        connector.start(Map.of("max.orders", "2"));
        assertEquals(2, connector.taskConfigs(8).size(), "no task without an order");
    }

    @Test
    void declaresExactlyOnceSupportAndBuildVersion() {
        assertEquals(ExactlyOnceSupport.SUPPORTED, connector.exactlyOnceSupport(Map.of()));
        assertTrue(connector.version().matches("\\d+\\.\\d+\\.\\d+.*"), connector.version());
    }

    @Test
    void alterOffsetsAcceptsResetsAndWellFormedOffsets() {
        Map<String, Object> partition = Map.of("reader", "generator", "seed", 42L, "task", 1L, "tasks", 2L);
        Map<Map<String, ?>, Map<String, ?>> offsets = new HashMap<>();
        offsets.put(partition, null);
        assertTrue(connector.alterOffsets(Map.of(), offsets));
        offsets.put(partition, Map.of("start_ms", 0L, "emit_ms", 5L, "order", 7L, "step", 2L));
        assertTrue(connector.alterOffsets(Map.of(), offsets));
    }

    @Test
    void alterOffsetsRejectsMalformedShapesNamingTheKey() {
        Map<String, Object> partition = Map.of("reader", "generator", "seed", 42L, "task", 1L, "tasks", 2L);
        assertRejected(Map.of("reader", "generator", "seed", 42L, "task", 2L, "tasks", 2L), null, "task");
        assertRejected(Map.of("reader", "jdbc", "seed", 42L, "task", 0L, "tasks", 1L), null, "reader");
        assertRejected(Map.of("seed", 42L), null, "keys");
        assertRejected(partition, Map.of("start_ms", 0L, "emit_ms", 5L, "order", 7L, "step", 4L), "step");
        assertRejected(partition, Map.of("start_ms", 0L, "emit_ms", 5L, "order", 7L, "step", "two"), "step");
        assertRejected(partition, Map.of("start_ms", 0L, "emit_ms", 5L, "order", 8L, "step", 1L), "order");
        assertRejected(partition, Map.of("start_ms", 0L, "emit_ms", 5L, "order", 7L), "keys");
    }

    private void assertRejected(Map<String, ?> partition, Map<String, ?> offset, String mentioned) {
        Map<Map<String, ?>, Map<String, ?>> offsets = new HashMap<>();
        offsets.put(partition, offset);
        ConnectException e = assertThrows(ConnectException.class, () -> connector.alterOffsets(Map.of(), offsets));
        assertTrue(e.getMessage().contains(mentioned), e.getMessage());
    }

    private Map<String, List<String>> errors(Map<String, String> props) {
        Config config = connector.validate(props);
        Map<String, List<String>> errors = new HashMap<>();
        for (ConfigValue value : config.configValues()) {
            if (!value.errorMessages().isEmpty()) {
                errors.put(value.name(), value.errorMessages());
            }
        }
        return errors;
    }
}
