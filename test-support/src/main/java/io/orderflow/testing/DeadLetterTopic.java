package io.orderflow.testing;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a dead letter queue: where each of its records came from, by the context headers the worker adds. */
public final class DeadLetterTopic {

    /** The topic partition and offset a dead-lettered record was consumed at. */
    public record Origin(String topic, int partition, long offset) {
    }

    private DeadLetterTopic() {
    }

    /** A dead-lettered record: where it was consumed, and the exception that sent it here. */
    public record Letter(Origin origin, String exceptionClass, String exceptionMessage) {
    }

    /**
     * Every record's origin, in topic order (Connect's DLQ may hold a record twice after a restart); empty when the
     * topic does not exist. Needs {@code errors.deadletterqueue.context.headers.enable=true}.
     */
    public static List<Origin> origins(String bootstrapServers, String topic) {
        return letters(bootstrapServers, topic).stream().map(Letter::origin).toList();
    }

    /** As {@link #origins}, with the exception each record's context headers name. */
    public static List<Letter> letters(String bootstrapServers, String topic) {
        List<Letter> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            if (TopicToEnd.assignFromStart(consumer, topic).isEmpty()) {
                return letters;
            }
            TopicToEnd.read(consumer, Duration.ofMinutes(2), record -> letters.add(new Letter(new Origin(
                    header(record, "__connect.errors.topic"),
                    Integer.parseInt(header(record, "__connect.errors.partition")),
                    Long.parseLong(header(record, "__connect.errors.offset"))),
                    header(record, "__connect.errors.exception.class.name"),
                    header(record, "__connect.errors.exception.message"))));
        }
        return letters;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        if (header == null) {
            throw new IllegalStateException("Dead letter record without " + name + ": enable context headers");
        }
        return header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
