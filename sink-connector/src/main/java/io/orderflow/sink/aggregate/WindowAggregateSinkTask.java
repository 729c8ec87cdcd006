package io.orderflow.sink.aggregate;

import io.orderflow.common.Version;
import io.orderflow.sink.DeadLetters;
import io.orderflow.sink.RecordCoordinates;
import io.orderflow.sink.Redelivery;
import io.orderflow.common.metrics.PluginInstruments;
import io.orderflow.sink.aggregate.config.AggregateSinkConfig;
import io.orderflow.sink.config.ConnectorNames;
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
import java.util.Map;

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
    private AssignedPartitions partitions;
    private long lastFlushMs;
    private final Redelivery redelivery = new Redelivery();
    private AggregateMetrics metrics;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new AggregateSinkConfig(props);
        connectorName = ConnectorNames.of(props, "window-aggregate");
        aggregator = new WindowAggregator(config.window(), config.summary());
        layout = SummaryLayout.of(config);
        PluginInstruments instruments = PluginInstruments.forTask(context);
        metrics = new AggregateMetrics(instruments);
        deadLetters = new DeadLetters(context, instruments);
        partitions = new AssignedPartitions(context);
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
        partitions.assign(assigned);
        try {
            partitions.resolve(tp -> store().readOffset(tp));
        } catch (WarehouseException e) {
            log.warn("Cannot read stored offsets at assignment, will retry before counting records: {}", e.getMessage());
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        boolean redelivered = redelivery.startBatch();
        partitions.startBatch(redelivered);
        try {
            partitions.resolve(tp -> store().readOffset(tp));
            for (SinkRecord record : records) {
                PartitionProgress progress = partitions.of(record);
                if (progress == null || partitions.awaitsSeek(record)) {
                    continue;
                }
                long offset = record.originalKafkaOffset();
                if (progress.alreadyCounted(offset)) {
                    if (!redelivered) {
                        throw startedOver(record, progress);
                    }
                    continue;
                }
                aggregate(record);
                progress.counted(offset);
            }
            if (System.currentTimeMillis() - lastFlushMs >= config.summary().flushIntervalMs()) {
                flush();
            }
        } catch (OffsetFencedException e) {
            rewind(e);
        } catch (WarehouseException e) {
            if (e.retriable()) {
                // The worker delivers this same batch again, before any seek asked for meanwhile takes effect.
                redelivery.retryRequested(records);
                throw new RetriableException("Warehouse unavailable, will retry: " + e.getMessage(), e);
            }
            throw new ConnectException(e.getMessage(), e);
        }
    }

    /**
     * A batch the worker fetched anew holds a record this task counted already, at an offset it did not seek back to:
     * the partition's log started over under the same name. Counting it would add a different record at an offset
     * the summary holds, and passing over it would drop it without a trace; only an operator can say which log
     * counts, so the task stops.
     */
    private ConnectException startedOver(SinkRecord record, PartitionProgress progress) {
        String stored = progress.storedOffset().isPresent()
                ? "the summary holds it up to offset " + progress.storedOffset().getAsLong() + " in "
                + layout.offsetsTable().quoted()
                : "nothing of it is stored yet";
        return Redelivery.startedOver(record, "counted", progress.nextOffset(), stored, "Nothing more of it is"
                + " counted. To count the new log from its start: stop this connector, reset the offsets of each"
                + " partition of '" + record.originalTopic() + "' (PATCH /connectors/" + connectorName + "/offsets with"
                + " {\"offsets\":[{\"partition\":{\"kafka_topic\":\"" + record.originalTopic() + "\",\"kafka_partition\":"
                + record.originalKafkaPartition() + "},\"offset\":null}, ...]}, which deletes their rows from "
                + layout.offsetsTable().quoted() + " and their consumer offsets) and resume it.");
    }

    private void aggregate(SinkRecord record) {
        WindowAggregator.Outcome outcome;
        try {
            outcome = aggregator.add(record);
        } catch (DataException e) {
            report(record, e);
            return;
        }
        if (outcome == WindowAggregator.Outcome.ADDED || outcome == WindowAggregator.Outcome.ADDED_LATE) {
            metrics.recordsAggregated.increment();
        }
        switch (outcome) {
            case ADDED_LATE -> metrics.lateRecords.increment();
            case DROPPED_LATE -> {
                metrics.lateRecords.increment();
                metrics.lateDropped.increment();
            }
            case LATE_FOR_DLQ -> {
                metrics.lateRecords.increment();
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
        Map<TopicPartition, SummaryTable.OffsetAdvance> offsets = partitions.advances();
        if (aggregator.deltas().isEmpty() && offsets.isEmpty()) {
            lastFlushMs = System.currentTimeMillis();
            return;
        }
        deadLetters.awaitAll();
        long started = System.nanoTime();
        int windows = aggregator.deltas().rows().size();
        store().write(aggregator.deltas().rows(), offsets);
        metrics.flushed(windows, aggregator.newestEventTime(), started);
        aggregator.deltas().clear();
        partitions.stored(offsets);
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
        partitions.rewindAll();
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        partitions.passFilteredRecords(currentOffsets);
        try {
            flush();
        } catch (OffsetFencedException e) {
            rewind(e);
        } catch (WarehouseException | ConnectException e) {
            log.warn("Cannot flush window deltas before the offset commit; offsets stay where the warehouse has them: {}",
                    e.getMessage());
        } catch (RuntimeException e) {
            // Not thrown on: the worker would seek every partition back to its last commit behind this task's back,
            // and its next batches would look like a log that started over.
            log.error("Cannot flush window deltas before the offset commit; offsets stay where the warehouse has them", e);
        }
        return partitions.committableOffsets();
    }

    @Override
    public void close(Collection<TopicPartition> revoked) {
        redelivery.revoked(revoked);
        try {
            flush();
        } catch (WarehouseException | ConnectException e) {
            // Deltas mix partitions: those of the revoked ones cannot be kept, so none are; the rest rewind.
            log.warn("Cannot flush window deltas as partitions are revoked; every partition rewinds to its stored offset: {}",
                    e.getMessage());
            rewindAll();
        }
        partitions.revoke(revoked);
    }

    @Override
    public void stop() {
        if (store != null) {
            store.close();
        }
    }
}
