package io.orderflow.sink.lake;

import io.orderflow.sink.lake.commit.CommitMarker;
import io.orderflow.sink.lake.store.LocalObjectStore;
import io.orderflow.testing.WorkerlessSinkTaskContext;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The task's own decisions, driven without a worker (the integration tests run it in one). */
class ParquetS3SinkTaskTest {

    private static final Schema SCHEMA = SchemaBuilder.struct().name("Order")
            .field("id", Schema.INT64_SCHEMA).field("customer", Schema.STRING_SCHEMA).build();
    private static final TopicPartition TP = new TopicPartition("orders", 0);

    @TempDir
    Path lake;

    private ParquetS3SinkTask start(String... props) {
        Map<String, String> config = new HashMap<>(Map.of("store.url", lake.toUri().toString(), "flush.size", "1000000"));
        for (int i = 0; i < props.length; i += 2) {
            config.put(props[i], props[i + 1]);
        }
        ParquetS3SinkTask task = new ParquetS3SinkTask();
        task.initialize(new WorkerlessSinkTaskContext());
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
}
