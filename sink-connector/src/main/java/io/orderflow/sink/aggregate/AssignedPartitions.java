package io.orderflow.sink.aggregate;

import io.orderflow.sink.aggregate.summary.SummaryTable;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@link PartitionProgress} of every partition assigned to the task, and what is decided across them: where each
 * resumes, which offsets a flush stores, and which the framework may commit.
 */
final class AssignedPartitions {

    private static final Logger log = LoggerFactory.getLogger(AssignedPartitions.class);

    private final Map<TopicPartition, PartitionProgress> partitions = new HashMap<>();
    /**
     * Partitions this task asked the framework to seek and that have had no batch since: until the seek takes
     * effect, the framework's consumed position for them is not the task's, so it is not taken over.
     */
    private final Set<TopicPartition> awaitingSeek = new HashSet<>();
    private final SinkTaskContext context;

    AssignedPartitions(SinkTaskContext context) {
        this.context = context;
    }

    void assign(Collection<TopicPartition> assigned) {
        assigned.forEach(tp -> partitions.put(tp, PartitionProgress.assigned()));
    }

    /**
     * Starts a batch. The framework applies requested seeks before it fetches new records, so a new batch comes from
     * the positions asked for. A redelivered batch (the previous {@code put} failed retriably) does not: its records
     * of a partition that awaits a seek are from before it, and are skipped again.
     */
    void startBatch(boolean redelivery) {
        if (!redelivery) {
            awaitingSeek.clear();
        }
    }

    /** Whether this partition's records in the current batch predate a seek this task asked for. */
    boolean awaitsSeek(TopicPartition tp) {
        return awaitingSeek.contains(tp);
    }

    /** The same for a record's partition; nothing is allocated per record while no seek is pending (nearly always). */
    boolean awaitsSeek(SinkRecord record) {
        return !awaitingSeek.isEmpty()
                && awaitingSeek.contains(new TopicPartition(record.originalTopic(), record.originalKafkaPartition()));
    }

    /**
     * Reads the stored offsets of partitions that lack them and seeks there.
     *
     * Records of a partition resolved now may lie anywhere around the stored offset: until the seek takes effect they
     * are skipped ({@link #awaitsSeek}) and come again after it.
     */
    void resolve(Function<TopicPartition, OptionalLong> storedOffset) {
        for (Map.Entry<TopicPartition, PartitionProgress> entry : partitions.entrySet()) {
            PartitionProgress progress = entry.getValue();
            if (!progress.awaitingStoredOffset()) {
                continue;
            }
            OptionalLong stored = storedOffset.apply(entry.getKey());
            long resumeAt = progress.resumeFrom(stored);
            if (resumeAt >= 0) {
                context.offset(entry.getKey(), resumeAt);
                awaitingSeek.add(entry.getKey());
            }
            log.info("{}: resuming at {}", entry.getKey(), stored.isPresent() ? "stored offset " + stored.getAsLong()
                    : resumeAt >= 0 ? "offset " + resumeAt + ", the first this task counted (none stored yet)"
                    : "the consumer's position (none stored yet)");
        }
    }

    /**
     * The progress of the partition the record was consumed from; null when that partition is not assigned to this
     * task: the worker drops a revoked partition's records from a batch it holds for redelivery by their topic after
     * the transforms, so a routing transform can leave some behind, and they belong to the partition's new owner.
     */
    PartitionProgress of(SinkRecord record) {
        return partitions.get(new TopicPartition(record.originalTopic(), record.originalKafkaPartition()));
    }

    /** The stored offsets a flush must move, with what it expects to find. */
    Map<TopicPartition, SummaryTable.OffsetAdvance> advances() {
        Map<TopicPartition, SummaryTable.OffsetAdvance> offsets = new HashMap<>();
        partitions.forEach((tp, progress) -> progress.advance().ifPresent(advance -> offsets.put(tp, advance)));
        return offsets;
    }

    /** A flush stored these advances in the warehouse. */
    void stored(Map<TopicPartition, SummaryTable.OffsetAdvance> offsets) {
        offsets.forEach((tp, advance) -> partitions.get(tp).stored(advance.next()));
    }

    /** The deltas were dropped: each partition reads its stored offset again and counts from there. */
    void rewindAll() {
        partitions.values().forEach(PartitionProgress::rewind);
    }

    /**
     * Every record the framework delivered is counted (or reported), so below its consumed position there are only
     * records this task has counted and records a transform dropped (Filter), which never reach the task. Moving
     * to that position lets the flush store it with the deltas, and the consumer group catch up: without it, the
     * group would stay behind the records after a partition's last kept one for good.
     */
    void passFilteredRecords(Map<TopicPartition, OffsetAndMetadata> consumed) {
        consumed.forEach((tp, position) -> {
            PartitionProgress progress = partitions.get(tp);
            if (progress != null && !progress.awaitingStoredOffset() && !awaitingSeek.contains(tp)) {
                progress.passTo(position.offset());
            }
        });
    }

    /** Offsets reach Kafka only from what the warehouse holds. */
    Map<TopicPartition, OffsetAndMetadata> committableOffsets() {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        partitions.forEach((tp, progress) -> progress.storedOffset()
                .ifPresent(offset -> committed.put(tp, new OffsetAndMetadata(offset))));
        return committed;
    }

    void revoke(Collection<TopicPartition> revoked) {
        revoked.forEach(tp -> {
            partitions.remove(tp);
            awaitingSeek.remove(tp);
        });
    }
}
