package io.orderflow.smt;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.source.SourceRecord;

import java.math.BigDecimal;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;

/** Order records shaped like the source connector's OrderEvent, for transform unit tests. */
public final class Orders {

    public static final Schema CUSTOMER = SchemaBuilder.struct().name("Customer").optional()
            .field("tier", Schema.OPTIONAL_STRING_SCHEMA)
            .field("address.city", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    public static final Schema SCHEMA = SchemaBuilder.struct().name("io.orderflow.OrderEvent").version(1)
            .field("order_id", Schema.STRING_SCHEMA)
            .field("customer_id", Schema.STRING_SCHEMA)
            .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "18").build())
            .field("currency", Schema.STRING_SCHEMA)
            .field("status", Schema.STRING_SCHEMA)
            .field("event_time", Timestamp.SCHEMA)
            .field("quantity", Schema.OPTIONAL_INT32_SCHEMA)
            .field("customer", CUSTOMER)
            .build();

    private Orders() {
    }

    public static Struct order(String status, String amount, long eventTime) {
        return new Struct(SCHEMA)
                .put("order_id", "ord-1")
                .put("customer_id", "cust-000001")
                .put("amount", new BigDecimal(amount))
                .put("currency", "EUR")
                .put("status", status)
                .put("event_time", new Date(eventTime));
    }

    public static SourceRecord record(Struct value) {
        return new SourceRecord(Map.of(), Map.of(), "orders", 0, Schema.STRING_SCHEMA, value.getString("order_id"),
                value.schema(), value, ((Date) value.get("event_time")).getTime());
    }

    public static SourceRecord schemaless(Map<String, Object> value) {
        return new SourceRecord(Map.of(), Map.of(), "orders", 0, null, value.get("order_id"), null, value, 1_000L);
    }

    public static Map<String, Object> map(String status, Object amount) {
        Map<String, Object> value = new HashMap<>();
        value.put("order_id", "ord-1");
        value.put("customer_id", "cust-000001");
        value.put("amount", amount);
        value.put("status", status);
        value.put("event_time", 1_767_225_600_000L);
        return value;
    }

    public static SourceRecord tombstone() {
        return new SourceRecord(Map.of(), Map.of(), "orders", 0, Schema.STRING_SCHEMA, "ord-1", SCHEMA, null, 1_000L);
    }
}
