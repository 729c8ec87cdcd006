package io.orderflow.sink.lake;

import io.orderflow.sink.lake.config.RotationConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The task's writers, one per assigned topic partition, and what is decided across them: which writer a record
 * goes to, which partitions commit now (schedule, skips, the task's memory bound) and which offsets the framework
 * may commit.
 */
final class PartitionWriters {

    private final Map<TopicPartition, TopicPartitionWriter> writers = new HashMap<>();
    /**
     * Partitions this task asked the framework to seek (to their marker) and that have had no batch since: until the
     * seek takes effect, the framework's consumed position for them is not the task's, so it is not reported.
     */
    private final Set<TopicPartition> awaitingSeek = new HashSet<>();
    private final int maxOpenFiles;
    private final long maxBufferedBytes;
    private final LakeMetrics metrics;

    private SinkRecord previous;
    private TopicPartitionWriter previousWriter;

    PartitionWriters(RotationConfig rotation, LakeMetrics metrics) {
        this.maxOpenFiles = rotation.maxOpenFiles();
        this.maxBufferedBytes = rotation.maxBufferedBytes();
        this.metrics = metrics;
    }

    void add(TopicPartition tp, TopicPartitionWriter writer, boolean seekRequested) {
        writers.put(tp, writer);
        if (seekRequested) {
            awaitingSeek.add(tp);
        }
    }

    /** Starts a batch: the framework applies requested seeks before it fetches the records it delivers. */
    void startBatch() {
        awaitingSeek.clear();
        previous = null;
        previousWriter = null;
        writers.values().forEach(TopicPartitionWriter::loadPending);
    }

    /** The writer of the partition the record was consumed from, or null when it is not assigned. */
    TopicPartitionWriter writerOf(SinkRecord record) {
        // Batches arrive in runs of one partition: look the writer up only when the partition changes.
        if (previous == null || !record.originalKafkaPartition().equals(previous.originalKafkaPartition())
                || !record.originalTopic().equals(previous.originalTopic())) {
            previousWriter = writers.get(new TopicPartition(record.originalTopic(), record.originalKafkaPartition()));
        }
        previous = record;
        return previousWriter;
    }

    /** Ends a batch: commits what the wall clock or skipped records made due, then whatever the memory bound needs. */
    void finishBatch(long nowMs) {
        previous = null;
        previousWriter = null;
        for (TopicPartitionWriter writer : writers.values()) {
            writer.handOver();
            if (writer.scheduleDue(nowMs) || writer.hasUncommittedSkips()) {
                writer.commit();
            }
        }
        enforceBounds();
    }

    /** Commits the largest partitions while the task holds too many open files or bytes. */
    private void enforceBounds() {
        while (true) {
            int open = 0;
            long bytes = 0;
            for (TopicPartitionWriter writer : writers.values()) {
                open += writer.openFiles();
                bytes += writer.estimatedHeapBytes();
            }
            if (open <= maxOpenFiles && bytes <= maxBufferedBytes) {
                metrics.held(open, bytes);
                return;
            }
            Comparator<TopicPartitionWriter> largest = open > maxOpenFiles
                    ? Comparator.comparingInt(TopicPartitionWriter::openFiles)
                    : Comparator.comparingLong(TopicPartitionWriter::estimatedHeapBytes);
            writers.values().stream().max(largest).orElseThrow().commit();
        }
    }

    /**
     * What the markers hold; and where a partition has nothing open or pending, the framework's consumed position,
     * which may be further on: records a transform dropped (Filter) never reach the task, and without this the
     * consumer group would stay behind them for good. A restart seeks to the marker and reads them again, and
     * the transform drops them again.
     */
    Map<TopicPartition, OffsetAndMetadata> committableOffsets(Map<TopicPartition, OffsetAndMetadata> consumed) {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        writers.forEach((tp, writer) -> {
            long offset = writer.committedOffset();
            OffsetAndMetadata position = consumed.get(tp);
            if (position != null && writer.idle() && !awaitingSeek.contains(tp)) {
                offset = Math.max(offset, position.offset());
            }
            if (offset >= 0) {
                committed.put(tp, new OffsetAndMetadata(offset));
            }
        });
        return committed;
    }

    /** Drops the writers of revoked partitions; what they had not committed is rewritten by the next owner. */
    void close(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            awaitingSeek.remove(tp);
            TopicPartitionWriter writer = writers.remove(tp);
            if (writer != null) {
                writer.discard();
            }
        }
        previous = null;
        previousWriter = null;
    }

    void closeAll() {
        close(Set.copyOf(writers.keySet()));
    }
}
