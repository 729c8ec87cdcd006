package io.orderflow.sink.lake;

import io.orderflow.common.Version;
import io.apicurio.registry.utils.converter.avro.AvroData;
import io.apicurio.registry.utils.converter.avro.AvroDataConfig;
import io.orderflow.sink.DeadLetters;
import io.orderflow.sink.RecordCoordinates;
import io.orderflow.sink.Redelivery;
import io.orderflow.sink.config.ConnectorNames;
import io.orderflow.common.metrics.PluginInstruments;
import io.orderflow.sink.lake.commit.CommitMarker;
import io.orderflow.sink.lake.commit.ObjectNames;
import io.orderflow.sink.lake.config.LakeSinkConfig;
import io.orderflow.sink.lake.config.RotationConfig;
import io.orderflow.sink.lake.format.ValueCheck;
import io.orderflow.sink.lake.partition.EventTime;
import io.orderflow.sink.lake.partition.Partitioners;
import io.orderflow.sink.lake.store.ObjectStore;
import io.orderflow.sink.lake.store.ObjectStores;
import io.orderflow.sink.lake.store.StoreException;
import io.orderflow.sink.warehouse.WarehouseException;
import io.orderflow.sink.warehouse.WarehouseLoader;
import io.orderflow.sink.warehouse.WarehouseLoaders;
import io.orderflow.sink.warehouse.config.WarehouseConfig.Dialect;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes records to Parquet files per topic partition and partition path; offsets reach the framework only
 * through {@link #preCommit}, from what the commit markers say is durably in the store.
 *
 * <p>The task does lifecycle and routing only: the commit protocol is {@link TopicPartitionWriter} with its
 * {@link io.orderflow.sink.lake.commit.CommitState}, what is decided across partitions {@link PartitionWriters}, the
 * warehouse hand-off {@link CommittedFileLoads}, and what a record must be to enter a file {@link RecordPlacement}.
 *
 * <p>Writers, markers and offsets follow the topic partition a record was consumed from
 * ({@link SinkRecord#originalTopic()}): a routing transform in front only chooses the folder, named by the
 * record's topic as the transform left it.
 */
public class ParquetS3SinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(ParquetS3SinkTask.class);
    private static final java.time.Duration MARKER_READ_PATIENCE = java.time.Duration.ofMinutes(2);
    private static final AtomicInteger TASK_THREADS = new AtomicInteger();

    private LakeSinkConfig config;
    private ObjectStore store;
    private ObjectNames names;
    private AvroData avroData;
    private RecordPlacement placement;
    private TaskDirectory localDir;
    private DeadLetters deadLetters;
    private WarehouseLoader warehouse;
    private CommittedFileLoads loads;
    private PartitionWriters writers;
    private WriterContext writerContext;
    private ExecutorService encoding;
    private ExecutorService commits;
    private String connectorName;
    private final Redelivery redelivery = new Redelivery();
    private final boolean workOnTaskThread;

    public ParquetS3SinkTask() {
        this(false);
    }

    /**
     * @param workOnTaskThread for unit tests of the task's own decisions: each record is encoded and each commit
     *                         run inside the call that starts it, so the outcome is there when {@code put} returns
     */
    ParquetS3SinkTask(boolean workOnTaskThread) {
        this.workOnTaskThread = workOnTaskThread;
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new LakeSinkConfig(props);
        connectorName = ConnectorNames.of(props, "lake");
        store = ObjectStores.open(config.store());
        names = new ObjectNames(ObjectStores.prefix(config.store()));
        avroData = new AvroData(new AvroDataConfig.Builder()
                .with(AvroDataConfig.CONNECT_META_DATA_CONFIG, false)
                .with(AvroDataConfig.ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG, true)
                .with(AvroDataConfig.SCHEMAS_CACHE_SIZE_CONFIG, 64)
                .build());
        localDir = openLocalDirectory(config.file().localDir());
        Path tempDir = localDir.path();
        PluginInstruments instruments = PluginInstruments.forTask(context);
        LakeMetrics metrics = new LakeMetrics(instruments);
        deadLetters = new DeadLetters(context, instruments);
        // A file PostgreSQL would refuse must be caught per record, before it is written; the others read what Parquet holds.
        placement = new RecordPlacement(new ValueCheck.Cache(config.warehouse().dialect() == Dialect.POSTGRESQL
                ? ValueCheck.Limits.POSTGRESQL_TEXT : ValueCheck.Limits.PARQUET),
                new EventTime(config.partition().eventTimeField()),
                Partitioners.create(config.partition(), System::currentTimeMillis));
        warehouse = openWarehouse(config);
        loads = new CommittedFileLoads(store, warehouse, config.load().loadErrorPolicy(), config.warehouse().table(),
                tempDir, metrics.loadFailures);
        writers = new PartitionWriters(config.rotation(), metrics);
        // Per task, one thread encoding Parquet and one for uploads, markers and loads in the order partitions hand
        // them over: the task thread keeps converting and placing records meanwhile.
        // Named after the task thread (start runs on it), so thread dumps and profiles show whose they are.
        String owner = Thread.currentThread().getName() + "-" + TASK_THREADS.incrementAndGet();
        encoding = workOnTaskThread ? null : singleThread(owner + "-lake-encoding");
        commits = workOnTaskThread ? null : singleThread(owner + "-lake-commits");
        writerContext = new WriterContext(store, names, avroData, config.file(), config.rotation(), tempDir,
                deadLetters::pendingReports, loads::load,
                encoding == null ? FileEncoding.onCallingThread() : FileEncoding.on(encoding),
                commits == null ? Runnable::run : commits, metrics);
        log.info("Parquet sink task writing to {}", store.url(names.topic("").replaceAll("/$", "")));
    }

    private static TaskDirectory openLocalDirectory(Path parent) {
        try {
            List<Path> abandoned = TaskDirectory.deleteAbandoned(parent);
            if (!abandoned.isEmpty()) {
                log.info("Deleted {} local directories of lake tasks that ended without stopping: {}", abandoned.size(), abandoned);
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Cannot delete the local directories of lake tasks that ended without stopping under {}", parent, e);
        }
        try {
            return TaskDirectory.create(parent);
        } catch (IOException e) {
            throw new ConnectException("Cannot create a local directory for open Parquet files under " + parent
                    + " (local.dir): " + e, e);
        }
    }

    private static ExecutorService singleThread(String name) {
        return Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    private static WarehouseLoader openWarehouse(LakeSinkConfig config) {
        try {
            return WarehouseLoaders.open(config.warehouse()).orElse(null);
        } catch (WarehouseException e) {
            throw new ConnectException(e.getMessage(), e);
        }
    }


    @Override
    public void open(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            TopicPartitionWriter writer = new TopicPartitionWriter(tp, writerContext);
            Optional<CommitMarker> marker = readMarker(tp);
            marker.ifPresent(m -> {
                writer.resumeAt(m.nextOffset(), warehouse == null ? List.of() : m.files());
                context.offset(tp, m.nextOffset());
                log.info("{}: resuming at offset {} from commit marker {}", tp, m.nextOffset(), store.url(names.marker(tp)));
            });
            writers.add(tp, writer, marker.isPresent());
        }
    }

    /**
     * The partition's commit marker. Without it the task cannot know where the store ends, so a store outage is
     * waited out here (the retrying store backs off within each attempt) for up to two minutes before failing.
     */
    private Optional<CommitMarker> readMarker(TopicPartition tp) {
        String key = names.marker(tp);
        long deadline = System.nanoTime() + MARKER_READ_PATIENCE.toNanos();
        while (true) {
            try {
                return store.get(key).map(bytes -> CommitMarker.fromJson(store.url(key), bytes));
            } catch (StoreException e) {
                if (!e.retriable() || System.nanoTime() > deadline) {
                    throw new ConnectException("Cannot read the commit marker " + store.url(key) + " of " + tp
                            + "; restart the task once the store is reachable: " + e.getMessage(), e);
                }
                log.warn("Store unavailable while reading the commit marker of {}, retrying: {}", tp, e.getMessage());
            }
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        boolean redelivered = redelivery.startBatch();
        try {
            writers.startBatch();
            // One clock reading per batch: it only starts wall-clock rotation units, which are seconds long.
            long now = System.currentTimeMillis();
            for (SinkRecord record : records) {
                TopicPartitionWriter writer = writers.writerOf(record);
                if (writer == null) {
                    continue;
                }
                if (writer.isNew(record.originalKafkaOffset())) {
                    write(writer, record, now);
                } else if (!redelivered) {
                    throw startedOver(writer, record);
                }
            }
            writers.finishBatch(now);
        } catch (StoreException e) {
            throw retryOrFail(e.retriable(), "Store", e, records);
        } catch (WarehouseException e) {
            throw retryOrFail(e.retriable(), "Warehouse", e, records);
        }
    }

    private RuntimeException retryOrFail(boolean retriable, String what, RuntimeException e, Collection<SinkRecord> batch) {
        if (retriable) {
            redelivery.retryRequested(batch);
            return new RetriableException(what + " unavailable, will retry: " + e.getMessage(), e);
        }
        return new ConnectException(e.getMessage(), e);
    }

    /**
     * A batch the worker fetched anew holds a record before the one this writer expects: the partition's log started
     * over under the same name (the lake never seeks back once it has started). Writing it would name files after
     * offsets the lake holds already, and passing over it would drop it without a trace; only an operator can say
     * which log counts, so the task stops.
     */
    private ConnectException startedOver(TopicPartitionWriter writer, SinkRecord record) {
        TopicPartition tp = new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
        String held = writer.committedOffset() >= 0
                ? "the lake holds it up to offset " + writer.committedOffset() + ", commit marker "
                + store.url(names.marker(tp))
                : "none of it is committed yet";
        return Redelivery.startedOver(record, "taken", writer.nextOffset(), held, "Nothing more of it is written:"
                + " the new log's files would take the names of files the lake and the warehouse's load history hold"
                + " already. To write the new log from its start: stop this connector, give it a new store.url prefix"
                + " (PUT its config), reset its offsets (DELETE /connectors/" + connectorName + "/offsets) and resume it.");
    }

    private void write(TopicPartitionWriter writer, SinkRecord record, long nowMs) {
        if (record.value() == null) {
            RotationConfig.NullBehavior behavior = config.rotation().nullBehavior();
            if (behavior == RotationConfig.NullBehavior.FAIL) {
                throw new ConnectException("Record " + where(record) + " has a null value (a tombstone); set "
                        + "behavior.on.null.values=ignore or dlq to skip such records");
            }
            if (behavior == RotationConfig.NullBehavior.DLQ) {
                report(record, new DataException("Record " + where(record) + " has a null value"));
            }
            writer.skip(record.originalKafkaOffset());
            return;
        }
        try {
            RecordPlacement.Placed placed = placement.place(record);
            writer.write(record.originalKafkaOffset(), placed.directory(), placed.eventTimeMs(), placed.value(), nowMs);
        } catch (DataException e) {
            report(record, e);
            writer.skip(record.originalKafkaOffset());
        }
    }

    private void report(SinkRecord record, DataException error) {
        if (!deadLetters.available()) {
            // Every refusal names the record already (topic-partition@offset as consumed) and the field.
            throw new ConnectException(error.getMessage(), error);
        }
        deadLetters.report(record, error);
    }

    /** See {@link PartitionWriters#committableOffsets}: the markers, or the consumed position of idle partitions. */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        try {
            return writers.committableOffsets(currentOffsets);
        } catch (RuntimeException e) {
            // Not thrown on: the worker would seek every partition back to its last commit behind this task's back,
            // and its next batches would look like a log that started over.
            log.error("Cannot tell the offsets to commit; skipping this offset commit", e);
            return Map.of();
        }
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        redelivery.revoked(partitions);
        writers.close(partitions);
    }

    @Override
    public void stop() {
        try {
            if (writers != null) {
                writers.closeAll();   // waits for the commits in flight
            }
        } finally {
            if (commits != null) {
                commits.shutdownNow();
            }
            if (encoding != null) {
                encoding.shutdownNow();
            }
        }
        if (store != null) {
            store.close();
        }
        if (warehouse != null) {
            warehouse.close();
        }
        if (localDir != null) {
            try {
                localDir.close();
            } catch (IOException e) {
                log.warn("Cannot delete {}; the next lake task to start under the same local.dir will", localDir.path(), e);
            }
        }
    }

    private static String where(SinkRecord record) {
        return RecordCoordinates.of(record);
    }
}
