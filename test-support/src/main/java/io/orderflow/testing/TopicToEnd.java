package io.orderflow.testing;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reading a topic up to the end it has now, as every check of a topic's content does. Under read_committed that end is
 * the last stable offset: a read never waits for an open transaction.
 */
public final class TopicToEnd {

    private TopicToEnd() {
    }

    /** Assigns {@code consumer} every partition of {@code topic}, each from its first record. */
    public static List<TopicPartition> assignFromStart(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }

    /**
     * Reads the consumer's assigned partitions from where they are up to the end offsets they had when this began,
     * handing each record before those ends to {@code each} in partition order, and leaves each partition at its end
     * (records past it, which a poll can return, are read by the next call): the topic exactly as it was.
     *
     * @throws IllegalStateException if those ends are not reached within {@code timeout}
     */
    public static <K, V> void read(KafkaConsumer<K, V> consumer, Duration timeout, Consumer<ConsumerRecord<K, V>> each) {
        Set<TopicPartition> partitions = consumer.assignment();
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Read to " + partitions.stream().collect(Collectors.toMap(p -> p,
                        consumer::position)) + " of the end offsets " + end + " in " + timeout);
            }
            for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(500))) {
                if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                    each.accept(record);
                }
            }
        }
        for (TopicPartition partition : partitions) {
            if (consumer.position(partition) > end.get(partition)) {
                consumer.seek(partition, end.get(partition));
            }
        }
    }
}
