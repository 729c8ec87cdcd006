package io.orderflow.configs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The hostile records of {@link HostileInputIT}: what a misbehaving producer, a schema change or a broken client
 * puts into {@code orders.events}, as the bytes JsonConverter (schemas enabled, numeric decimals, as the shipped
 * configs read them) receives. Each case has its own topic, whose first record is a good order.
 *
 * @param id       the case's name; its topic is {@code hostile-<id>}
 * @param values   the record values after the good one (null: a tombstone)
 * @param lake     what the lake sink into DuckDB does with them
 * @param lakePg   what the lake sink into PostgreSQL does with them
 * @param summary  what the summary pipeline (Filter, TumblingWindow, aggregate sink) does with them
 * @param mentions what the task's failure says is wrong, with errors.tolerance=none
 */
record HostileInput(String id, List<byte[]> values, Outcome lake, Outcome lakePg, Outcome summary, String mentions) {

    /** Where a record ends up with errors.tolerance=all. */
    enum Outcome {
        /** In the warehouse table (lake) or counted in the summary. */
        ROW,
        /** In the dead letter queue. */
        DLQ,
        /** Left out by configuration (a tombstone with behavior.on.null.values=ignore, a status the filter drops). */
        SKIPPED
    }

    static final long T0 = 1_767_225_600_000L;   // 2026-01-01T00:00:00Z

    static String orderSchema(String amountSchema, String eventTimeSchema, String extraFields) {
        return "{\"type\":\"struct\",\"name\":\"io.orderflow.OrderEvent\",\"version\":1,\"optional\":false,\"fields\":["
                + "{\"field\":\"order_id\",\"type\":\"string\",\"optional\":false},"
                + "{\"field\":\"customer_id\",\"type\":\"string\",\"optional\":false},"
                + "{\"field\":\"amount\"," + amountSchema + "},"
                + "{\"field\":\"currency\",\"type\":\"string\",\"optional\":false},"
                + "{\"field\":\"status\",\"type\":\"string\",\"optional\":false},"
                + "{\"field\":\"event_time\"," + eventTimeSchema + "}" + extraFields + "]}";
    }

    static final String DECIMAL = "\"type\":\"bytes\",\"optional\":false,\"name\":\"org.apache.kafka.connect.data.Decimal\","
            + "\"version\":1,\"parameters\":{\"scale\":\"2\",\"connect.decimal.precision\":\"18\"}";
    static final String TIMESTAMP = "\"type\":\"int64\",\"optional\":false,\"name\":\"org.apache.kafka.connect.data.Timestamp\","
            + "\"version\":1";
    static final String SCHEMA = orderSchema(DECIMAL, TIMESTAMP, "");

    static String payload(String orderId, String customer, String amount, String eventTime) {
        return "{\"order_id\":" + orderId + ",\"customer_id\":" + customer + ",\"amount\":" + amount
                + ",\"currency\":\"EUR\",\"status\":\"COMPLETED\",\"event_time\":" + eventTime + "}";
    }

    static byte[] envelope(String schema, String payload) {
        return ("{\"schema\":" + schema + ",\"payload\":" + payload + "}").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] good(String orderId, String amount, long eventTime) {
        return envelope(SCHEMA, payload(quote(orderId), "\"c1\"", amount, Long.toString(eventTime)));
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static HostileInput of(String id, byte[] value, Outcome lake, Outcome lakePg, Outcome summary, String mentions) {
        List<byte[]> values = new ArrayList<>();
        values.add(value);
        return new HostileInput(id, values, lake, lakePg, summary, mentions);
    }

    /** A record every sink takes: it must reach the table and the summary. */
    private static HostileInput accepted(String id, byte[] value) {
        return of(id, value, Outcome.ROW, Outcome.ROW, Outcome.ROW, "");
    }

    /** A record every sink refuses: the dead letter queue, or a failure naming it. */
    private static HostileInput refused(String id, byte[] value, String mentions) {
        return of(id, value, Outcome.DLQ, Outcome.DLQ, Outcome.DLQ, mentions);
    }

    private static String bad(String id) {
        return quote(id + "-bad");
    }

    static List<HostileInput> all() {
        long t = T0 + 30_000;
        String time = Long.toString(t);
        List<HostileInput> cases = new ArrayList<>();
        // Bytes no converter can read.
        cases.add(refused("malformed-json", bytes("{\"schema\": {\"type\":"), "Converting byte[] to Kafka Connect data failed"));
        // JsonConverter reads the first JSON value and ignores what follows it.
        cases.add(accepted("trailing-garbage", bytes("{\"schema\":" + SCHEMA + ",\"payload\":" + payload(bad("trailing-garbage"),
                "\"c\"", "1.00", time) + "} xyz")));
        cases.add(refused("not-utf8", new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xfd}, "Converting byte[] to Kafka Connect data failed"));
        cases.add(refused("missing-envelope", bytes(payload(bad("missing-envelope"), "\"c\"", "1.00", time)),
                "schemas.enable"));
        cases.add(refused("payload-array", envelope(SCHEMA, "[1,2,3]"), "Struct"));
        cases.add(refused("payload-string", envelope(SCHEMA, "\"order\""), "Struct"));
        cases.add(refused("schema-not-object", bytes("{\"schema\":42,\"payload\":{}}"), "'type'"));
        // Values of the wrong type, or missing where the schema requires them.
        cases.add(refused("wrong-type-order-id", envelope(SCHEMA, payload("42", "\"c\"", "1.00", time)), "order_id"));
        cases.add(refused("wrong-type-event-time", envelope(SCHEMA, payload(bad("wrong-type-event-time"), "\"c\"", "1.00",
                "\"yesterday\"")), "Timestamp"));
        cases.add(refused("event-time-beyond-long", envelope(SCHEMA, payload(bad("event-time-beyond-long"), "\"c\"", "1.00",
                "99999999999999999999999")), "event_time"));
        cases.add(refused("missing-required-field", envelope(SCHEMA, "{\"order_id\":" + bad("missing-required-field")
                + ",\"amount\":1.00,\"currency\":\"EUR\",\"status\":\"COMPLETED\",\"event_time\":" + time + "}"), "required STRING"));
        cases.add(refused("null-required-field", envelope(SCHEMA, payload(bad("null-required-field"), "null", "1.00", time)), "required STRING"));
        cases.add(refused("null-required-decimal", envelope(SCHEMA, payload(bad("null-required-decimal"), "\"c\"", "null", time)), "required BYTES"));
        // Decimals Connect accepts but the declared Decimal(18,2) cannot hold: the defects of issue 12.
        cases.add(refused("decimal-too-wide", envelope(SCHEMA, payload(bad("decimal-too-wide"), "\"c\"",
                "12345678901234567890123.45", time)), "amount"));
        cases.add(refused("decimal-too-many-places", envelope(SCHEMA, payload(bad("decimal-too-many-places"), "\"c\"", "1.005", time)),
                "amount"));
        cases.add(refused("decimal-far-too-many-places", envelope(SCHEMA, payload(bad("decimal-far-too-many-places"), "\"c\"",
                "0.0000000000000000000000000001", time)), "amount"));
        cases.add(accepted("decimal-at-the-precision", envelope(SCHEMA, payload(bad("decimal-at-the-precision"), "\"c\"",
                "9999999999999999.99", time))));
        cases.add(accepted("decimal-negative", envelope(SCHEMA, payload(bad("decimal-negative"), "\"c\"", "-25.50", time))));
        cases.add(accepted("decimal-zero", envelope(SCHEMA, payload(bad("decimal-zero"), "\"c\"", "0", time))));
        cases.add(accepted("decimal-trailing-zeros", envelope(SCHEMA, payload(bad("decimal-trailing-zeros"), "\"c\"", "3.1000", time))));
        cases.add(accepted("decimal-as-base64", envelope(SCHEMA, payload(bad("decimal-as-base64"), "\"c\"", "\"AQ==\"", time))));
        // Text: what PostgreSQL text refuses, what no column should mangle.
        cases.add(of("nul-in-string", envelope(SCHEMA, payload(bad("nul-in-string"), quote("a\u0000b"), "1.00", time)),
                Outcome.ROW, Outcome.DLQ, Outcome.ROW, "customer_id"));
        cases.add(accepted("emoji", envelope(SCHEMA, payload(bad("emoji"), quote("\uD83D\uDE80 \u00e9\u4e2d"), "1.00", time))));
        cases.add(accepted("one-megabyte-string", envelope(SCHEMA, payload(bad("one-megabyte-string"),
                quote("x".repeat(1024 * 1024)), "1.00", time))));
        cases.add(accepted("empty-strings", envelope(SCHEMA, "{\"order_id\":" + bad("empty-strings") + ",\"customer_id\":\"\","
                + "\"amount\":1.00,\"currency\":\"\",\"status\":\"COMPLETED\",\"event_time\":" + time + "}")));
        cases.add(accepted("quotes-and-newlines", envelope(SCHEMA, payload(bad("quotes-and-newlines"),
                quote("a,\"b\"\n'c'\\d\r\te"), "1.00", time))));
        // Time at the ends of the range.
        cases.add(accepted("timestamp-year-1", envelope(SCHEMA, payload(bad("timestamp-year-1"), "\"c\"", "1.00", "-62135596800000"))));
        // Its minute's window ends at 10000-01-01, which no warehouse timestamp column holds: the summary refuses it.
        cases.add(of("timestamp-year-9999", envelope(SCHEMA, payload(bad("timestamp-year-9999"), "\"c\"", "1.00", "253402300799000")),
                Outcome.ROW, Outcome.ROW, Outcome.DLQ, "outside the years 1 to 9999"));
        cases.add(accepted("timestamp-before-1970", envelope(SCHEMA, payload(bad("timestamp-before-1970"), "\"c\"", "1.00", "-1000"))));
        // Keys, tombstones, unknown fields, statuses.
        cases.add(of("tombstone", null, Outcome.SKIPPED, Outcome.SKIPPED, Outcome.SKIPPED, ""));
        cases.add(accepted("unknown-field", envelope(SCHEMA, "{\"order_id\":" + bad("unknown-field") + ",\"customer_id\":\"c\","
                + "\"amount\":1.00,\"currency\":\"EUR\",\"status\":\"COMPLETED\",\"event_time\":" + time + ",\"coupon\":\"X\"}")));
        cases.add(accepted("duplicate-json-key", envelope(SCHEMA, "{\"order_id\":" + bad("duplicate-json-key")
                + ",\"customer_id\":\"a\",\"customer_id\":\"b\",\"amount\":1.00,\"currency\":\"EUR\",\"status\":\"COMPLETED\","
                + "\"event_time\":" + time + "}")));
        cases.add(of("unknown-status", envelope(SCHEMA, "{\"order_id\":" + bad("unknown-status") + ",\"customer_id\":\"c\","
                + "\"amount\":1.00,\"currency\":\"EUR\",\"status\":\"WEIRD\",\"event_time\":" + time + "}"),
                Outcome.ROW, Outcome.ROW, Outcome.SKIPPED, ""));
        // Schema changes mid-stream.
        cases.add(accepted("field-added", envelope(orderSchema(DECIMAL, TIMESTAMP, ",{\"field\":\"channel\",\"type\":\"string\",\"optional\":true}"),
                "{\"order_id\":" + bad("field-added") + ",\"customer_id\":\"c\",\"amount\":1.00,\"currency\":\"EUR\","
                        + "\"status\":\"COMPLETED\",\"event_time\":" + time + ",\"channel\":\"web\"}")));
        cases.add(accepted("nested-struct-added", envelope(orderSchema(DECIMAL, TIMESTAMP, ",{\"field\":\"address\",\"type\":\"struct\","
                        + "\"optional\":true,\"fields\":[{\"field\":\"city\",\"type\":\"string\",\"optional\":false}]}"),
                "{\"order_id\":" + bad("nested-struct-added") + ",\"customer_id\":\"c\",\"amount\":1.00,\"currency\":\"EUR\","
                        + "\"status\":\"COMPLETED\",\"event_time\":" + time + ",\"address\":{\"city\":\"Lyon\"}}")));
        cases.add(accepted("field-removed", envelope("{\"type\":\"struct\",\"name\":\"io.orderflow.OrderEvent\",\"optional\":false,"
                + "\"fields\":[{\"field\":\"order_id\",\"type\":\"string\",\"optional\":false},{\"field\":\"amount\"," + DECIMAL + "},"
                + "{\"field\":\"currency\",\"type\":\"string\",\"optional\":false},{\"field\":\"status\",\"type\":\"string\",\"optional\":false},"
                + "{\"field\":\"event_time\"," + TIMESTAMP + "}]}", "{\"order_id\":" + bad("field-removed")
                + ",\"amount\":1.00,\"currency\":\"EUR\",\"status\":\"COMPLETED\",\"event_time\":" + time + "}")));
        cases.add(accepted("amount-becomes-double", envelope(orderSchema("\"type\":\"double\",\"optional\":false", TIMESTAMP, ""),
                payload(bad("amount-becomes-double"), "\"c\"", "2.5", time))));
        cases.add(accepted("amount-becomes-int", envelope(orderSchema("\"type\":\"int32\",\"optional\":false", TIMESTAMP, ""),
                payload(bad("amount-becomes-int"), "\"c\"", "7", time))));
        cases.add(of("event-time-becomes-text", envelope(orderSchema(DECIMAL, "\"type\":\"string\",\"optional\":false", ""),
                payload(bad("event-time-becomes-text"), "\"c\"", "1.00", "\"2026-01-01T00:00:30Z\"")),
                Outcome.ROW, Outcome.ROW, Outcome.ROW, ""));
        cases.add(refused("event-time-missing", envelope(orderSchema(DECIMAL, "\"type\":\"int64\",\"optional\":true,"
                + "\"name\":\"org.apache.kafka.connect.data.Timestamp\",\"version\":1", ""),
                payload(bad("event-time-missing"), "\"c\"", "1.00", "null")), "event_time"));
        // Parquet readers cannot read the precision AvroData declares for it (64): the lake refuses it, the summary can hold it.
        cases.add(of("decimal-without-precision", envelope(orderSchema("\"type\":\"bytes\",\"optional\":false,"
                + "\"name\":\"org.apache.kafka.connect.data.Decimal\",\"version\":1,\"parameters\":{\"scale\":\"2\"}", TIMESTAMP, ""),
                payload(bad("decimal-without-precision"), "\"c\"", "1.00", time)), Outcome.DLQ, Outcome.DLQ, Outcome.ROW,
                "connect.decimal.precision"));
        // A burst: many records in one batch.
        List<byte[]> burst = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            burst.add(good("burst-bad-" + i, "0.01", t + i));
        }
        cases.add(new HostileInput("huge-batch", burst, Outcome.ROW, Outcome.ROW, Outcome.ROW, ""));
        return cases;
    }
}
