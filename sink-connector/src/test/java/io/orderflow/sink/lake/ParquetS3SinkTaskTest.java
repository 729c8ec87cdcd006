package io.orderflow.sink.lake;

import io.orderflow.sink.lake.commit.CommitMarker;
import io.orderflow.sink.lake.store.LocalObjectStore;
import io.orderflow.testing.WorkerlessSinkTaskContext;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The task's own decisions, driven without a worker (the integration tests run it in one), with each commit run
 * inside the call that starts it; {@code TopicPartitionWriterTest} covers commits on the commit thread.
 */
class ParquetS3SinkTaskTest {

    private static final Schema SCHEMA = SchemaBuilder.struct().name("Order")
            .field("id", Schema.INT64_SCHEMA).field("customer", Schema.STRING_SCHEMA).build();
    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path lake;

    private ParquetS3SinkTask start(String... props) {
        return start(new WorkerlessSinkTaskContext(), props);
    }

    private ParquetS3SinkTask start(WorkerlessSinkTaskContext context, String... props) {
        Map<String, String> config = new HashMap<>(Map.of("store.url", lake.toUri().toString(), "flush.size", "1000000"));
        for (int i = 0; i < props.length; i += 2) {
            config.put(props[i], props[i + 1]);
        }
        ParquetS3SinkTask task = new ParquetS3SinkTask(true);
        task.initialize(context);
        task.start(config);
        task.open(List.of(TP));
        return task;
    }

    private static SinkRecord record(long offset, String customer) {
        Struct value = customer == null ? null : new Struct(SCHEMA).put("id", offset).put("customer", customer);
        return new SinkRecord("orders", 0, null, null, customer == null ? null : SCHEMA, value, offset, 1_000L,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME);
    }

    private long marker() {
        return new LocalObjectStore(lake).get("_orderflow/markers/orders+0.json")
                .map(b -> CommitMarker.fromJson("m", b).nextOffset()).orElse(-1L);
    }

    @Test
    void tooManyOpenFilesCommitThePartitionEarly() {
        ParquetS3SinkTask task = start("partitioner", "field", "partition.fields", "customer", "max.open.files.per.task", "3");
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = 0; offset < 10; offset++) {
            records.add(record(offset, "c" + offset));
        }
        task.put(records);
        assertTrue(new LocalObjectStore(lake).list("orders/").size() >= 6, "files were committed before any flush size");
        assertTrue(marker() >= 6, "marker " + marker());
        task.stop();
    }

    @Test
    void tooManyBufferedBytesCommitEarly() {
        ParquetS3SinkTask task = start("partitioner", "field", "partition.fields", "customer",
                "max.buffered.bytes.per.task", Integer.toString(1024 * 1024));
        List<SinkRecord> records = new ArrayList<>();
        for (long offset = 0; offset < 20; offset++) {
            records.add(record(offset, "c" + offset));
        }
        task.put(records);
        assertTrue(marker() > 0, "an estimated 1 MiB of open files exceeds the bound: the partition commits");
        task.stop();
    }

    @Test
    void tombstonesFailByDefaultOrAreSkippedPastTheMarker() throws InterruptedException {
        ParquetS3SinkTask failing = start();
        ConnectException e = assertThrows(ConnectException.class, () -> failing.put(List.of(record(0, null))));
        assertTrue(e.getMessage().contains("orders-0@0") && e.getMessage().contains("behavior.on.null.values"), e.getMessage());
        failing.stop();

        ParquetS3SinkTask onlyTombstones = start("behavior.on.null.values", "ignore");
        onlyTombstones.put(List.of(record(0, null), record(1, null)));
        assertEquals(2, marker(), "a partition of skipped records still moves its marker, so they are not replayed");
        onlyTombstones.stop();

        ParquetS3SinkTask ignoring = start("behavior.on.null.values", "ignore", "rotate.schedule.interval.ms", "1");
        ignoring.put(List.of(record(2, "c"), record(3, null)));
        Thread.sleep(5); // let the 1 ms wall-clock rotation come due
        ignoring.put(List.of());
        assertEquals(4, marker(), "the ignored tombstone is behind the marker");
        ignoring.stop();
    }

    @Test
    void interleavedPartitionsEachGetOnlyTheirOwnRecords() throws java.io.IOException {
        TopicPartition other = new TopicPartition("orders", 1);
        ParquetS3SinkTask task = start("flush.size", "2");
        task.open(List.of(other));
        List<SinkRecord> batch = new ArrayList<>();
        long[] next = new long[2];
        for (int run = 0; run < 4; run++) {
            // runs of two records of partition 0, then one of partition 1
            for (int partition : new int[] {0, 0, 1}) {
                long offset = next[partition]++;
                Struct value = new Struct(SCHEMA).put("id", offset).put("customer", "p" + partition);
                batch.add(new SinkRecord("orders", partition, null, null, SCHEMA, value, offset, 1_000L,
                        org.apache.kafka.common.record.TimestampType.CREATE_TIME));
            }
        }
        task.put(batch);
        LocalObjectStore store = new LocalObjectStore(lake);
        assertEquals(8, marker(), "partition 0 committed its eight records in files of two");
        assertEquals(4L, store.get("_orderflow/markers/orders+1.json").map(b -> CommitMarker.fromJson("m", b).nextOffset()).orElse(-1L));
        for (String partition : List.of("0", "1")) {
            List<Long> ids = new ArrayList<>();
            for (String key : store.list("orders/partition=" + partition + "/")) {
                for (var row : ParquetFiles.read(lake.resolve(key))) {
                    assertEquals("p" + partition, row.get("customer").toString(), key);
                    ids.add((Long) row.get("id"));
                }
            }
            ids.sort(null);
            assertEquals(partition.equals("0") ? List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L) : List.of(0L, 1L, 2L, 3L), ids);
        }
        task.stop();
    }

    private static final Schema PRICED = SchemaBuilder.struct().name("PricedOrder")
            .field("id", Schema.INT64_SCHEMA)
            .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "18").build()).build();

    private static SinkRecord priced(long offset, String amount) {
        return new SinkRecord("orders", 0, null, null, PRICED,
                new Struct(PRICED).put("id", offset).put("amount", new BigDecimal(amount)), offset, 1_000L,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME);
    }

    private List<Long> ids(String prefix) throws java.io.IOException {
        List<Long> ids = new ArrayList<>();
        for (String key : new LocalObjectStore(lake).list(prefix)) {
            for (var row : ParquetFiles.read(lake.resolve(key))) {
                ids.add((Long) row.get("id"));
            }
        }
        ids.sort(null);
        return ids;
    }

    @Test
    void aBatchDeliveredAgainAfterARetriableFailureIsWrittenOnceAndALogThatStartsOverStopsTheTask() throws Exception {
        ParquetS3SinkTask task = start("flush.size", "2");
        Path markers = lake.resolve("_orderflow");
        java.nio.file.Files.writeString(markers, "a file where the marker folder goes: the store refuses the marker");
        List<SinkRecord> batch = List.of(record(0, "a"), record(1, "b"), record(2, "c"));
        assertThrows(RetriableException.class, () -> task.put(batch));
        java.nio.file.Files.delete(markers);
        task.put(batch);   // as the worker delivers it again: 0 and 1 are in the retried commit, 2 is new
        task.put(List.of(record(3, "d")));
        assertEquals(4, marker());
        assertEquals(List.of(0L, 1L, 2L, 3L), ids("orders/"), "each record once");

        // The topic was deleted and created again: the consumer starts over below the marker.
        ConnectException e = assertThrows(ConnectException.class, () -> task.put(List.of(record(0, "new"))));
        for (String part : List.of("orders-0", "offset 0", "up to offset 4", "started over", "store.url",
                "DELETE /connectors/lake/offsets")) {
            assertTrue(e.getMessage().contains(part), part + " missing from: " + e.getMessage());
        }
        assertEquals(List.of(0L, 1L, 2L, 3L), ids("orders/"), "nothing of the new log is written");
        task.stop();
    }

    @Test
    void aRevokedPartitionsHeldBatchIsDroppedSoTheFirstBatchAfterItsReassignmentIsChecked() throws Exception {
        WorkerlessSinkTaskContext context = new WorkerlessSinkTaskContext();
        ParquetS3SinkTask task = start(context, "flush.size", "2");
        task.put(List.of(record(0, "a"), record(1, "b")));
        assertEquals(2, marker());
        Path markers = lake.resolve("_orderflow/markers");
        Path moved = lake.resolve("markers-aside");
        java.nio.file.Files.move(markers, moved);
        java.nio.file.Files.writeString(markers, "in the way");
        assertThrows(RetriableException.class, () -> task.put(List.of(record(2, "c"), record(3, "d"))));
        java.nio.file.Files.delete(markers);
        java.nio.file.Files.move(moved, markers);

        // An eager rebalance revokes the partition (the worker drops the held batch) and assigns it back.
        task.close(List.of(TP));
        task.open(List.of(TP));
        assertEquals(Map.entry(TP, 2L), context.seeks().get(context.seeks().size() - 1), "it resumes at the marker");
        // The consumer found the marker's offset beyond the log's end and started over (auto.offset.reset).
        ConnectException e = assertThrows(ConnectException.class, () -> task.put(List.of(record(0, "new"))),
                "the first batch after the assignment is fetched, not the dropped one again");
        assertTrue(e.getMessage().contains("orders-0: the worker delivered offset 0 after this task had taken the "
                + "partition up to offset 2 (the lake holds it up to offset 2, commit marker file:"), e.getMessage());
        assertEquals(2, marker(), "nothing of the new log is committed");
        task.stop();
    }

    @Test
    void offsetsCannotBeChangedWhileACommitMarkerWouldWinOverThem() throws Exception {
        ParquetS3SinkTask task = start("flush.size", "2");
        task.put(List.of(record(0, "a"), record(1, "b")));
        task.stop();
        ParquetS3SinkConnector connector = new ParquetS3SinkConnector();
        Map<String, String> config = new HashMap<>(Map.of("name", "lake", "store.url", lake.toUri().toString()));
        Map<TopicPartition, Long> reset = new HashMap<>();
        reset.put(new TopicPartition("orders", 1), null);   // the group's only offset; partition 0's marker still counts
        for (Map<TopicPartition, Long> change : List.of(reset, Map.of(TP, 0L), Map.<TopicPartition, Long>of())) {
            ConnectException e = assertThrows(ConnectException.class, () -> connector.alterOffsets(config, change));
            assertTrue(e.getMessage().contains("_orderflow/markers/orders+0.json") && e.getMessage().contains("new store.url prefix"),
                    e.getMessage());
        }
        assertTrue(connector.alterOffsets(config, Map.of(new TopicPartition("orders", 1), 5L)),
                "a partition without a marker has only the group's offset");
        config.put("store.url", lake.resolve("new-prefix").toUri().toString());
        assertTrue(connector.alterOffsets(config, Map.of()), "under a new prefix there is nothing to win over the group");
        assertEquals(2, marker(), "the old marker stays");
    }

    @Test
    void decimalsTheFileCannotHoldGoToTheDeadLetterQueueAndTheFileStaysReadable() throws Exception {
        WorkerlessSinkTaskContext context = new WorkerlessSinkTaskContext();
        List<Map.Entry<SinkRecord, Throwable>> dlq = context.withDeadLetters();
        ParquetS3SinkTask task = start(context, "flush.size", "3");
        task.put(List.of(priced(0, "10.00"), priced(1, "1.005"), priced(2, "-0.01"),
                priced(3, "12345678901234567890123.45"), priced(4, "0")));
        assertEquals(5, marker(), "the rejected records are behind the marker with the written ones");
        assertEquals(List.of(0L, 2L, 4L), ids("orders/"));
        assertEquals(List.of(1L, 3L), dlq.stream().map(e -> e.getKey().kafkaOffset()).toList());
        for (Map.Entry<SinkRecord, Throwable> rejected : dlq) {
            String message = rejected.getValue().getMessage();
            assertTrue(message.contains("orders-0@" + rejected.getKey().kafkaOffset()) && message.contains("'amount'"), message);
        }
        try (java.sql.Connection duck = java.sql.DriverManager.getConnection("jdbc:duckdb:");
             java.sql.ResultSet rs = duck.createStatement().executeQuery("SELECT count(*), sum(amount) FROM read_parquet('"
                     + lake.resolve("orders") + "/**/*.parquet')")) {
            rs.next();
            assertEquals(3, rs.getLong(1), "DuckDB reads the file the bad values were kept out of");
            assertEquals(new BigDecimal("9.99"), rs.getBigDecimal(2));
        }
        task.stop();
    }

    @Test
    void withoutADeadLetterQueueABadDecimalFailsTheTaskNamingRecordAndField() {
        ParquetS3SinkTask task = start();
        ConnectException e = assertThrows(ConnectException.class, () -> task.put(List.of(priced(0, "1.00"), priced(1, "1.005"))));
        assertTrue(e.getMessage().contains("orders-0@1") && e.getMessage().contains("'amount' = 1.005"), e.getMessage());
        task.stop();
    }

    @Test
    void aRoutedRecordIsWrittenUnderItsNewTopicAndCommittedForTheConsumedPartition() throws Exception {
        ParquetS3SinkTask task = start("flush.size", "2");
        List<SinkRecord> routed = new ArrayList<>();
        for (long offset = 0; offset < 4; offset++) {
            SinkRecord consumed = record(offset, "c");
            routed.add(consumed.newRecord("lake_orders", consumed.kafkaPartition(), null, null, consumed.valueSchema(),
                    consumed.value(), consumed.timestamp()));
        }
        task.put(routed);
        assertEquals(4, marker(), "offsets follow the topic partition the records were consumed from");
        assertEquals(List.of(0L, 1L, 2L, 3L), ids("lake_orders/"));
        assertTrue(new LocalObjectStore(lake).list("lake_orders/").stream().allMatch(k -> k.contains("/orders+0+")),
                "file names keep the consumed topic partition and offset");
        assertEquals(Map.of(TP, new org.apache.kafka.clients.consumer.OffsetAndMetadata(4)), task.preCommit(Map.of()));
        task.stop();
    }

    @Test
    void anIdlePartitionReportsTheConsumedPositionPastFilteredRecords() {
        ParquetS3SinkTask task = start("flush.size", "3");
        task.put(List.of(record(0, "a"), record(1, "b"), record(2, "c")));
        assertEquals(10L, task.preCommit(Map.of(TP, offset(10))).get(TP).offset(),
                "records 3-9 were filtered out in front of the task: nothing is pending, so the group may move on");
        task.put(List.of(record(10, "d")));
        assertEquals(3L, task.preCommit(Map.of(TP, offset(20))).get(TP).offset(), "an open file holds the position at its marker");
        task.put(List.of(record(11, "e"), record(12, "f")));
        assertEquals(13L, marker());
        assertEquals(20L, task.preCommit(Map.of(TP, offset(20))).get(TP).offset());
        task.stop();

        WorkerlessSinkTaskContext restarted = new WorkerlessSinkTaskContext();
        ParquetS3SinkTask again = start(restarted, "flush.size", "3");
        assertEquals(List.of(Map.entry(TP, 13L)), restarted.seeks());
        assertEquals(13L, again.preCommit(Map.of(TP, offset(20))).get(TP).offset(),
                "until its seek to the marker took effect, the framework's position is not the task's");
        again.stop();
    }

    private static org.apache.kafka.clients.consumer.OffsetAndMetadata offset(long offset) {
        return new org.apache.kafka.clients.consumer.OffsetAndMetadata(offset);
    }

    @Test
    void aFileTheWarehouseRefusesFailsWithInstructionsOrIsRecordedAsFailedAndPassed(@TempDir Path warehouseDir) throws Exception {
        String database = warehouseDir.resolve("w.duckdb").toString();
        try (java.sql.Connection db = io.orderflow.sink.warehouse.DuckDbDatabases.connect(database)) {
            db.createStatement().execute("CREATE TABLE orders_raw (id BIGINT, customer INTEGER)");   // refuses 'c'
        }
        String[] warehouse = {"flush.size", "2", "warehouse.dialect", "duckdb", "duckdb.path", database};
        ParquetS3SinkTask strict = start(warehouse);
        ConnectException e = assertThrows(ConnectException.class, () -> strict.put(List.of(record(0, "c"), record(1, "c"))));
        assertTrue(e.getMessage().contains("orders+0+00000000000000000000.parquet") && e.getMessage().contains("\"orders_raw\"")
                && e.getMessage().contains("warehouse.load.error.policy=record-and-continue"), e.getMessage());
        strict.stop();

        String[] tolerant = java.util.stream.Stream.concat(java.util.Arrays.stream(warehouse),
                java.util.stream.Stream.of("warehouse.load.error.policy", "record-and-continue")).toArray(String[]::new);
        ParquetS3SinkTask passing = start(tolerant);   // resumes at the marker, whose file is still to be loaded
        passing.put(List.of(record(2, "7"), record(3, "8")));
        assertEquals(4, marker());
        passing.stop();
        try (java.sql.Connection db = io.orderflow.sink.warehouse.DuckDbDatabases.connect(database);
             java.sql.ResultSet rs = db.createStatement().executeQuery(
                     "SELECT file, status, error FROM _orderflow_load_history ORDER BY file")) {
            assertTrue(rs.next());
            assertEquals("FAILED", rs.getString(2), rs.getString(1));
            assertTrue(rs.getString(3).contains("Conversion"), rs.getString(3));
            assertTrue(rs.next());
            assertEquals("LOADED", rs.getString(2));
            java.sql.ResultSet rows = db.createStatement().executeQuery("SELECT sum(customer) FROM orders_raw");
            rows.next();
            assertEquals(15, rows.getLong(1), "the next file loaded: the partition went on");
        }
    }
}
