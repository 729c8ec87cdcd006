package io.orderflow.source.jdbc;

import io.orderflow.source.OrderSourceTask;
import io.orderflow.source.TaskHarness;
import io.orderflow.source.config.OrderSourceTaskConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Row versions from a real PostgreSQL table into records: types and the status mapping, every bad value either
 * failing the task with the row and column named or, under errors.tolerance=all, skipped and counted; the cursor
 * resumes from a stored offset with no duplicate.
 */
class JdbcRowsIT {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.start();
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement sql = db.createStatement()) {
            sql.execute("CREATE TABLE shop_orders (id bigint PRIMARY KEY, ref text, buyer text, total numeric, ccy text, "
                    + "state text, changed_at timestamp)");
            sql.execute("INSERT INTO shop_orders VALUES "
                    + "(1, 'A-1', 'c1', 10.5, 'EUR', 'new', '2026-07-01 10:00:00.123456'),"
                    + "(2, 'A-2', 'c2', 3, 'USD', 'done', '2026-07-01 10:00:01'),"
                    + "(3, 'A-3', 'c3', 1.234, 'EUR', 'PAID', '2026-07-01 10:00:02'),"
                    + "(4, 'A-4', null, 1, 'EUR', 'PAID', '2026-07-01 10:00:03'),"
                    + "(5, 'A-5', 'c5', 2, 'EUR', 'on_hold', '2026-07-01 10:00:04'),"
                    + "(6, 'A-6', 'c6', 7.25, 'GBP', 'Completed', '2026-07-01 10:00:04')");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    private static Map<String, String> props(String... options) {
        Map<String, String> props = new HashMap<>(Map.of(
                "reader", "jdbc",
                "jdbc.url", postgres.getJdbcUrl("postgres", "postgres"),
                "jdbc.user", "postgres",
                "jdbc.table", "shop_orders",
                "jdbc.poll.interval.ms", "10",
                "jdbc.amount.scale", "2",
                "jdbc.status.mapping", "new=CREATED,done=COMPLETED"));
        props.putAll(Map.of("jdbc.column.order_id", "ref", "jdbc.column.customer_id", "buyer", "jdbc.column.amount", "total",
                "jdbc.column.currency", "ccy", "jdbc.column.status", "state", "jdbc.column.event_time", "changed_at",
                "jdbc.cursor.timestamp.column", "changed_at"));
        for (int i = 0; i < options.length; i += 2) {
            props.put(options[i], options[i + 1]);
        }
        return OrderSourceTaskConfig.forTask(props, 0, 1, 0);
    }

    private static String status(SourceRecord record) {
        return ((Struct) record.value()).getString("status");
    }

    @Test
    void withoutToleranceTheFirstBadRowFailsTheTaskNamingRowColumnAndValue() {
        OrderSourceTask task = new TaskHarness().start(props());
        DataException failure = assertThrows(DataException.class, () -> TaskHarness.poll(task, 10, 3));
        assertTrue(failure.getMessage().contains("shop_orders") && failure.getMessage().contains("'amount' = 1.234 has more than 2 "
                + "decimal places"), failure.getMessage());
        task.stop();
    }

    @Test
    void underToleranceAllBadRowsAreSkippedAndTheRestConvertedExactly() {
        OrderSourceTask task = new TaskHarness().start(props("errors.tolerance", "all", "jdbc.status.unknown", "skip"));
        List<SourceRecord> records = TaskHarness.poll(task, 3, 3);
        task.stop();
        assertEquals(List.of("A-1", "A-2", "A-6"), records.stream().map(r -> (String) r.key()).toList(),
                "A-3 (1.234 at scale 2), A-4 (no customer) and A-5 (unknown status) are skipped");
        assertEquals(List.of("CREATED", "COMPLETED", "COMPLETED"), records.stream().map(JdbcRowsIT::status).toList());
        Struct first = (Struct) records.get(0).value();
        assertEquals(new BigDecimal("10.50"), first.get("amount"));
        assertEquals("2", first.schema().field("amount").schema().parameters().get(Decimal.SCALE_FIELD));
        assertEquals(java.time.Instant.parse("2026-07-01T10:00:00.123Z").toEpochMilli(), records.get(0).timestamp());
        assertEquals("2026-07-01T10:00:00.123456Z", records.get(0).sourceOffset().get("timestamp"),
                "the cursor keeps the column's microseconds");
    }

    @Test
    void withSchemaDocsOffTheSameRowsCarryASchemaThatDescribesNothing() {
        String[] options = {"errors.tolerance", "all", "jdbc.status.unknown", "skip"};
        OrderSourceTask described = new TaskHarness().start(props(options));
        List<SourceRecord> withDocs = TaskHarness.poll(described, 3, 3);
        described.stop();
        OrderSourceTask plain = new TaskHarness().start(props("errors.tolerance", "all", "jdbc.status.unknown", "skip",
                "schema.docs", "false"));
        List<SourceRecord> withoutDocs = TaskHarness.poll(plain, 3, 3);
        plain.stop();

        assertEquals(fieldValues(withDocs), fieldValues(withoutDocs));
        Schema schema = withoutDocs.get(0).valueSchema();
        assertNull(schema.doc());
        schema.fields().forEach(field -> assertNull(field.schema().doc(), field.name()));
        assertEquals(withDocs.get(0).valueSchema().field("amount").schema().parameters(),
                schema.field("amount").schema().parameters(), "the amount column's precision and scale either way");
        assertEquals("One state change of one order", withDocs.get(0).valueSchema().doc());
    }

    private static List<List<Object>> fieldValues(List<SourceRecord> records) {
        return records.stream().map(record -> {
            Struct value = (Struct) record.value();
            List<Object> fields = new java.util.ArrayList<>(List.of(record.key(), record.timestamp()));
            value.schema().fields().forEach(field -> fields.add(value.get(field)));
            return fields;
        }).toList();
    }

    @Test
    void unknownStatusesPassThroughWhenAskedAndAStoredCursorResumesWithNoDuplicate() {
        TaskHarness harness = new TaskHarness();
        OrderSourceTask task = harness.start(props("errors.tolerance", "all", "jdbc.status.unknown", "pass"));
        List<SourceRecord> records = TaskHarness.poll(task, 4, 3);
        task.stop();
        assertEquals(List.of("CREATED", "COMPLETED", "on_hold", "COMPLETED"), records.stream().map(JdbcRowsIT::status).toList());

        SourceRecord second = records.get(1);
        harness.store(second.sourcePartition(), second.sourceOffset());
        OrderSourceTask resumed = harness.start(props("errors.tolerance", "all", "jdbc.status.unknown", "pass"));
        List<SourceRecord> rest = TaskHarness.poll(resumed, 10, 3);
        resumed.stop();
        assertEquals(List.of("A-5", "A-6"), rest.stream().map(r -> (String) r.key()).toList(),
                "after the stored cursor of A-2: the rows after it, A-5 and A-6 sharing one timestamp");
    }
}
