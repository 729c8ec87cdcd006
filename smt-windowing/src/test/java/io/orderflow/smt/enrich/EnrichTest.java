package io.orderflow.smt.enrich;

import io.orderflow.smt.Orders;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnrichTest {

    private static final String INLINE = "{\"cust-000001\": {\"customer_tier\": \"gold\", \"region\": \"EU\"},"
            + " \"cust-000002\": {\"customer_tier\": \"silver\", \"region\": \"US\"}}";

    @TempDir
    Path dir;

    private static Enrich<SourceRecord> value(String... props) {
        Map<String, String> config = new HashMap<>();
        for (int i = 0; i < props.length; i += 2) {
            config.put(props[i], props[i + 1]);
        }
        Enrich<SourceRecord> enrich = new Enrich.Value<>();
        enrich.configure(config);
        return enrich;
    }

    @Test
    void addsLookupColumnsAsOptionalStringsAfterExistingFields() {
        Enrich<SourceRecord> enrich = value("lookup.key.field", "customer_id", "lookup.inline", INLINE);
        SourceRecord out = enrich.apply(Orders.record(Orders.order("PAID", "10.00", 0L)));
        Struct value = (Struct) out.value();
        assertEquals("gold", value.getString("customer_tier"));
        assertEquals("EU", value.getString("region"));
        List<String> names = out.valueSchema().fields().stream().map(f -> f.name()).toList();
        assertEquals(List.of("order_id", "customer_id", "amount", "currency", "status", "event_time", "quantity",
                "customer", "customer_tier", "region"), names);
        assertTrue(out.valueSchema().field("region").schema().isOptional());
        assertEquals(Orders.SCHEMA.name(), out.valueSchema().name());
        assertEquals(Orders.SCHEMA.version(), out.valueSchema().version());
        assertEquals(((Struct) Orders.record(Orders.order("PAID", "10.00", 0L)).value()).get("amount"), value.get("amount"));
    }

    @Test
    void missesGetDefaults() {
        Enrich<SourceRecord> enrich = value("lookup.key.field", "customer_id", "lookup.inline", INLINE,
                "lookup.defaults", "customer_tier=unknown");
        Struct order = Orders.order("PAID", "10.00", 0L).put("customer_id", "cust-999999");
        Struct value = (Struct) enrich.apply(Orders.record(order)).value();
        assertEquals("unknown", value.getString("customer_tier"));
        assertNull(value.getString("region"));
    }

    @Test
    void csvFileWithQuotesAndAChosenKeyColumn() throws Exception {
        Path csv = dir.resolve("customers.csv");
        Files.writeString(csv, "segment,customer_id,region\r\n\"retail, online\",cust-000001,\"EU \"\"west\"\"\"\n");
        Enrich<SourceRecord> enrich = value("lookup.key.field", "customer_id", "lookup.file", csv.toString(),
                "lookup.key.column", "customer_id");
        Struct value = (Struct) enrich.apply(Orders.record(Orders.order("PAID", "1.00", 0L))).value();
        assertEquals("retail, online", value.getString("segment"));
        assertEquals("EU \"west\"", value.getString("region"));
    }

    @Test
    void jsonArrayFile() throws Exception {
        Path json = dir.resolve("customers.json");
        Files.writeString(json, "[{\"id\": \"cust-000001\", \"tier\": \"gold\", \"score\": 7}]");
        Enrich<SourceRecord> enrich = value("lookup.key.field", "customer_id", "lookup.file", json.toString(),
                "lookup.key.column", "id", "lookup.fields", "score,tier");
        SourceRecord out = enrich.apply(Orders.record(Orders.order("PAID", "1.00", 0L)));
        assertEquals("7", ((Struct) out.value()).getString("score"));
        assertEquals("tier", out.valueSchema().fields().get(out.valueSchema().fields().size() - 1).name());
    }

    @Test
    void reloadsTheFileWhenItChanges() throws Exception {
        Path csv = dir.resolve("tiers.csv");
        Files.writeString(csv, "customer_id,customer_tier\ncust-000001,silver\n");
        Enrich<SourceRecord> enrich = value("lookup.key.field", "customer_id", "lookup.file", csv.toString(),
                "lookup.reload.interval.ms", "1");
        SourceRecord record = Orders.record(Orders.order("PAID", "1.00", 0L));
        assertEquals("silver", ((Struct) enrich.apply(record).value()).getString("customer_tier"));

        Files.writeString(csv, "customer_id,customer_tier\ncust-000001,platinum\n");
        Files.setLastModifiedTime(csv, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        Thread.sleep(5);
        assertEquals("platinum", ((Struct) enrich.apply(record).value()).getString("customer_tier"));

        Files.writeString(csv, "customer_id,customer_tier\n\"broken\n");
        Files.setLastModifiedTime(csv, FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        Thread.sleep(5);
        assertEquals("platinum", ((Struct) enrich.apply(record).value()).getString("customer_tier"),
                "a broken file keeps the previous table");
    }

    @Test
    void derivedDateAndHourInATimeZone() {
        long t = 1_767_223_800_000L; // 2025-12-31T23:30:00Z
        Enrich<SourceRecord> utc = value("event.time.field", "event_time", "time.fields", "event_date:yyyy-MM-dd,event_hour:HH");
        Struct inUtc = (Struct) utc.apply(Orders.record(Orders.order("PAID", "1.00", t))).value();
        assertEquals("2025-12-31", inUtc.getString("event_date"));
        assertEquals("23", inUtc.getString("event_hour"));

        Enrich<SourceRecord> berlin = value("time.fields", "event_date:yyyy-MM-dd,event_hour:HH", "time.zone", "Europe/Berlin");
        Struct inBerlin = (Struct) berlin.apply(Orders.record(Orders.order("PAID", "1.00", t))).value();
        assertEquals("2026-01-01", inBerlin.getString("event_date"), "from the record timestamp, in Berlin");
        assertEquals("00", inBerlin.getString("event_hour"));
    }

    @Test
    void eventTimeFromEpochSecondsAndIsoStrings() {
        Map<String, Object> seconds = Orders.map("PAID", 1);
        seconds.put("ts", 1_767_225_600L);
        Enrich<SourceRecord> bySeconds = value("event.time.field", "ts", "event.time.epoch.unit", "seconds", "time.fields", "d:yyyy-MM-dd");
        assertEquals("2026-01-01", ((Map<?, ?>) bySeconds.apply(Orders.schemaless(seconds)).value()).get("d"));

        Map<String, Object> iso = Orders.map("PAID", 1);
        iso.put("ts", "2026-02-03T04:05:06+01:00");
        Enrich<SourceRecord> byIso = value("event.time.field", "ts", "time.fields", "h:HH");
        assertEquals("03", ((Map<?, ?>) byIso.apply(Orders.schemaless(iso)).value()).get("h"));
    }

    @Test
    void staticFieldsAndSchemalessRecords() {
        Enrich<SourceRecord> enrich = value("lookup.key.field", "customer_id", "lookup.inline", INLINE,
                "static.fields", "pipeline=orderflow,stage=bronze");
        Map<?, ?> out = (Map<?, ?>) enrich.apply(Orders.schemaless(Orders.map("PAID", 3))).value();
        assertEquals("orderflow", out.get("pipeline"));
        assertEquals("bronze", out.get("stage"));
        assertEquals("gold", out.get("customer_tier"));
        assertEquals(3, out.get("amount"));
    }

    @Test
    void outputSchemaIsBuiltOncePerInputSchema() {
        Enrich<SourceRecord> enrich = value("static.fields", "pipeline=orderflow");
        Schema first = enrich.apply(Orders.record(Orders.order("PAID", "1.00", 0L))).valueSchema();
        Schema second = enrich.apply(Orders.record(Orders.order("SHIPPED", "2.00", 5L))).valueSchema();
        assertSame(first, second);
    }

    @Test
    void keyVariantEnrichesTheKey() {
        Enrich<SourceRecord> enrich = new Enrich.Key<>();
        enrich.configure(Map.of("lookup.key.field", "customer_id", "lookup.inline", INLINE));
        Struct order = Orders.order("PAID", "1.00", 0L);
        SourceRecord keyed = new SourceRecord(Map.of(), Map.of(), "orders", 0, order.schema(), order, Schema.STRING_SCHEMA, "v");
        SourceRecord out = enrich.apply(keyed);
        assertEquals("EU", ((Struct) out.key()).getString("region"));
        assertEquals("v", out.value());
    }

    @Test
    void tombstonesPassThrough() {
        SourceRecord tombstone = Orders.tombstone();
        assertSame(tombstone, value("static.fields", "a=b").apply(tombstone));
    }

    @Test
    void badRecordsRaiseDataExceptionNamingTheField() {
        Enrich<SourceRecord> collides = value("static.fields", "status=x");
        DataException collision = assertThrows(DataException.class,
                () -> collides.apply(Orders.record(Orders.order("PAID", "1.00", 0L))));
        assertTrue(collision.getMessage().contains("'status'"), collision.getMessage());

        Map<String, Object> value = Orders.map("PAID", 1);
        value.put("ts", true);
        DataException badTime = assertThrows(DataException.class,
                () -> value("event.time.field", "ts", "time.fields", "d:yyyy").apply(Orders.schemaless(value)));
        assertTrue(badTime.getMessage().contains("'ts'"), badTime.getMessage());

        DataException missingTime = assertThrows(DataException.class,
                () -> value("event.time.field", "nope", "time.fields", "d:yyyy").apply(Orders.schemaless(value)));
        assertTrue(missingTime.getMessage().contains("'nope' is missing"), missingTime.getMessage());
    }

    @Test
    void configErrorsNameTheOption() {
        assertOptionError("lookup.key.field", "lookup.key.field", "customer_id");
        assertOptionError("lookup.key.field", "lookup.inline", INLINE);
        assertOptionError("lookup.inline", "lookup.key.field", "c", "lookup.inline", INLINE, "lookup.file", "/x.csv");
        assertOptionError("lookup.file", "lookup.key.field", "c", "lookup.file", dir.resolve("absent.csv").toString());
        assertOptionError("lookup.inline", "lookup.key.field", "c", "lookup.inline", "[1, 2");
        assertOptionError("time.fields", "time.fields", "event_date");
        assertOptionError("time.fields", "time.fields", "d:yyyy-MM-dd-qqqqqq");
        assertOptionError("time.zone", "time.zone", "Mars/Olympus");
        assertOptionError("static.fields", "static.fields", "novalue");
    }

    private void assertOptionError(String option, String... props) {
        ConfigException e = assertThrows(ConfigException.class, () -> value(props));
        assertTrue(e.getMessage().contains(option), option + " -> " + e.getMessage());
    }
}
