package io.orderflow.sink.lake;

import io.apicurio.registry.utils.converter.avro.AvroData;
import io.orderflow.sink.lake.commit.CommitMarker;
import io.orderflow.sink.lake.commit.ObjectNames;
import io.orderflow.sink.lake.config.LakeSinkConfig;
import io.orderflow.sink.lake.store.LocalObjectStore;
import io.orderflow.sink.lake.store.ObjectStore;
import io.orderflow.sink.lake.store.StoreException;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicPartitionWriterTest {

    private static final TopicPartition TP = new TopicPartition("orders", 3);
    private static final Schema V1 = SchemaBuilder.struct().name("Order").version(1)
            .field("id", Schema.INT64_SCHEMA).build();
    private static final Schema V2 = SchemaBuilder.struct().name("Order").version(2)
            .field("id", Schema.INT64_SCHEMA).field("note", Schema.OPTIONAL_STRING_SCHEMA).build();

    @TempDir
    Path lake;
    @TempDir
    Path temp;

    /** A commit thread and an encoding thread, as the task has them. */
    private final ExecutorService commits = Executors.newSingleThreadExecutor();
    private final ExecutorService encoder = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopTaskThreads() {
        commits.shutdownNow();
        encoder.shutdownNow();
    }

    /** Waits until the commit thread has run everything handed to it so far. */
    private void awaitCommitThread() throws Exception {
        commits.submit(() -> { }).get(30, TimeUnit.SECONDS);
    }

    private TopicPartitionWriter writer(ObjectStore store, String... props) {
        Map<String, String> config = new HashMap<>(Map.of("store.url", lake.toUri().toString()));
        for (int i = 0; i < props.length; i += 2) {
            config.put(props[i], props[i + 1]);
        }
        LakeSinkConfig sinkConfig = new LakeSinkConfig(config);
        return writer(store, sinkConfig, (keys, local) -> { });
    }

    private TopicPartitionWriter writer(ObjectStore store, LakeSinkConfig config, WriterContext.FileLoader loader) {
        return writer(store, config, loader, Runnable::run);
    }

    private TopicPartitionWriter writer(ObjectStore store, LakeSinkConfig config, WriterContext.FileLoader loader,
                                        Executor commits) {
        return writer(store, config, loader, FileEncoding.onCallingThread(), commits);
    }

    private TopicPartitionWriter writer(ObjectStore store, LakeSinkConfig config, WriterContext.FileLoader loader,
                                        FileEncoding encoding, Executor commits) {
        return new TopicPartitionWriter(TP, new WriterContext(store, new ObjectNames(""), new AvroData(16), config.file(),
                config.rotation(), temp, () -> () -> { }, loader, encoding, commits, LakeMetrics.none()));
    }

    private LakeSinkConfig flushSize(int records) {
        return new LakeSinkConfig(Map.of("store.url", lake.toUri().toString(), "flush.size", Integer.toString(records)));
    }

    private long marker(ObjectStore store) {
        return store.get("_orderflow/markers/orders+3.json").map(b -> CommitMarker.fromJson("m", b).nextOffset()).orElse(-1L);
    }

    @Test
    void recordsKeepFillingTheNextFileWhileTheCommitThreadUploadsAndTheMarkerFollowsTheUpload() throws Exception {
        FlakyStore store = new FlakyStore(new LocalObjectStore(lake));
        store.gate = new CountDownLatch(1);
        TopicPartitionWriter writer = writer(store, flushSize(3), (keys, local) -> { }, commits);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (long offset = 0; offset < 5; offset++) {
                writer.write(offset, "orders/p", 0, v1(offset), 0);   // the upload of 0-2 is held at the gate
            }
        }, "writing must not wait for the upload of the closed file");
        assertEquals(-1, writer.committedOffset(), "no marker before its files are uploaded");
        assertEquals(-1, marker(store));
        assertEquals(false, writer.idle());
        store.gate.countDown();
        writer.commit();   // waits for the commit in flight, then hands over 3-4
        awaitCommitThread();
        assertEquals(5, writer.committedOffset());
        assertEquals(5, marker(store));
        assertEquals(List.of("orders/p/orders+3+00000000000000000000.parquet",
                "orders/p/orders+3+00000000000000000003.parquet"), store.list("orders/"));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), ids(store));
        assertTrue(writer.idle());
    }

    @Test
    void aCommitThatFailedOnTheCommitThreadFailsTheNextBatchThenIsRetriedUnderTheSameNames() throws Exception {
        FlakyStore store = new FlakyStore(new LocalObjectStore(lake));
        TopicPartitionWriter writer = writer(store, flushSize(2), (keys, local) -> { }, commits);
        store.failing = true;
        writer.write(0, "orders/p", 0, v1(0), 0);
        writer.write(1, "orders/p", 0, v1(1), 0);   // closes 0-1; its upload fails on the commit thread
        writer.write(2, "orders/p", 0, v1(2), 0);
        awaitCommitThread();
        assertThrows(StoreException.class, writer::loadPending, "the next batch starts with the failure");
        assertEquals(-1, writer.committedOffset());
        store.failing = false;
        writer.loadPending();   // the failed commit runs again on this thread
        assertEquals(2, writer.committedOffset());
        writer.write(3, "orders/p", 0, v1(3), 0);
        writer.commit();
        awaitCommitThread();
        writer.commit();
        assertEquals(4, writer.committedOffset());
        assertEquals(List.of(0L, 1L, 2L, 3L), ids(store), "every record once, under the names of their first offsets");
    }

    @Test
    void aRevokedPartitionWaitsForItsCommitInFlightBeforeLettingGo() throws Exception {
        FlakyStore store = new FlakyStore(new LocalObjectStore(lake));
        store.gate = new CountDownLatch(1);
        TopicPartitionWriter writer = writer(store, flushSize(2), (keys, local) -> { }, commits);
        writer.write(0, "orders/p", 0, v1(0), 0);
        writer.write(1, "orders/p", 0, v1(1), 0);
        writer.write(2, "orders/p", 0, v1(2), 0);
        Thread revocation = new Thread(writer::discard);
        revocation.start();
        revocation.join(300);
        assertTrue(revocation.isAlive(), "the revocation waits while the upload is held");
        store.gate.countDown();
        revocation.join();
        assertEquals(2, marker(store), "the commit in flight finished before the partition was given up");
        assertEquals(List.of(0L, 1L), ids(store), "the open file of record 2 was dropped, for the next owner to replay");
    }

    @Test
    void recordsEncodedOnTheEncodingThreadReachTheFilesInOrderExactlyOnceAcrossPathsAndRotations() throws Exception {
        LocalObjectStore store = new LocalObjectStore(lake);
        TopicPartitionWriter writer = writer(store, flushSize(3_000), (keys, local) -> { }, FileEncoding.on(encoder), commits);
        int records = 20_000;   // several batches of FileEncoding.BATCH_SIZE per file, files closed mid-batch
        for (long offset = 0; offset < records; offset++) {
            writer.write(offset, offset % 3 == 0 ? "orders/a" : "orders/b", 0, v1(offset), 0);
            if (offset % 700 == 0) {
                writer.handOver();   // a batch ends
            }
        }
        writer.commit();
        writer.commit();   // waits for the commit in flight
        assertEquals(records, writer.committedOffset());
        assertEquals(records, marker(store));
        for (String path : List.of("orders/a/", "orders/b/")) {
            List<Long> ids = new ArrayList<>();
            for (String key : store.list(path)) {
                for (GenericRecord record : ParquetFiles.read(store.get(key).orElseThrow())) {
                    ids.add((Long) record.get("id"));
                }
            }
            List<Long> expected = java.util.stream.LongStream.range(0, records)
                    .filter(id -> (id % 3 == 0) == path.equals("orders/a/")).boxed().toList();
            assertEquals(expected, ids, path + ": every record once, in offset order");
        }
        assertTrue(writer.idle());
    }

    @Test
    void aFileTheEncodingThreadCannotFinishFailsThePartitionWithoutAMarkerAndWithoutRetrying() throws Exception {
        LocalObjectStore store = new LocalObjectStore(lake);
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        Executor dying = work -> {
            if (runs.incrementAndGet() > 2) {
                throw new java.util.concurrent.RejectedExecutionException("encoding thread gone");
            }
            encoder.execute(work);
        };
        TopicPartitionWriter writer = writer(store, flushSize(100_000), (keys, local) -> { }, FileEncoding.on(dying), commits);
        for (long offset = 0; offset < 3 * FileEncoding.BATCH_SIZE; offset++) {
            writer.write(offset, "orders/p", 0, v1(offset), 0);
        }
        writer.commit();
        awaitCommitThread();
        ConnectException failure = assertThrows(ConnectException.class, writer::loadPending);
        assertFalse(failure instanceof org.apache.kafka.connect.errors.RetriableException, "not retriable: the task stops");
        assertTrue(failure.getMessage().contains("orders-3") && failure.getMessage().contains("encoding thread gone"),
                failure.getMessage());
        assertThrows(ConnectException.class, writer::loadPending, "and stays failed");
        assertEquals(-1, marker(store), "no marker: the next owner replays the partition from the start");
        assertEquals(List.of(), store.list("orders/"), "nothing half-written in the store");
    }

    private static Struct v1(long id) {
        return new Struct(V1).put("id", id);
    }

    private List<Long> ids(ObjectStore store) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (String key : store.list("orders/")) {
            for (GenericRecord record : ParquetFiles.read(store.get(key).orElseThrow())) {
                ids.add((Long) record.get("id"));
            }
        }
        return ids;
    }

    @Test
    void flushSizeCommitsFilesNamedByFirstOffsetThenTheMarker() throws Exception {
        LocalObjectStore store = new LocalObjectStore(lake);
        TopicPartitionWriter writer = writer(store, "flush.size", "3");
        for (long offset = 10; offset < 17; offset++) {
            writer.write(offset, "orders/partition=3", 0, v1(offset), 0);
        }
        assertEquals(List.of("orders/partition=3/orders+3+00000000000000000010.parquet",
                "orders/partition=3/orders+3+00000000000000000013.parquet"), store.list("orders/"));
        assertEquals(16, writer.committedOffset());
        CommitMarker marker = CommitMarker.fromJson("m", store.get("_orderflow/markers/orders+3.json").orElseThrow());
        assertEquals(16, marker.nextOffset());
        assertEquals(List.of(10L, 11L, 12L, 13L, 14L, 15L), ids(store));
    }

    @Test
    void allPathsOfAPartitionCommitTogether() throws Exception {
        LocalObjectStore store = new LocalObjectStore(lake);
        TopicPartitionWriter writer = writer(store, "flush.size", "2");
        writer.write(0, "orders/hr=10", 0, v1(0), 0);
        writer.write(1, "orders/hr=11", 0, v1(1), 0);
        writer.write(2, "orders/hr=10", 0, v1(2), 0);
        assertEquals(List.of("orders/hr=10/orders+3+00000000000000000000.parquet",
                "orders/hr=11/orders+3+00000000000000000001.parquet"), store.list("orders/"));
        assertEquals(3, writer.committedOffset());
    }

    @Test
    void eventTimeIntervalRotatesBeforeTheRecordThatLeavesTheSpan() throws Exception {
        LocalObjectStore store = new LocalObjectStore(lake);
        TopicPartitionWriter writer = writer(store, "flush.size", "1000", "rotate.interval.ms", "60000");
        writer.write(0, "orders/p", 1_000, v1(0), 0);
        writer.write(1, "orders/p", 60_999, v1(1), 0);
        assertEquals(List.of(), store.list("orders/"));
        writer.write(2, "orders/p", 61_000, v1(2), 0);
        assertEquals(List.of("orders/p/orders+3+00000000000000000000.parquet"), store.list("orders/"));
        assertEquals(2, writer.committedOffset());
    }

    @Test
    void wallClockScheduleIsDueWithoutNewRecords() {
        TopicPartitionWriter writer = writer(new LocalObjectStore(lake), "rotate.schedule.interval.ms", "1000");
        writer.write(0, "orders/p", 0, v1(0), 5_000);
        assertEquals(false, writer.scheduleDue(5_999));
        assertEquals(true, writer.scheduleDue(6_000));
        writer.commit();
        assertEquals(false, writer.scheduleDue(100_000), "nothing open, nothing due");
    }

    @Test
    void olderSchemaIsProjectedNewerSchemaRotatesOnce() throws Exception {
        LocalObjectStore store = new LocalObjectStore(lake);
        TopicPartitionWriter writer = writer(store, "flush.size", "1000");
        writer.write(0, "orders/p", 0, v1(0), 0);
        writer.write(1, "orders/p", 0, new Struct(V2).put("id", 1L).put("note", "n"), 0);
        for (long offset = 2; offset < 10; offset++) {
            Struct value = offset % 2 == 0 ? v1(offset) : new Struct(V2).put("id", offset).put("note", "x");
            writer.write(offset, "orders/p", 0, value, 0);
        }
        writer.commit();
        assertEquals(2, store.list("orders/").size(), "one file for v1, one for v2 and the interleaved v1 records");
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), ids(store));
    }

    @Test
    void aFailedCommitIsRetriedUnderTheSameNames() throws Exception {
        FlakyStore store = new FlakyStore(new LocalObjectStore(lake));
        TopicPartitionWriter writer = writer(store, "flush.size", "2");
        writer.write(0, "orders/p", 0, v1(0), 0);
        store.failing = true;
        assertThrows(StoreException.class, () -> writer.write(1, "orders/p", 0, v1(1), 0));
        assertEquals(-1, writer.committedOffset());
        assertTrue(!writer.isNew(1), "a redelivered record is not written twice");
        store.failing = false;
        writer.write(2, "orders/p", 0, v1(2), 0);
        assertEquals(2, writer.committedOffset(), "the retried commit went through first");
        assertEquals(List.of("orders/p/orders+3+00000000000000000000.parquet"), store.list("orders/"));
        writer.commit();
        assertEquals(List.of(0L, 1L, 2L), ids(store));
        assertEquals(3, writer.committedOffset());
    }

    @Test
    void filesOfACommitThatDiedBeforeLoadingAreLoadedOnceByTheNextOwner() throws Exception {
        LocalObjectStore store = new LocalObjectStore(lake);
        String database = temp.resolve("wh.duckdb").toString();
        io.orderflow.sink.warehouse.DuckDbLoader duck = new io.orderflow.sink.warehouse.DuckDbLoader(database,
                io.orderflow.common.sql.TableName.parse("orders"), true, true);
        LakeSinkConfig config = new LakeSinkConfig(Map.of("store.url", lake.toUri().toString(), "flush.size", "3"));
        WriterContext.FileLoader dying = (keys, local) -> {
            throw new io.orderflow.sink.warehouse.WarehouseException("task died after the marker", null, true);
        };
        TopicPartitionWriter first = writer(store, config, dying);
        first.write(0, "p", 0, v1(0), 0);
        first.write(1, "p", 0, v1(1), 0);
        assertThrows(io.orderflow.sink.warehouse.WarehouseException.class, () -> first.write(2, "p", 0, v1(2), 0));
        CommitMarker marker = CommitMarker.fromJson("m", store.get("_orderflow/markers/orders+3.json").orElseThrow());
        assertEquals(3, marker.nextOffset(), "the files and the marker are in the store, the load is not");

        WriterContext.FileLoader loading = (keys, local) -> keys.forEach(k -> duck.load(k, store.localPath(k).orElseThrow()));
        for (int owner = 0; owner < 2; owner++) {
            TopicPartitionWriter next = writer(store, config, loading);
            next.resumeAt(marker.nextOffset(), marker.files());
            next.loadPending();
        }
        try (java.sql.Connection connection = io.orderflow.sink.warehouse.DuckDbDatabases.connect(database);
             java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet rs = statement.executeQuery("SELECT count(*), count(DISTINCT id) FROM orders")) {
            rs.next();
            assertEquals(3, rs.getLong(1), "loaded once although two owners replayed the marker");
            assertEquals(3, rs.getLong(2));
        }
        duck.close();
    }

    /** A store that refuses writes while {@code failing}, and holds uploads at {@code gate} when there is one. */
    static final class FlakyStore implements ObjectStore {
        private final ObjectStore delegate;
        volatile boolean failing;
        volatile CountDownLatch gate;

        FlakyStore(ObjectStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void upload(String key, Path file) {
            if (gate != null) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StoreException("interrupted", e, true);
                }
            }
            if (failing) {
                throw new StoreException("down", null, true);
            }
            delegate.upload(key, file);
        }

        @Override
        public void put(String key, byte[] content) {
            if (failing) {
                throw new StoreException("down", null, true);
            }
            delegate.put(key, content);
        }

        @Override
        public Optional<byte[]> get(String key) {
            return delegate.get(key);
        }

        @Override
        public List<String> list(String prefix) {
            return delegate.list(prefix);
        }

        @Override
        public String url(String key) {
            return delegate.url(key);
        }

        @Override
        public void close() {
        }
    }
}
