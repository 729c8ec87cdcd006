package io.orderflow.smt.window;

import io.orderflow.smt.Orders;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TumblingWindowTest {

    private static final long T = Instant.parse("2026-01-01T10:15:42.123Z").toEpochMilli();

    private static TumblingWindow<SourceRecord> window(String... props) {
        Map<String, String> config = new HashMap<>();
        for (int i = 0; i < props.length; i += 2) {
            config.put(props[i], props[i + 1]);
        }
        TumblingWindow<SourceRecord> transform = new TumblingWindow<>();
        transform.configure(config);
        return transform;
    }

    private static SourceRecord at(long eventTime) {
        return Orders.record(Orders.order("COMPLETED", "9.99", eventTime));
    }

    private static long start(SourceRecord record) {
        return ((Date) ((Struct) record.value()).get("window_start")).getTime();
    }

    private static long end(SourceRecord record) {
        return ((Date) ((Struct) record.value()).get("window_end")).getTime();
    }

    @Test
    void oneMinuteWindowsFromATimestampField() {
        SourceRecord out = window("event.time.field", "event_time").apply(at(T));
        assertEquals(Instant.parse("2026-01-01T10:15:00Z").toEpochMilli(), start(out));
        assertEquals(Instant.parse("2026-01-01T10:16:00Z").toEpochMilli(), end(out));
        assertEquals(Timestamp.SCHEMA, out.valueSchema().field("window_start").schema());
        assertEquals(T, ((Date) ((Struct) out.value()).get("event_time")).getTime(), "existing fields are kept");
    }

    @Test
    void windowBoundariesAreHalfOpen() {
        TumblingWindow<SourceRecord> transform = window("event.time.field", "event_time");
        long minute = Instant.parse("2026-01-01T10:15:00Z").toEpochMilli();
        assertEquals(minute, start(transform.apply(at(minute))));
        assertEquals(minute - 60_000, start(transform.apply(at(minute - 1))));
    }

    @Test
    void sizeOffsetAndNames() {
        SourceRecord out = window("window.size", "1h", "window.offset", "15m", "window.start.field", "ws",
                "window.end.field", "we").apply(at(T));
        Struct value = (Struct) out.value();
        assertEquals(Instant.parse("2026-01-01T10:15:00Z").toEpochMilli(), ((Date) value.get("ws")).getTime());
        assertEquals(Instant.parse("2026-01-01T11:15:00Z").toEpochMilli(), ((Date) value.get("we")).getTime());
    }

    @Test
    void hourWindowsInAHalfHourZoneAndDayWindowsAcrossDaylightSaving() {
        SourceRecord kolkata = window("window.size", "1h", "window.time.zone", "Asia/Kolkata").apply(at(T));
        assertEquals(Instant.parse("2026-01-01T09:30:00Z").toEpochMilli(), start(kolkata));

        long dstDay = Instant.parse("2026-03-29T12:00:00Z").toEpochMilli(); // Berlin springs forward that night
        SourceRecord berlin = window("window.size", "1d", "window.time.zone", "Europe/Berlin").apply(at(dstDay));
        assertEquals(Instant.parse("2026-03-28T23:00:00Z").toEpochMilli(), start(berlin));
        assertEquals(Instant.parse("2026-03-29T22:00:00Z").toEpochMilli(), end(berlin), "a 23-hour day");
    }

    @Test
    void eventTimeFromRecordTimestampEpochSecondsAndIso() {
        assertEquals(Instant.parse("2026-01-01T10:15:00Z").toEpochMilli(), start(window().apply(at(T))));

        Map<String, Object> value = Orders.map("COMPLETED", 1);
        value.put("ts", T / 1000);
        Map<?, ?> bySeconds = (Map<?, ?>) window("event.time.field", "ts", "event.time.epoch.unit", "seconds")
                .apply(Orders.schemaless(value)).value();
        assertEquals(Instant.parse("2026-01-01T10:15:00Z").toEpochMilli(), bySeconds.get("window_start"));

        value.put("ts", "2026-01-01T11:15:42+01:00");
        Map<?, ?> byIso = (Map<?, ?>) window("event.time.field", "ts").apply(Orders.schemaless(value)).value();
        assertEquals(Instant.parse("2026-01-01T10:16:00Z").toEpochMilli(), byIso.get("window_end"));
    }

    @Test
    void setsTheRecordTimestampWhenAsked() {
        SourceRecord record = at(T).newRecord("orders", 0, Schema.STRING_SCHEMA, "k", Orders.SCHEMA,
                Orders.order("COMPLETED", "1.00", T), 5L);
        assertEquals(5L, window("event.time.field", "event_time").apply(record).timestamp());
        assertEquals(T, window("event.time.field", "event_time", "set.timestamp", "true").apply(record).timestamp());
    }

    @Test
    void flagFieldMarksEveryRecord() {
        TumblingWindow<SourceRecord> transform = window("event.time.field", "event_time", "late.policy", "flag-field");
        long minute = Instant.parse("2026-01-01T10:15:00Z").toEpochMilli();
        SourceRecord first = transform.apply(at(minute + 70_000)); // watermark now 10:16:05
        assertFalse(isLate(first), "no watermark before the first record");
        assertEquals(Schema.OPTIONAL_BOOLEAN_SCHEMA, first.valueSchema().field("is_late").schema());
        assertFalse(isLate(transform.apply(at(minute + 61_000))), "[10:16, 10:17) is still open");
        assertTrue(isLate(transform.apply(at(minute + 59_000))), "[10:15, 10:16) closed when the watermark passed 10:16");
        assertEquals(1, transform.lateRecords());
    }

    @Test
    void watermarkDecidesByWindowEndLikeFlink() {
        TumblingWindow<SourceRecord> transform = window("event.time.field", "event_time", "late.policy", "flag-field");
        long minute = Instant.parse("2026-01-01T10:15:00Z").toEpochMilli();
        transform.apply(at(minute + 64_000)); // watermark becomes 10:15:59
        assertFalse(isLate(transform.apply(at(minute + 1_000))), "10:15:01 is behind the watermark but its window is open");
        transform.apply(at(minute + 65_000)); // watermark 10:16:00 closes [10:15, 10:16)
        assertTrue(isLate(transform.apply(at(minute + 59_999))));
        assertEquals(1, transform.lateRecords());
    }

    @Test
    void eventCriterionFlagsByEventTime() {
        TumblingWindow<SourceRecord> transform = window("event.time.field", "event_time", "late.policy", "flag-header",
                "late.criterion", "event", "allowed.lateness", "5s");
        transform.apply(at(T));
        SourceRecord onTime = transform.apply(at(T - 5_000));
        SourceRecord late = transform.apply(at(T - 5_001));
        assertNull(onTime.headers().lastWithName("orderflow.late"));
        assertEquals(true, late.headers().lastWithName("orderflow.late").value());
        assertEquals(1, transform.lateRecords());
        assertNull(late.valueSchema().field("is_late"), "the header policy adds no field");
    }

    @Test
    void dropPolicyDropsAndCounts() {
        TumblingWindow<SourceRecord> transform = window("late.policy", "drop", "late.criterion", "event");
        transform.apply(at(T));
        assertNull(transform.apply(at(T - 60_000)));
        assertTrue(transform.apply(at(T - 1_000)) != null);
        assertEquals(1, transform.lateRecords());
    }

    @Test
    void tombstonesPassThroughAndSchemaIsCached() {
        TumblingWindow<SourceRecord> transform = window();
        assertSame(Orders.tombstone().value(), transform.apply(Orders.tombstone()).value());
        assertSame(transform.apply(at(T)).valueSchema(), transform.apply(at(T + 1)).valueSchema());
    }

    @Test
    void badRecordsRaiseDataExceptionNamingTheField() {
        Map<String, Object> value = Orders.map("COMPLETED", 1);
        value.remove("event_time");
        DataException missing = assertThrows(DataException.class,
                () -> window("event.time.field", "event_time").apply(Orders.schemaless(value)));
        assertTrue(missing.getMessage().contains("'event_time' is missing"), missing.getMessage());

        value.put("event_time", "yesterday");
        DataException text = assertThrows(DataException.class,
                () -> window("event.time.field", "event_time").apply(Orders.schemaless(value)));
        assertTrue(text.getMessage().contains("'event_time'") && text.getMessage().contains("yesterday"));

        value.put("window_start", 1L);
        value.put("event_time", T);
        assertThrows(DataException.class, () -> window("event.time.field", "event_time").apply(Orders.schemaless(value)));
    }

    @Test
    void configErrorsNameTheOption() {
        assertOptionError("window.offset", "window.size", "1m", "window.offset", "1m");
        assertOptionError("window.size", "window.size", "soon");
        assertOptionError("window.size", "window.size", "0s");
        assertOptionError("window.end.field", "window.end.field", "window_start");
        assertOptionError("late.policy", "late.policy", "ignore");
        assertOptionError("window.time.zone", "window.time.zone", "Nowhere/City");
        assertOptionError("allowed.lateness", "allowed.lateness", "-5s");
    }

    private static boolean isLate(SourceRecord record) {
        return ((Struct) record.value()).getBoolean("is_late");
    }

    private static void assertOptionError(String option, String... props) {
        ConfigException e = assertThrows(ConfigException.class, () -> window(props));
        assertTrue(e.getMessage().contains(option), option + " -> " + e.getMessage());
    }

    @Test
    void aRefusedSinkRecordIsNamedByWhereItWasConsumed() {
        org.apache.kafka.connect.data.Schema schema = org.apache.kafka.connect.data.SchemaBuilder.struct()
                .field("event_time", org.apache.kafka.connect.data.Timestamp.builder().optional().build()).build();
        org.apache.kafka.connect.sink.SinkRecord consumed = new org.apache.kafka.connect.sink.SinkRecord("orders.events", 3,
                null, null, schema, new org.apache.kafka.connect.data.Struct(schema), 41);
        TumblingWindow<org.apache.kafka.connect.sink.SinkRecord> transform = new TumblingWindow<>();
        transform.configure(Map.of("event.time.field", "event_time"));
        org.apache.kafka.connect.errors.DataException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.apache.kafka.connect.errors.DataException.class, () -> transform.apply(consumed));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("Record orders.events-3@41: ")
                && e.getMessage().contains("'event_time'"), e.getMessage());
    }
}
