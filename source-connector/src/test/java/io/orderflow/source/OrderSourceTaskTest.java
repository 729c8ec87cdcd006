package io.orderflow.source;

import io.orderflow.source.config.OrderSourceTaskConfig;
import io.orderflow.source.event.OrderEventSchema;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderSourceTaskTest {

    static Map<String, String> taskProps(long maxOrders, int task, int tasks) {
        Map<String, String> props = new HashMap<>();
        props.put("topic", "orders.test");
        props.put("seed", "99");
        props.put("max.orders", Long.toString(maxOrders));
        props.put("orders.per.second", "0");
        props.put("event.time.start", "2026-03-01T12:00:00Z");
        props.put("batch.max.records", "97");
        return OrderSourceTaskConfig.forTask(props, task, tasks, 1_772_366_400_000L);
    }

    @Test
    void recordsCarryKeySchemaAndEventTime() {
        OrderSourceTask task = new TaskHarness().start(taskProps(50, 0, 1));
        List<SourceRecord> records = TaskHarness.poll(task, 1, 3);
        SourceRecord record = records.get(0);
        Struct value = (Struct) record.value();

        assertEquals("orders.test", record.topic());
        assertEquals(Schema.STRING_SCHEMA, record.keySchema());
        assertEquals(value.getString(OrderEventSchema.ORDER_ID), record.key());
        assertEquals("CREATED", value.getString(OrderEventSchema.STATUS));
        assertEquals(((Date) value.get(OrderEventSchema.EVENT_TIME)).getTime(), record.timestamp());

        Schema schema = record.valueSchema();
        assertEquals(OrderEventSchema.NAME, schema.name());
        assertEquals(1, schema.version());
        Schema amount = schema.field(OrderEventSchema.AMOUNT).schema();
        assertEquals(Decimal.LOGICAL_NAME, amount.name());
        assertEquals("2", amount.parameters().get(Decimal.SCALE_FIELD));
        assertEquals("18", amount.parameters().get("connect.decimal.precision"));
        assertEquals(Timestamp.LOGICAL_NAME, schema.field(OrderEventSchema.EVENT_TIME).schema().name());
        assertTrue(((BigDecimal) value.get(OrderEventSchema.AMOUNT)).signum() > 0);
        task.stop();
    }

    @Test
    void restartFromAnyCommittedOffsetContinuesWithoutGapOrDuplicate() {
        Map<String, String> props = taskProps(400, 1, 2);
        List<SourceRecord> uninterrupted = TaskHarness.poll(new TaskHarness().start(props), Integer.MAX_VALUE, 3);
        assertTrue(uninterrupted.size() > 400, "200 orders give more than 400 events");

        for (int cut : new int[] {0, 1, 96, 97, 98, 311, uninterrupted.size() - 2}) {
            TaskHarness harness = new TaskHarness();
            SourceRecord lastCommitted = uninterrupted.get(cut);
            harness.store(lastCommitted.sourcePartition(), lastCommitted.sourceOffset());
            List<SourceRecord> resumed = TaskHarness.poll(harness.start(props), Integer.MAX_VALUE, 3);
            assertEquals(values(uninterrupted.subList(cut + 1, uninterrupted.size())), values(resumed),
                    "resume after record " + cut);
        }
    }

    @Test
    void finishedTaskIdlesInsteadOfFailing() {
        OrderSourceTask task = new TaskHarness().start(taskProps(3, 0, 1));
        List<SourceRecord> all = TaskHarness.poll(task, Integer.MAX_VALUE, 2);
        assertTrue(all.size() >= 6 && all.size() <= 12, "3 orders, 2 to 4 events each: " + all.size());
        long before = System.nanoTime();
        assertNull(task.poll());
        assertTrue(System.nanoTime() - before > 50_000_000L, "an idle poll waits rather than spinning");
        task.stop();
    }

    @Test
    void batchesRespectMaxRecords() {
        OrderSourceTask task = new TaskHarness().start(taskProps(1_000, 0, 1));
        List<SourceRecord> batch = task.poll();
        assertEquals(97, batch.size());
    }

    @Test
    void aPacedPollCarriesWhatCameDueWithinItsLingerAndTheStreamIsUnchanged() {
        Map<String, String> paced = taskProps(200, 0, 1);
        paced.put("orders.per.second", "200");
        paced.put("poll.linger.ms", "200");
        OrderSourceTask task = new TaskHarness().start(paced);
        List<SourceRecord> first = task.poll();
        long orders = first.stream().map(SourceRecord::key).distinct().count();
        // 200 orders/s over a 200 ms linger: about 40 orders; handing each one over as it came due gives one.
        assertTrue(orders >= 5, "one paced poll (one transaction under exactly-once support) carried " + orders + " orders");
        task.stop();

        Map<String, String> atOnce = new HashMap<>(paced);
        atOnce.put("poll.linger.ms", "0");
        List<SourceRecord> lingering = TaskHarness.poll(new TaskHarness().start(paced), 300, 1_000);
        List<SourceRecord> handedOverAtOnce = TaskHarness.poll(new TaskHarness().start(atOnce), 300, 1_000);
        assertTrue(lingering.size() >= 300 && handedOverAtOnce.size() >= 300);
        assertTrue(values(handedOverAtOnce.subList(0, 300)).equals(values(lingering.subList(0, 300))),
                "the linger changes when records are handed over, not which");
    }

    @Test
    void withoutSchemaDocsTheSameEventsCarryASchemaThatDescribesNothingAndWeighLessAsJson() {
        Map<String, String> undescribed = taskProps(100, 0, 1);
        undescribed.put("schema.docs", "false");
        List<SourceRecord> described = TaskHarness.poll(new TaskHarness().start(taskProps(100, 0, 1)), Integer.MAX_VALUE, 3);
        List<SourceRecord> plain = TaskHarness.poll(new TaskHarness().start(undescribed), Integer.MAX_VALUE, 3);

        assertEquals(fieldValues(described), fieldValues(plain), "the same events, field by field");
        assertTrue(docs(described.get(0).valueSchema()).size() == 7, "by default the event and its 6 fields are described");
        assertEquals(List.of(), docs(plain.get(0).valueSchema()));
        assertEquals(described.get(0).valueSchema().field(OrderEventSchema.AMOUNT).schema().parameters(),
                plain.get(0).valueSchema().field(OrderEventSchema.AMOUNT).schema().parameters(), "still a decimal(18, 2)");

        JsonConverter json = new JsonConverter();
        json.configure(Map.of("schemas.enable", "true"), false);
        byte[] withDocs = json.fromConnectData("orders.test", described.get(0).valueSchema(), described.get(0).value());
        byte[] withoutDocs = json.fromConnectData("orders.test", plain.get(0).valueSchema(), plain.get(0).value());
        assertFalse(new String(withoutDocs, StandardCharsets.UTF_8).contains("\"doc\""));
        assertTrue(withDocs.length - withoutDocs.length > 250, "JSON with schemas: " + withDocs.length + " bytes with the "
                + "descriptions, " + withoutDocs.length + " without");
    }

    /** The docs of a struct schema and of its fields' schemas. */
    private static List<String> docs(Schema schema) {
        List<String> docs = new java.util.ArrayList<>();
        if (schema.doc() != null) {
            docs.add(schema.doc());
        }
        schema.fields().stream().map(field -> field.schema().doc()).filter(java.util.Objects::nonNull).forEach(docs::add);
        return docs;
    }

    private static List<Object> fieldValues(List<SourceRecord> records) {
        return records.stream().map(r -> {
            Struct value = (Struct) r.value();
            return List.of(r.key(), r.timestamp(), r.sourceOffset(),
                    value.schema().fields().stream().map(value::get).toList());
        }).map(Object.class::cast).toList();
    }

    private static List<Object> values(List<SourceRecord> records) {
        return records.stream().map(r -> List.of(r.key(), r.value(), r.timestamp(), r.sourceOffset())).map(Object.class::cast).toList();
    }
}
