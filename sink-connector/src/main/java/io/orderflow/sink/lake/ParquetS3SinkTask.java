package io.orderflow.sink.lake;

import io.apicurio.registry.utils.converter.avro.AvroData;
import io.apicurio.registry.utils.converter.avro.AvroDataConfig;
import io.orderflow.sink.DeadLetters;
import io.orderflow.sink.Version;
import io.orderflow.sink.lake.commit.CommitMarker;
import io.orderflow.sink.lake.commit.ObjectNames;
import io.orderflow.sink.lake.config.LakeSinkConfig;
import io.orderflow.sink.lake.config.RotationConfig;
import io.orderflow.sink.lake.partition.EventTime;
import io.orderflow.sink.lake.partition.Partitioner;
import io.orderflow.sink.lake.partition.Partitioners;
import io.orderflow.sink.lake.store.ObjectStore;
import io.orderflow.sink.lake.store.ObjectStores;
import io.orderflow.sink.lake.store.StoreException;
import io.orderflow.sink.warehouse.WarehouseException;
import io.orderflow.sink.warehouse.WarehouseLoader;
import io.orderflow.sink.warehouse.WarehouseLoaders;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Writes records to Parquet files per topic partition and partition path; offsets reach the framework only
 * through {@link #preCommit}, from what the commit markers say is durably in the store.
 */
public class ParquetS3SinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(ParquetS3SinkTask.class);
    private static final java.time.Duration MARKER_READ_PATIENCE = java.time.Duration.ofMinutes(2);

    private final Map<TopicPartition, TopicPartitionWriter> writers = new HashMap<>();

    private LakeSinkConfig config;
    private ObjectStore store;
    private ObjectNames names;
    private AvroData avroData;
    private Partitioner partitioner;
    private EventTime eventTime;
    private Path tempDir;
    private DeadLetters deadLetters;
    private WarehouseLoader warehouse;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new LakeSinkConfig(props);
        store = ObjectStores.open(config.store());
        names = new ObjectNames(ObjectStores.prefix(config.store()));
        avroData = new AvroData(new AvroDataConfig.Builder()
                .with(AvroDataConfig.CONNECT_META_DATA_CONFIG, false)
                .with(AvroDataConfig.ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG, true)
                .with(AvroDataConfig.SCHEMAS_CACHE_SIZE_CONFIG, 64)
                .build());
        partitioner = Partitioners.create(config.partition(), System::currentTimeMillis);
        eventTime = new EventTime(config.partition().eventTimeField());
        try {
            tempDir = Files.createTempDirectory("orderflow-lake-");
        } catch (IOException e) {
            throw new ConnectException("Cannot create a local directory for open Parquet files", e);
        }
        deadLetters = new DeadLetters(context);
        warehouse = openWarehouse(config);
        log.info("Parquet sink task writing to {}", store.url(names.topic("").replaceAll("/$", "")));
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
            TopicPartitionWriter writer = new TopicPartitionWriter(tp, store, names, avroData, config.file(),
                    config.rotation(), tempDir, deadLetters::awaitAll, this::loadIntoWarehouse);
            Optional<CommitMarker> marker = readMarker(tp);
            marker.ifPresent(m -> {
                writer.resumeAt(m.nextOffset(), warehouse == null ? List.of() : m.files());
                context.offset(tp, m.nextOffset());
                log.info("{}: resuming at offset {} from commit marker {}", tp, m.nextOffset(), store.url(names.marker(tp)));
            });
            writers.put(tp, writer);
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
        try {
            for (TopicPartitionWriter writer : writers.values()) {
                writer.loadPending();
            }
            // One clock reading per batch: it only starts wall-clock rotation units, which are seconds long.
            long now = System.currentTimeMillis();
            SinkRecord previous = null;
            TopicPartitionWriter writer = null;
            for (SinkRecord record : records) {
                // Batches arrive in runs of one partition: look the writer up only when the partition changes.
                if (previous == null || !record.kafkaPartition().equals(previous.kafkaPartition())
                        || !record.topic().equals(previous.topic())) {
                    writer = writers.get(new TopicPartition(record.topic(), record.kafkaPartition()));
                }
                previous = record;
                if (writer == null || !writer.isNew(record.kafkaOffset())) {
                    continue;
                }
                write(writer, record, now);
            }
            for (TopicPartitionWriter partitionWriter : writers.values()) {
                if (partitionWriter.scheduleDue(now) || partitionWriter.hasUncommittedSkips()) {
                    partitionWriter.commit();
                }
            }
            enforceBounds();
        } catch (StoreException e) {
            if (e.retriable()) {
                throw new RetriableException("Store unavailable, will retry: " + e.getMessage(), e);
            }
            throw new ConnectException(e.getMessage(), e);
        } catch (WarehouseException e) {
            if (e.retriable()) {
                throw new RetriableException("Warehouse unavailable, will retry: " + e.getMessage(), e);
            }
            throw new ConnectException(e.getMessage(), e);
        }
    }

    /** Loads committed files, reading them from the local store in place or downloading them from S3. */
    private void loadIntoWarehouse(List<String> fileKeys) {
        if (warehouse == null || fileKeys.isEmpty()) {
            return;
        }
        Map<String, Path> local = new LinkedHashMap<>();
        List<Path> downloaded = new ArrayList<>();
        try {
            for (String key : fileKeys) {
                Optional<Path> inPlace = store.localPath(key);
                Path file = inPlace.orElseGet(() -> download(key));
                if (inPlace.isEmpty()) {
                    downloaded.add(file);
                }
                local.put(key, file);
            }
            warehouse.loadAll(local);
        } finally {
            for (Path file : downloaded) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    log.warn("Cannot delete {}", file, e);
                }
            }
        }
    }

    private Path download(String key) {
        byte[] content = store.get(key).orElseThrow(() -> new ConnectException("Committed file " + store.url(key)
                + " is missing from the store; it cannot be loaded"));
        try {
            Path local = Files.createTempFile(tempDir, "load-", ".parquet");
            Files.write(local, content);
            return local;
        } catch (IOException e) {
            throw new ConnectException("Cannot stage " + store.url(key) + " for loading", e);
        }
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
            writer.skip(record.kafkaOffset());
            return;
        }
        try {
            Struct value = requireStruct(record);
            long time = eventTime.of(record);
            writer.write(record.kafkaOffset(), partitioner.path(record, time), time, value, nowMs);
        } catch (DataException e) {
            report(record, e);
            writer.skip(record.kafkaOffset());
        }
    }

    private static Struct requireStruct(SinkRecord record) {
        Schema schema = record.valueSchema();
        if (schema == null || schema.type() != Schema.Type.STRUCT || !(record.value() instanceof Struct struct)) {
            throw new DataException("Record " + where(record) + " has no struct schema (" + (schema == null ? "schemaless"
                    : schema.type()) + "); Parquet needs one: use a converter with schemas");
        }
        return struct;
    }

    private void report(SinkRecord record, DataException error) {
        if (!deadLetters.available()) {
            throw new ConnectException("Cannot write record " + where(record) + ": " + error.getMessage(), error);
        }
        deadLetters.report(record, error);
    }

    /** Commits the largest partitions while the task holds too many open files or bytes. */
    private void enforceBounds() {
        RotationConfig rotation = config.rotation();
        while (true) {
            int open = 0;
            long bytes = 0;
            for (TopicPartitionWriter writer : writers.values()) {
                open += writer.openFiles();
                bytes += writer.estimatedHeapBytes();
            }
            if (open <= rotation.maxOpenFiles() && bytes <= rotation.maxBufferedBytes()) {
                return;
            }
            Comparator<TopicPartitionWriter> largest = open > rotation.maxOpenFiles()
                    ? Comparator.comparingInt(TopicPartitionWriter::openFiles)
                    : Comparator.comparingLong(TopicPartitionWriter::estimatedHeapBytes);
            writers.values().stream().max(largest).orElseThrow().commit();
        }
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        writers.forEach((tp, writer) -> {
            if (writer.committedOffset() >= 0) {
                committed.put(tp, new OffsetAndMetadata(writer.committedOffset()));
            }
        });
        return committed;
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            TopicPartitionWriter writer = writers.remove(tp);
            if (writer != null) {
                writer.discard();
            }
        }
    }

    @Override
    public void stop() {
        writers.values().forEach(TopicPartitionWriter::discard);
        writers.clear();
        if (store != null) {
            store.close();
        }
        if (warehouse != null) {
            warehouse.close();
        }
        if (tempDir != null) {
            try (Stream<Path> leftovers = Files.walk(tempDir)) {
                leftovers.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                log.warn("Cannot clean up {}", tempDir, e);
            }
        }
    }

    private static String where(SinkRecord record) {
        return record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }
}
