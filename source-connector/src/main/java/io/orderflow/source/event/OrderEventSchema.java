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

    private static final Schema DECIMAL_VALUE = build(decimalAmount(AMOUNT_PRECISION, AMOUNT_SCALE));
    private static final Schema DOUBLE_VALUE = build(SchemaBuilder.float64().doc("Order value in the order's currency").build());

    private OrderEventSchema() {
    }

    public static Schema valueSchema(AmountType amountType) {
        return amountType == AmountType.DOUBLE ? DOUBLE_VALUE : DECIMAL_VALUE;
    }

    /**
     * The schema of events whose amount has this precision and scale (the jdbc reader's, from the amount column);
     * the generator's is {@code valueSchema(amountType)}, precision 18 and scale 2.
     */
    public static Schema valueSchema(AmountType amountType, int precision, int scale) {
        if (amountType == AmountType.DOUBLE || (precision == AMOUNT_PRECISION && scale == AMOUNT_SCALE)) {
            return valueSchema(amountType);
        }
        return build(decimalAmount(precision, scale));
    }

    private static Schema decimalAmount(int precision, int scale) {
        return Decimal.builder(scale)
                .parameter("connect.decimal.precision", Integer.toString(precision))
                .doc("Order value in the order's currency")
                .build();
    }

    public static Struct toStruct(OrderEvent event, AmountType amountType) {
        Struct struct = new Struct(valueSchema(amountType))
                .put(ORDER_ID, event.orderId())
                .put(CUSTOMER_ID, event.customerId())
                .put(CURRENCY, event.currency())
                .put(STATUS, event.status().name())
                .put(EVENT_TIME, new Date(event.eventTimeMs()));
        struct.put(AMOUNT, amountType == AmountType.DOUBLE ? (Object) event.amount().doubleValue() : event.amount());
        return struct;
    }

    private static Schema build(Schema amount) {
        return SchemaBuilder.struct()
                .name(NAME)
                .version(VERSION)
                .doc("One state change of one order")
                .field(ORDER_ID, SchemaBuilder.string().doc("Unique order id; also the record key").build())
                .field(CUSTOMER_ID, SchemaBuilder.string().doc("Ordering customer").build())
                .field(AMOUNT, amount)
                .field(CURRENCY, SchemaBuilder.string().doc("ISO 4217 currency code").build())
                .field(STATUS, SchemaBuilder.string()
                        .doc("CREATED, PAID, SHIPPED, COMPLETED, CANCELLED or REFUNDED").build())
                .field(EVENT_TIME, Timestamp.builder().doc("When the order entered this status").build())
                .build();
    }
}
