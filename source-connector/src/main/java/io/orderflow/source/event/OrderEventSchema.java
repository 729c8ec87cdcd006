package io.orderflow.source.event;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

import java.util.Date;

/**
 * The Connect schema of an {@link OrderEvent} record value.
 *
 * <p>The schema is named and versioned, and the decimal carries {@code connect.decimal.precision}, so the
 * Avro, Protobuf and JSON Schema converters map it to a proper logical type instead of an unbounded bytes
 * field (Avro readers misread a decimal without precision).
 */
public final class OrderEventSchema {

    public static final String NAME = "io.orderflow.OrderEvent";
    public static final int VERSION = 1;

    public static final String ORDER_ID = "order_id";
    public static final String CUSTOMER_ID = "customer_id";
    public static final String AMOUNT = "amount";
    public static final String CURRENCY = "currency";
    public static final String STATUS = "status";
    public static final String EVENT_TIME = "event_time";

    public static final int AMOUNT_SCALE = 2;
    public static final int AMOUNT_PRECISION = 18;

    private static final Schema DECIMAL_VALUE = build(decimalAmount(AMOUNT_PRECISION, AMOUNT_SCALE, true), true);
    private static final Schema DOUBLE_VALUE = build(doubleAmount(true), true);
    private static final Schema DECIMAL_VALUE_UNDESCRIBED = build(decimalAmount(AMOUNT_PRECISION, AMOUNT_SCALE, false), false);
    private static final Schema DOUBLE_VALUE_UNDESCRIBED = build(doubleAmount(false), false);

    private OrderEventSchema() {
    }

    /** The schema with its descriptions (docs). */
    public static Schema valueSchema(AmountType amountType) {
        return valueSchema(amountType, true);
    }

    /** The schema, with or without the descriptions of the event and its fields ({@code schema.docs}). */
    public static Schema valueSchema(AmountType amountType, boolean docs) {
        if (amountType == AmountType.DOUBLE) {
            return docs ? DOUBLE_VALUE : DOUBLE_VALUE_UNDESCRIBED;
        }
        return docs ? DECIMAL_VALUE : DECIMAL_VALUE_UNDESCRIBED;
    }

    /**
     * The schema of events whose amount has this precision and scale (the jdbc reader's, from the amount column);
     * the generator's is {@code valueSchema(amountType, docs)}, precision 18 and scale 2.
     */
    public static Schema valueSchema(AmountType amountType, int precision, int scale, boolean docs) {
        if (amountType == AmountType.DOUBLE || (precision == AMOUNT_PRECISION && scale == AMOUNT_SCALE)) {
            return valueSchema(amountType, docs);
        }
        return build(decimalAmount(precision, scale, docs), docs);
    }

    private static Schema decimalAmount(int precision, int scale, boolean docs) {
        return described(Decimal.builder(scale).parameter("connect.decimal.precision", Integer.toString(precision)),
                docs, "Order value in the order's currency").build();
    }

    private static Schema doubleAmount(boolean docs) {
        return described(SchemaBuilder.float64(), docs, "Order value in the order's currency").build();
    }

    /** The event as a value of {@code valueSchema}, the schema of {@code valueSchema(amountType, docs)}. */
    public static Struct toStruct(OrderEvent event, Schema valueSchema, AmountType amountType) {
        Struct struct = new Struct(valueSchema)
                .put(ORDER_ID, event.orderId())
                .put(CUSTOMER_ID, event.customerId())
                .put(CURRENCY, event.currency())
                .put(STATUS, event.status().name())
                .put(EVENT_TIME, new Date(event.eventTimeMs()));
        struct.put(AMOUNT, amountType == AmountType.DOUBLE ? (Object) event.amount().doubleValue() : event.amount());
        return struct;
    }

    /** The event as a value of the schema with descriptions. */
    public static Struct toStruct(OrderEvent event, AmountType amountType) {
        return toStruct(event, valueSchema(amountType), amountType);
    }

    private static Schema build(Schema amount, boolean docs) {
        return described(SchemaBuilder.struct().name(NAME).version(VERSION), docs, "One state change of one order")
                .field(ORDER_ID, described(SchemaBuilder.string(), docs, "Unique order id; also the record key").build())
                .field(CUSTOMER_ID, described(SchemaBuilder.string(), docs, "Ordering customer").build())
                .field(AMOUNT, amount)
                .field(CURRENCY, described(SchemaBuilder.string(), docs, "ISO 4217 currency code").build())
                .field(STATUS, described(SchemaBuilder.string(), docs,
                        "CREATED, PAID, SHIPPED, COMPLETED, CANCELLED or REFUNDED").build())
                .field(EVENT_TIME, described(Timestamp.builder(), docs, "When the order entered this status").build())
                .build();
    }

    private static SchemaBuilder described(SchemaBuilder schema, boolean docs, String doc) {
        return docs ? schema.doc(doc) : schema;
    }
}
