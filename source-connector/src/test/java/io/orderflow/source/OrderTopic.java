package io.orderflow.source;

import io.orderflow.source.event.OrderEvent;
import io.orderflow.source.event.OrderEventSchema;
import io.orderflow.source.event.OrderStatus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/** Reads order events back from a topic the way a downstream consumer does: read_committed, JSON decoded. */
final class OrderTopic {

    /** One consumed record, decoded. */
    record Consumed(String key, long timestamp, int partition, OrderEvent event) {
    }

    private OrderTopic() {
    }

    /**
     * Reads from the beginning until {@code expected} records arrived (calling {@code progress} as they come),
     * then keeps reading for {@code settle} to catch anything beyond the expected count.
     */
    static List<Consumed> readCommitted(String bootstrap, String topic, int expected, Duration timeout, Duration settle,
                                        IntConsumer progress) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true", "decimal.format", "NUMERIC"), false);
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<Consumed> consumed = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumed.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    consumed.add(decode(converter, record));
                }
                progress.accept(consumed.size());
            }
            long settleUntil = System.nanoTime() + settle.toNanos();
            while (System.nanoTime() < settleUntil) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    consumed.add(decode(converter, record));
                }
            }
        }
        return consumed;
    }

    private static Consumed decode(JsonConverter converter, ConsumerRecord<byte[], byte[]> record) {
        SchemaAndValue value = converter.toConnectData(record.topic(), record.value());
        Struct struct = (Struct) value.value();
        OrderEvent event = new OrderEvent(
                struct.getString(OrderEventSchema.ORDER_ID),
                struct.getString(OrderEventSchema.CUSTOMER_ID),
                (BigDecimal) struct.get(OrderEventSchema.AMOUNT),
                struct.getString(OrderEventSchema.CURRENCY),
                OrderStatus.valueOf(struct.getString(OrderEventSchema.STATUS)),
                ((java.util.Date) struct.get(OrderEventSchema.EVENT_TIME)).getTime());
        return new Consumed(new String(record.key(), StandardCharsets.UTF_8), record.timestamp(), record.partition(), event);
    }
}
