package io.orderflow.source.jdbc;

import io.orderflow.source.OrderSourceConnector;
import io.orderflow.source.config.CursorFence;
import io.orderflow.source.config.OrderSourceConfig;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jdbc reader's options on their own: each mistake a user can make without a database is reported on its option. */
class JdbcConfigTest {

    private static Map<String, String> errors(String... options) {
        Map<String, String> config = new HashMap<>(Map.of("connector.class", OrderSourceConnector.class.getName(),
                "name", "orders", "reader", "jdbc"));
        for (int i = 0; i < options.length; i += 2) {
            config.put(options[i], options[i + 1]);
        }
        Map<String, String> errors = new TreeMap<>();
        new OrderSourceConnector().validate(config).configValues().forEach(value -> {
            if (!value.errorMessages().isEmpty()) {
                errors.put(value.name(), String.join("; ", value.errorMessages()));
            }
        });
        return errors;
    }

    @Test
    void namesThatCouldCarrySqlAreRefused() {
        assertTrue(errors("jdbc.url", "jdbc:x:y", "jdbc.table", "orders; DROP TABLE orders").containsKey("jdbc.table"));
        assertTrue(errors("jdbc.url", "jdbc:x:y", "jdbc.column.amount", "amount\" --").containsKey("jdbc.column.amount"));
        assertTrue(errors("jdbc.url", "jdbc:x:y", "jdbc.cursor.xid.column", "x y").containsKey("jdbc.cursor.xid.column"));
    }

    @Test
    void theUrlIsRequiredAndTheSnapshotFenceIsPostgresqlOnly() {
        assertTrue(errors().get("jdbc.url").contains("required with reader=jdbc"));
        assertTrue(errors("jdbc.url", "orders-db:5432").get("jdbc.url").contains("not a JDBC URL"));
        assertTrue(errors("jdbc.url", "jdbc:mysql://db/shop", "jdbc.cursor.fence", "snapshot").get("jdbc.cursor.fence")
                .contains("needs PostgreSQL"));
    }

    @Test
    void aStatusMappingMustNameKnownStatuses() {
        assertTrue(errors("jdbc.url", "jdbc:x:y", "jdbc.status.mapping", "done=FINISHED").get("jdbc.status.mapping")
                .contains("'done=FINISHED' is not value=STATUS"));
    }

    @Test
    void autoMeansTheSnapshotFenceOnPostgresqlAndTheSafetyLagElsewhere() {
        Map<String, String> props = new HashMap<>(Map.of("reader", "jdbc", "jdbc.url", "jdbc:postgresql://db/shop"));
        assertEquals(CursorFence.SNAPSHOT, new OrderSourceConfig(props).jdbc().cursor().fence());
        props.put("jdbc.url", "jdbc:mysql://db/shop");
        assertEquals(CursorFence.SAFETY_LAG, new OrderSourceConfig(props).jdbc().cursor().fence());
    }

    @Test
    void theGeneratorIgnoresTheJdbcOptions() {
        assertEquals(Map.of(), errors("reader", "generator"));
    }
}
