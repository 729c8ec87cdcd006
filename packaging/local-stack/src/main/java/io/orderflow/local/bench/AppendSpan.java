package io.orderflow.local.bench;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How long a single-partition topic took to fill, measured by the broker itself: topics are created with
 * {@code message.timestamp.type=LogAppendTime}, so the first and last records carry the broker's append
 * times. The same clock for the source connector and for ProducerPerformance, free of client start-up time.
 */
record AppendSpan(long records, long firstAppendMs, long lastAppendMs) {

    static final Map<String, String> TOPIC_CONFIG = Map.of("message.timestamp.type", "LogAppendTime");

    double recordsPerSecond() {
        return (records - 1) * 1000.0 / Math.max(1, lastAppendMs - firstAppendMs);
    }

    double megabytesPerSecond(double bytesPerRecord) {
        return recordsPerSecond() * bytesPerRecord / 1_000_000.0;
    }

    /** Waits until the topic's single partition holds {@code expected} records, then measures. */
    static AppendSpan await(String bootstrap, String topic, long expected, Duration timeout) throws InterruptedException {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1))) {
            consumer.assign(List.of(partition));
            long deadline = System.nanoTime() + timeout.toNanos();
            long end;
            while ((end = consumer.endOffsets(List.of(partition)).get(partition)) < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(topic + " holds " + end + " of " + expected + " records after " + timeout);
                }
                Thread.sleep(100);
            }
            return new AppendSpan(end, appendTimeAt(consumer, partition, 0), appendTimeAt(consumer, partition, end - 1));
        }
    }

    /** The end offset of a topic's single partition. */
    static long endOffset(String bootstrap, String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            return consumer.endOffsets(List.of(partition)).get(partition);
        }
    }

    private static long appendTimeAt(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long offset) {
        consumer.seek(partition, offset);
        for (int attempt = 0; attempt < 50; attempt++) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                return record.timestamp();
            }
        }
        throw new IllegalStateException("no record at offset " + offset + " of " + partition);
    }
}
