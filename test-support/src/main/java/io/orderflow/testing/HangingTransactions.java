package io.orderflow.testing;

import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.coordinator.transaction.TransactionLog;
import org.apache.kafka.coordinator.transaction.TransactionMetadata;
import org.apache.kafka.coordinator.transaction.TransactionState;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hanging transactions: a partition holds an open transaction that its transaction coordinator no longer has open, as
 * the commit or abort marker has not reached the partition. The partition's last stable offset then stays where that
 * transaction began until a marker comes, and every read_committed reader stops there: a Connect worker reading its
 * offsets topic when it starts (its REST API answers, but it never joins the group), an exactly-once source connector
 * starting (it stays UNASSIGNED), a sink reading the order topic. This finds them as an operator does with
 * {@code kafka-transactions.sh find-hanging} (KIP-664), through the same Admin calls, and ends them the way their
 * coordinator decided ({@link #resolve}).
 */
public final class HangingTransactions {

    /** An open transaction on a partition, as the partition's leader describes it and as its coordinator does. */
    public record Hanging(TopicPartition partition, long producerId, int producerEpoch, int coordinatorEpoch,
                          long startOffset, int lastSequence, String transactionalId, String coordinatorView) {
        @Override
        public String toString() {
            return partition + " from offset " + startOffset + ": producer " + producerId + " epoch " + producerEpoch
                    + " (" + transactionalId + "), coordinator: " + coordinatorView;
        }
    }

    private HangingTransactions() {
    }

    /**
     * The open transactions of every non-internal topic that the coordinator does not have open at that producer
     * epoch, seen so both now and {@code confirmAfter} later (a transaction being completed shows as open on its
     * partitions for the milliseconds its markers take).
     */
    public static List<Hanging> find(Admin admin, Duration confirmAfter) throws Exception {
        List<Hanging> first = observe(admin);
        if (first.isEmpty()) {
            return first;
        }
        Thread.sleep(confirmAfter.toMillis());
        Set<String> again = new HashSet<>();
        for (Hanging hanging : observe(admin)) {
            again.add(key(hanging));
        }
        return first.stream().filter(hanging -> again.contains(key(hanging))).toList();
    }

    /** What the coordinator decided for a transaction, as its log records it. */
    public enum Outcome { COMMIT, ABORT, UNKNOWN }

    /** The coordinator's decision on a transaction, and the partitions it named in it. */
    public record Decision(Outcome outcome, Set<TopicPartition> partitions) {
    }

    /**
     * Ends each hanging transaction on its partition the way its coordinator decided, and says what was done:
     * <ul>
     *   <li>aborted: the partition is aborted, writing the marker that is missing;</li>
     *   <li>committed, with one record on the partition: that record is written again outside any transaction, then
     *       the original aborted. Aborting alone would drop a record whose siblings on other partitions were, or will
     *       be, committed: on a Connect worker's offsets topic, the source would write that transaction's records
     *       again;</li>
     *   <li>anything else is only reported: a committed transaction's several records on the partition cannot be told
     *       from other producers' records there, and a decision the log no longer holds is unknown. (Seen once: such
     *       partitions of a committed transaction got their commit markers later, by themselves.)</li>
     * </ul>
     */
    public static Map<Hanging, String> resolve(Admin admin, String bootstrapServers, List<Hanging> hanging) throws Exception {
        Map<Hanging, String> done = new LinkedHashMap<>();
        // One transaction often hangs on several partitions; its decision is read from the log once.
        Map<String, Decision> decisions = new HashMap<>();
        for (Hanging h : hanging) {
            Decision decision = decisions.computeIfAbsent(h.producerId() + "/" + h.producerEpoch(),
                    transaction -> decision(bootstrapServers, h));
            if (decision.outcome() == Outcome.ABORT) {
                abort(admin, h);
                done.put(h, "aborted, as its coordinator had");
            } else if (decision.outcome() == Outcome.COMMIT && h.lastSequence() == 0) {
                commitByCopy(admin, bootstrapServers, h);
                done.put(h, "committed by a copy of its record, then aborted");
            } else {
                done.put(h, "left alone: coordinator's decision " + decision.outcome() + " on " + decision.partitions()
                        + ", last sequence " + h.lastSequence());
            }
        }
        return done;
    }

    /**
     * The coordinator's decision on the transaction that holds the partition open: the first prepare or complete
     * record for its transactional id in __transaction_state after the one that had it ongoing, at that producer id and
     * epoch, with that partition.
     */
    public static Decision decision(String bootstrapServers, Hanging hanging) {
        if (hanging.transactionalId() == null) {
            return new Decision(Outcome.UNKNOWN, Set.of());
        }
        boolean ongoing = false;
        for (TransactionMetadata state : transactionLog(bootstrapServers, hanging.transactionalId())) {
            if (state.producerId() != hanging.producerId()) {
                continue;
            }
            if (state.state() == TransactionState.ONGOING && state.producerEpoch() == hanging.producerEpoch()
                    && state.topicPartitions().contains(hanging.partition())) {
                ongoing = true;
            } else if (ongoing && state.state() == TransactionState.PREPARE_COMMIT) {
                return new Decision(Outcome.COMMIT, Set.copyOf(state.topicPartitions()));
            } else if (ongoing && (state.state() == TransactionState.PREPARE_ABORT
                    || state.state() == TransactionState.PREPARE_EPOCH_FENCE)) {
                return new Decision(Outcome.ABORT, Set.copyOf(state.topicPartitions()));
            }
        }
        return new Decision(Outcome.UNKNOWN, Set.of());
    }

    /** Aborts it on its partition (writes an abort marker there). */
    public static void abort(Admin admin, Hanging hanging) throws Exception {
        admin.abortTransaction(new AbortTransactionSpec(hanging.partition(), hanging.producerId(),
                (short) hanging.producerEpoch(), hanging.coordinatorEpoch())).all().get();
    }

    /**
     * Writes the transaction's one record on the partition again, outside any transaction (read_committed readers see
     * it once the last stable offset passes it), then aborts the original.
     */
    public static void commitByCopy(Admin admin, String bootstrapServers, Hanging hanging) throws Exception {
        ConsumerRecord<byte[], byte[]> original = recordAt(bootstrapServers, hanging.partition(), hanging.startOffset());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(original.topic(), original.partition(), original.timestamp(), original.key(),
                    original.value(), original.headers())).get();
        }
        abort(admin, hanging);
    }

    private static ConsumerRecord<byte[], byte[]> recordAt(String bootstrapServers, TopicPartition partition, long offset) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() == offset) {
                        return record;
                    }
                }
            }
            throw new IllegalStateException("No record at " + partition + "@" + offset);
        }
    }

    /** Every state the coordinator logged for the transactional id, oldest first. */
    private static List<TransactionMetadata> transactionLog(String bootstrapServers, String transactionalId) {
        List<TransactionMetadata> states = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.EXCLUDE_INTERNAL_TOPICS_CONFIG, "false"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicToEnd.assignFromStart(consumer, Topic.TRANSACTION_STATE_TOPIC_NAME);
            TopicToEnd.read(consumer, Duration.ofSeconds(30), record -> {
                if (record.key() != null && record.value() != null
                        && TransactionLog.read(ByteBuffer.wrap(record.key()), ByteBuffer.wrap(record.value()))
                        instanceof TransactionLog.TxnRecord txn && txn.transactionId().equals(transactionalId)) {
                    states.add(txn.metadata());
                }
            });
        }
        return states;
    }

    private static String key(Hanging hanging) {
        return hanging.partition() + "/" + hanging.producerId() + "/" + hanging.producerEpoch() + "/" + hanging.startOffset();
    }

    private static List<Hanging> observe(Admin admin) throws Exception {
        Set<String> topics = admin.listTopics().names().get();
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get().values()) {
            topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
        }
        Map<TopicPartition, List<ProducerState>> open = new HashMap<>();
        Set<Long> producerIds = new HashSet<>();
        admin.describeProducers(partitions).all().get().forEach((tp, description) -> {
            for (ProducerState producer : description.activeProducers()) {
                if (producer.currentTransactionStartOffset().isPresent()) {
                    open.computeIfAbsent(tp, k -> new ArrayList<>()).add(producer);
                    producerIds.add(producer.producerId());
                }
            }
        });
        if (open.isEmpty()) {
            return List.of();
        }
        Map<Long, String> transactionalIds = new HashMap<>();
        for (TransactionListing listing : admin.listTransactions(new ListTransactionsOptions().filterProducerIds(producerIds))
                .all().get()) {
            transactionalIds.put(listing.producerId(), listing.transactionalId());
        }
        Map<String, TransactionDescription> coordinatorViews = transactionalIds.isEmpty() ? Map.of()
                : admin.describeTransactions(transactionalIds.values()).all().get();
        List<Hanging> hanging = new ArrayList<>();
        open.forEach((tp, producers) -> {
            for (ProducerState producer : producers) {
                String transactionalId = transactionalIds.get(producer.producerId());
                TransactionDescription view = transactionalId == null ? null : coordinatorViews.get(transactionalId);
                boolean openThere = view != null && view.state() == org.apache.kafka.clients.admin.TransactionState.ONGOING
                        && view.producerId() == producer.producerId() && view.producerEpoch() == producer.producerEpoch()
                        && view.topicPartitions().contains(tp);
                if (!openThere) {
                    hanging.add(new Hanging(tp, producer.producerId(), producer.producerEpoch(),
                            producer.coordinatorEpoch().orElse(-1), producer.currentTransactionStartOffset().getAsLong(),
                            producer.lastSequence(), transactionalId, view == null ? "no transaction for this producer id"
                            : view.state() + " at epoch " + view.producerEpoch() + " on " + view.topicPartitions()));
                }
            }
        });
        return hanging;
    }
}
