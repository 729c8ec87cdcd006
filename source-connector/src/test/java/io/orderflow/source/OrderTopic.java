package io.orderflow.source;

import io.orderflow.source.event.OrderEvent;
import io.orderflow.source.event.OrderEventSchema;
import io.orderflow.source.event.OrderStatus;
import io.orderflow.testing.CommittedTopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/** Reads order events back from a topic as a downstream consumer does: read_committed, JSON decoded. */
final class OrderTopic {

    /** One consumed record, decoded. */
    record Consumed(String key, long timestamp, OrderEvent event) {
    }

    private OrderTopic() {
    }

    static List<Consumed> readCommitted(String bootstrap, String topic, int expected, Duration timeout, Duration settle,
                                        IntConsumer progress) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true", "decimal.format", "NUMERIC"), false);
        return CommittedTopicReader.read(bootstrap, topic, expected, timeout, settle, progress).stream()
                .map(record -> decode(converter, record))
                .toList();
    }

    private static Consumed decode(JsonConverter converter, ConsumerRecord<byte[], byte[]> record) {
        Struct struct = (Struct) converter.toConnectData(record.topic(), record.value()).value();
        OrderEvent event = new OrderEvent(
                struct.getString(OrderEventSchema.ORDER_ID),
                struct.getString(OrderEventSchema.CUSTOMER_ID),
                (BigDecimal) struct.get(OrderEventSchema.AMOUNT),
                struct.getString(OrderEventSchema.CURRENCY),
                OrderStatus.valueOf(struct.getString(OrderEventSchema.STATUS)),
                ((Date) struct.get(OrderEventSchema.EVENT_TIME)).getTime());
        return new Consumed(new String(record.key(), StandardCharsets.UTF_8), record.timestamp(), event);
    }
}
