package io.orderflow.local.bench;

import io.orderflow.testing.TopicToEnd;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every committed record of a topic as a read_committed consumer sees it, kept as (offset, broker append time) per
 * partition: the topic is created with {@code message.timestamp.type=LogAppendTime}, so a record's timestamp is when
 * the broker appended it — the clock every freshness figure starts from.
 */
final class TopicAppends {

    static final Map<String, String> TOPIC_CONFIG = AppendSpan.TOPIC_CONFIG;

    private final Map<Integer, long[]> offsets = new HashMap<>();
    private final Map<Integer, long[]> appendTimes = new HashMap<>();
    private final Map<Integer, Integer> counts = new HashMap<>();
    private long bytes;
    private long records;

    private TopicAppends() {
    }

    /** Creates a benchmark topic: broker append times as record timestamps, nothing deleted while it is read. */
    static void create(String bootstrap, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<String, String> config = new HashMap<>(TOPIC_CONFIG);
            config.put("retention.ms", "-1");
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(config))).all().get();
        }
    }

    /** Reads {@code topic} from the start up to its end offsets as they are now. */
    static TopicAppends read(String bootstrap, String topic) {
        TopicAppends appends = new TopicAppends();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            TopicToEnd.assignFromStart(consumer, topic);
            TopicToEnd.read(consumer, Duration.ofMinutes(10), appends::add);
        }
        return appends;
    }

    private void add(ConsumerRecord<byte[], byte[]> record) {
        int partition = record.partition();
        int n = counts.getOrDefault(partition, 0);
        long[] o = offsets.computeIfAbsent(partition, p -> new long[1024]);
        if (n == o.length) {
            o = Arrays.copyOf(o, n * 2);
            offsets.put(partition, o);
            appendTimes.put(partition, Arrays.copyOf(appendTimes.get(partition), n * 2));
        }
        o[n] = record.offset();
        appendTimes.computeIfAbsent(partition, p -> new long[1024])[n] = record.timestamp();
        counts.put(partition, n + 1);
        bytes += record.serializedKeySize() + record.serializedValueSize();
        records++;
    }

    /** Mean key + value bytes per record. */
    double bytesPerRecord() {
        return records == 0 ? 0 : bytes / (double) records;
    }

    /** Records the broker appended in [from, to). */
    long appendedBetween(long from, long to) {
        long n = 0;
        for (Map.Entry<Integer, Integer> partition : counts.entrySet()) {
            long[] times = appendTimes.get(partition.getKey());
            for (int i = 0; i < partition.getValue(); i++) {
                if (times[i] >= from && times[i] < to) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Records of {@code partition} with offsets in [fromOffset, toOffset). */
    long recordsBetweenOffsets(int partition, long fromOffset, long toOffset) {
        long[] o = offsets.get(partition);
        if (o == null) {
            return 0;
        }
        int n = counts.get(partition);
        return Math.max(0, lowerBound(o, n, toOffset) - lowerBound(o, n, fromOffset));
    }

    /** Calls {@code each} with (partition, offset, append time) for every record appended in [from, to). */
    void forEachAppendedBetween(long from, long to, RecordVisitor each) {
        for (Map.Entry<Integer, Integer> partition : counts.entrySet()) {
            long[] o = offsets.get(partition.getKey());
            long[] times = appendTimes.get(partition.getKey());
            for (int i = 0; i < partition.getValue(); i++) {
                if (times[i] >= from && times[i] < to) {
                    each.visit(partition.getKey(), o[i], times[i]);
                }
            }
        }
    }

    interface RecordVisitor {
        void visit(int partition, long offset, long appendTime);
    }

    private static int lowerBound(long[] sorted, int n, long key) {
        int index = Arrays.binarySearch(sorted, 0, n, key);
        return index >= 0 ? index : -index - 1;
    }
}
