package io.orderflow.sink.aggregate;

import io.orderflow.common.Version;
import io.orderflow.sink.DeadLetters;
import io.orderflow.sink.RecordCoordinates;
import io.orderflow.sink.TaskCounters;
import io.orderflow.sink.aggregate.config.AggregateSinkConfig;
import io.orderflow.sink.aggregate.state.WindowAggregator;
import io.orderflow.sink.aggregate.summary.OffsetFencedException;
import io.orderflow.sink.aggregate.summary.SummaryLayout;
import io.orderflow.sink.aggregate.summary.SummaryTable;
import io.orderflow.sink.warehouse.WarehouseException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Aggregates records into per-window deltas in memory and, every {@code flush.interval.ms}, writes the deltas and
 * the offsets they cover in one warehouse transaction. Offsets reach Kafka only from what the warehouse holds.
 */
public class WindowAggregateSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(WindowAggregateSinkTask.class);

    private AggregateSinkConfig config;
    private WindowAggregator aggregator;
    private SummaryLayout layout;
    private String connectorName;
    private SummaryTable store;
    private DeadLetters deadLetters;
    private final Map<TopicPartition, PartitionProgress> partitions = new HashMap<>();
    /**
     * Partitions this task asked the framework to seek and that have had no batch since: until the seek takes
     * effect, the framework's consumed position for them is not the task's, so it is not taken over.
     */
    private final Set<TopicPartition> awaitingSeek = new HashSet<>();
    private long lastFlushMs;
    private TaskCounters.Counter lateDropped;
    private TaskCounters.Counter lateRecords;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new AggregateSinkConfig(props);
        connectorName = props.getOrDefault("name", "window-aggregate");
        aggregator = new WindowAggregator(config.window(), config.summary());
        layout = SummaryLayout.of(config.warehouse().table(), config.summary().groupBy(), config.summary().aggregates(),
                config.summary().decimalScale());
        deadLetters = new DeadLetters(context);
        TaskCounters counters = new TaskCounters(context);
        lateRecords = counters.counter("late-records-total", "Records for windows already closed by the watermark");
        lateDropped = counters.counter("late-records-dropped-total", "Late records left out (late.policy=drop)");
        lastFlushMs = System.currentTimeMillis();
        log.info("Window aggregate task writing {} per window into {} ({})", config.summary().aggregates(),
                layout.table().quoted(), config.warehouse().dialect());
    }

    /** The store opens lazily, so a warehouse that is down at start-up costs retries, not a failed task. */
    private SummaryTable store() {
        if (store == null) {
            store = SummaryTable.open(config.warehouse(), layout, connectorName);
        }
        return store;
    }

    @Override
    public void open(Collection<TopicPartition> assigned) {
        for (TopicPartition tp : assigned) {
            partitions.put(tp, PartitionProgress.assigned());
        }
        try {
            resolve(false);
        } catch (WarehouseException e) {
            log.warn("Cannot read stored offsets at assignment, will retry before counting records: {}", e.getMessage());
        }
    }

    /**
     * Reads the stored offsets of partitions that lack them and seeks there.
     *
     * @param midBatch whether records of the current batch are being delivered: those of a partition resolved now
     *                 may lie anywhere around the stored offset, so they are skipped and come again after the seek
     * @return the partitions whose records in the current batch must be skipped
     */
    private Set<TopicPartition> resolve(boolean midBatch) {
        Set<TopicPartition> skip = new HashSet<>();
        for (Map.Entry<TopicPartition, PartitionProgress> entry : partitions.entrySet()) {
            PartitionProgress progress = entry.getValue();
            if (!progress.awaitingStoredOffset()) {
                continue;
            }
            OptionalLong stored = store().readOffset(entry.getKey());
            long resumeAt = progress.resumeFrom(stored);
            if (resumeAt >= 0) {
                context.offset(entry.getKey(), resumeAt);
                awaitingSeek.add(entry.getKey());
                if (midBatch) {
                    skip.add(entry.getKey());
                }
            }
            log.info("{}: resuming at {}", entry.getKey(), stored.isPresent() ? "stored offset " + stored.getAsLong()
                    : resumeAt >= 0 ? "offset " + resumeAt + ", the first this task counted (none stored yet)"
                    : "the consumer's position (none stored yet)");
        }
        return skip;
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        // The framework applies requested seeks before it fetches the records it delivers here.
        awaitingSeek.clear();
        try {
            Set<TopicPartition> skip = resolve(true);
            for (SinkRecord record : records) {
                TopicPartition tp = new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
                PartitionProgress progress = partitions.computeIfAbsent(tp, p -> PartitionProgress.assigned());
                if (skip.contains(tp) || progress.alreadyCounted(record.originalKafkaOffset())) {
                    continue;
                }
                aggregate(record);
                progress.counted(record.originalKafkaOffset());
            }
            if (System.currentTimeMillis() - lastFlushMs >= config.summary().flushIntervalMs()) {
                flush();
            }
        } catch (OffsetFencedException e) {
            rewind(e);
        } catch (WarehouseException e) {
            if (e.retriable()) {
                throw new RetriableException("Warehouse unavailable, will retry: " + e.getMessage(), e);
            }
            throw new ConnectException(e.getMessage(), e);
        }
    }

    private void aggregate(SinkRecord record) {
        WindowAggregator.Outcome outcome;
        try {
            outcome = aggregator.add(record);
        } catch (DataException e) {
            report(record, e);
            return;
        }
        switch (outcome) {
            case ADDED_LATE -> lateRecords.increment();
            case DROPPED_LATE -> {
                lateRecords.increment();
                lateDropped.increment();
            }
            case LATE_FOR_DLQ -> {
                lateRecords.increment();
                report(record, new DataException("Record " + RecordCoordinates.of(record) + " is late: its window closed at watermark "
                        + Instant.ofEpochMilli(aggregator.watermark()) + " (late.policy=dlq)"));
            }
            case ADDED -> { }
        }
    }

    /** A bad or late record goes to the dead letter queue when errors.tolerance=all, and fails the task otherwise. */
    private void report(SinkRecord record, DataException e) {
        if (!deadLetters.available()) {
            throw e;
        }
        deadLetters.report(record, e);
    }

    /** One transaction: every window delta and every advanced offset. */
    private void flush() {
        Map<TopicPartition, SummaryTable.OffsetAdvance> offsets = new HashMap<>();
        partitions.forEach((tp, progress) -> progress.advance().ifPresent(advance -> offsets.put(tp, advance)));
        if (aggregator.deltas().isEmpty() && offsets.isEmpty()) {
            lastFlushMs = System.currentTimeMillis();
            return;
        }
        deadLetters.awaitAll();
        store().write(aggregator.deltas().rows(), offsets);
        aggregator.deltas().clear();
        offsets.forEach((tp, advance) -> partitions.get(tp).stored(advance.next()));
        lastFlushMs = System.currentTimeMillis();
    }

    /**
     * Another task moved a stored offset: this task's deltas may overlap what it counted, so all of them are
     * dropped and every partition resumes from what the warehouse holds.
     */
    private void rewind(OffsetFencedException e) {
        log.warn("{} Rewinding every partition of this task to its stored offset.", e.getMessage());
        rewindAll();
    }

    /** Drops every delta: each partition reads its stored offset again and counts from there. */
    private void rewindAll() {
        aggregator.deltas().clear();
        partitions.values().forEach(PartitionProgress::rewind);
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        passFilteredRecords(currentOffsets);
        try {
            flush();
        } catch (OffsetFencedException e) {
            rewind(e);
        } catch (WarehouseException | ConnectException e) {
            log.warn("Cannot flush window deltas before the offset commit; offsets stay where the warehouse has them: {}",
                    e.getMessage());
        }
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        partitions.forEach((tp, progress) -> progress.storedOffset().ifPresent(offset -> committed.put(tp, new OffsetAndMetadata(offset))));
        return committed;
    }

    /**
     * Every record the framework delivered is counted (or reported), so below its consumed position there are only
     * records this task has counted and records a transform dropped (Filter), which never reach {@link #put}. Moving
     * to that position lets the flush store it with the deltas, and the consumer group catch up: without it, the
     * group would stay behind the records after a partition's last kept one for good.
     */
    private void passFilteredRecords(Map<TopicPartition, OffsetAndMetadata> consumed) {
        consumed.forEach((tp, position) -> {
            PartitionProgress progress = partitions.get(tp);
            if (progress != null && !progress.awaitingStoredOffset() && !awaitingSeek.contains(tp)) {
                progress.passTo(position.offset());
            }
        });
    }

    @Override
    public void close(Collection<TopicPartition> revoked) {
        try {
            flush();
        } catch (WarehouseException | ConnectException e) {
            // Deltas mix partitions: those of the revoked ones cannot be kept, so none are; the rest rewind.
            log.warn("Cannot flush window deltas as partitions are revoked; every partition rewinds to its stored offset: {}",
                    e.getMessage());
            rewindAll();
        }
        revoked.forEach(tp -> {
            partitions.remove(tp);
            awaitingSeek.remove(tp);
        });
    }

    @Override
    public void stop() {
        if (store != null) {
            store.close();
        }
    }
}
