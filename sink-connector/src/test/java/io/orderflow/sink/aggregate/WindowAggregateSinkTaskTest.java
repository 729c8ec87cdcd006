package io.orderflow.sink.aggregate;

import io.orderflow.sink.aggregate.config.AggregateSinkConfig;
import io.orderflow.sink.aggregate.summary.SummaryLayout;
import io.orderflow.sink.aggregate.summary.SummaryTable;
import io.orderflow.sink.aggregate.summary.SummaryTable.OffsetAdvance;
import io.orderflow.sink.warehouse.DuckDbDatabases;
import io.orderflow.sink.warehouse.DuckDbLockHolder;
import io.orderflow.testing.WorkerlessSinkTaskContext;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The task's offset bookkeeping on a real DuckDB database: redelivered batches are not counted twice, and a task
 * fenced off a partition drops its deltas and rewinds every partition — to the stored offset, or, where nothing is
 * stored yet, to the first record it had counted — so that nothing is lost either.
 */
class WindowAggregateSinkTaskTest {

    private static final Schema VALUE = SchemaBuilder.struct().field("amount", Decimal.builder(2).build())
            .field("event_time", Timestamp.SCHEMA).build();
    private static final long T0 = 1_767_225_600_000L;
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    @TempDir
    Path dir;

    private Map<String, String> props() {
        Map<String, String> props = new HashMap<>();
        props.put("name", "summary");
        props.put("duckdb.path", dir.resolve("summary.duckdb").toString());
        props.put("window.size", "1m");
        props.put("flush.interval.ms", "3600000");   // flushes only when the test calls preCommit
        return props;
    }

    private static SinkRecord order(TopicPartition tp, long offset, String amount) {
        return new SinkRecord(tp.topic(), tp.partition(), null, null, VALUE,
                new Struct(VALUE).put("amount", new BigDecimal(amount)).put("event_time", new Date(T0 + offset)), offset);
    }

    private long[] summary() throws Exception {
        try (Connection db = DuckDbDatabases.connect(dir.resolve("summary.duckdb").toString());
             Statement statement = db.createStatement();
             ResultSet rs = statement.executeQuery("SELECT coalesce(sum(total_orders), 0), coalesce(sum(total_revenue) * 100, 0) "
                     + "FROM orders_minute_summary")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    @Test
    void aBatchDeliveredAgainAfterARetriableFailureCountsOnceAndALogThatStartsOverStopsTheTask() throws Exception {
        WindowAggregateSinkTask task = new WindowAggregateSinkTask();
        task.initialize(new WorkerlessSinkTaskContext());
        task.start(props());
        List<SinkRecord> batch = List.of(order(P0, 0, "1.00"), order(P0, 1, "2.00"));
        try (DuckDbLockHolder other = DuckDbLockHolder.hold(dir.resolve("summary.duckdb"))) {
            task.open(List.of(P0));   // cannot read the stored offset yet: retried before counting
            RetriableException e = assertThrows(RetriableException.class, () -> task.put(batch));
            assertTrue(e.getMessage().contains("lock"), e.getMessage());
        }
        task.put(batch);   // as the worker delivers it again
        task.put(List.of(order(P0, 2, "4.00")));
        assertEquals(3, task.preCommit(Map.of()).get(P0).offset());
        ConnectException e = assertThrows(ConnectException.class, () -> task.put(List.of(order(P0, 0, "8.00"))));
        for (String part : List.of("orders-0", "offset 0", "up to offset 3", "up to offset 3 in \"_orderflow_aggregate_offsets\"",
                "started over", "PATCH /connectors/summary/offsets",
                "{\"partition\":{\"kafka_topic\":\"orders\",\"kafka_partition\":0},\"offset\":null}")) {
            assertTrue(e.getMessage().contains(part), part + " missing from: " + e.getMessage());
        }
        task.close(List.of(P0));
        task.stop();
        assertEquals(3, summary()[0], "offsets 0-2 once; nothing of the new log");
        assertEquals(700, summary()[1]);
    }

    @Test
    void aFencedTaskRewindsEveryPartitionAndLosesNothing() throws Exception {
        WorkerlessSinkTaskContext context = new WorkerlessSinkTaskContext();
        WindowAggregateSinkTask task = new WindowAggregateSinkTask();
        task.initialize(context);
        task.start(props());
        task.open(List.of(P0, P1));
        task.put(List.of(order(P0, 10, "1.00"), order(P0, 11, "1.00"), order(P1, 0, "5.00")));

        // Meanwhile another task took P1 over and stored progress for it (its own deltas included).
        AggregateSinkConfig config = new AggregateSinkConfig(props());
        SummaryLayout layout = SummaryLayout.of(config.warehouse().table(), List.of(), config.summary().aggregates(), 2);
        try (SummaryTable other = SummaryTable.open(config.warehouse(), layout, "summary")) {
            io.orderflow.sink.aggregate.state.WindowAggregator counted =
                    new io.orderflow.sink.aggregate.state.WindowAggregator(config.window(), config.summary());
            counted.add(order(P1, 0, "5.00"));
            other.write(counted.deltas().rows(), Map.of(P1, new OffsetAdvance(OptionalLong.empty(), 1)));
        }

        assertEquals(Map.of(), task.preCommit(Map.of()), "the fenced flush stores nothing for this task");
        context.seeks().clear();
        task.put(List.of(order(P0, 12, "1.00")));   // delivered before the rewind takes effect: skipped
        assertEquals(Set.of(Map.entry(P0, 10L), Map.entry(P1, 1L)), Set.copyOf(context.seeks()),
                "P0 back to the first offset it counted (nothing stored), P1 to the other task's stored offset");

        // The worker now delivers from the seek positions.
        task.put(List.of(order(P0, 10, "1.00"), order(P0, 11, "1.00"), order(P0, 12, "1.00"), order(P1, 1, "7.00")));
        Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed = task.preCommit(Map.of());
        assertEquals(13, committed.get(P0).offset());
        assertEquals(2, committed.get(P1).offset());
        task.close(List.of(P0, P1));
        task.stop();
        assertEquals(5, summary()[0], "P0 offsets 10-12 once, P1 offsets 0 (by the other task) and 1");
        assertEquals(1_500, summary()[1], "3 x 1.00 + 5.00 + 7.00");
    }

    private static org.apache.kafka.clients.consumer.OffsetAndMetadata at(long offset) {
        return new org.apache.kafka.clients.consumer.OffsetAndMetadata(offset);
    }

    @Test
    void recordsAFilterDroppedAreStoredAsPassedSoTheGroupCatchesUp() throws Exception {
        WindowAggregateSinkTask task = new WindowAggregateSinkTask();
        task.initialize(new WorkerlessSinkTaskContext());
        task.start(props());
        task.open(List.of(P0, P1));
        task.put(List.of(order(P0, 0, "1.00"), order(P0, 1, "2.00")));
        // The worker consumed P0 up to 50 and P1 up to 7, but the transform in front kept only offsets 0 and 1.
        Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
                task.preCommit(Map.of(P0, at(50), P1, at(7)));
        assertEquals(50, committed.get(P0).offset());
        assertEquals(7, committed.get(P1).offset(), "a partition with no kept record at all catches up too");
        task.close(List.of(P0, P1));
        task.stop();

        WorkerlessSinkTaskContext restarted = new WorkerlessSinkTaskContext();
        WindowAggregateSinkTask again = new WindowAggregateSinkTask();
        again.initialize(restarted);
        again.start(props());
        again.open(List.of(P0, P1));
        assertEquals(Set.of(Map.entry(P0, 50L), Map.entry(P1, 7L)), Set.copyOf(restarted.seeks()),
                "the warehouse holds the passed position, consistent with the group");
        assertEquals(50, again.preCommit(Map.of(P0, at(3))).get(P0).offset(),
                "before its seek takes effect, the framework's stale position is not taken over");
        again.put(List.of(order(P0, 50, "4.00")));
        assertEquals(51, again.preCommit(Map.of(P0, at(51))).get(P0).offset());
        again.close(List.of(P0, P1));
        again.stop();
        assertEquals(3, summary()[0]);
        assertEquals(700, summary()[1]);
    }

    @Test
    void valuesTheSummaryCannotHoldGoToTheDeadLetterQueue() throws Exception {
        WorkerlessSinkTaskContext context = new WorkerlessSinkTaskContext();
        List<Map.Entry<SinkRecord, Throwable>> dlq = context.withDeadLetters();
        WindowAggregateSinkTask task = new WindowAggregateSinkTask();
        task.initialize(context);
        Map<String, String> props = props();
        props.put("group.by", "currency");
        task.start(props);
        task.open(List.of(P0));
        Schema withCurrency = SchemaBuilder.struct().field("amount", Decimal.builder(2).build())
                .field("currency", Schema.STRING_SCHEMA).field("event_time", Timestamp.SCHEMA).build();
        java.util.function.BiFunction<Long, String[], SinkRecord> order = (offset, v) -> new SinkRecord("orders", 0, null, null,
                withCurrency, new Struct(withCurrency).put("amount", new BigDecimal(v[0])).put("currency", v[1])
                .put("event_time", new Date(T0 + offset)), offset);
        task.put(List.of(order.apply(0L, new String[] {"1.00", "EUR"}),
                order.apply(1L, new String[] {"1.00", "E\u0000R"}),
                order.apply(2L, new String[] {"1234567890123456789012345678901234567.00", "EUR"}),
                order.apply(3L, new String[] {"2.00", "EUR"})));
        assertEquals(4, task.preCommit(Map.of()).get(P0).offset(), "the flush is not wedged by either value");
        task.close(List.of(P0));
        task.stop();
        assertEquals(List.of(1L, 2L), dlq.stream().map(e -> e.getKey().kafkaOffset()).toList());
        assertTrue(dlq.get(0).getValue().getMessage().contains("'currency'"), dlq.get(0).getValue().getMessage());
        assertTrue(dlq.get(1).getValue().getMessage().contains("DECIMAL(38, 2)"), dlq.get(1).getValue().getMessage());
        assertEquals(2, summary()[0]);
        assertEquals(300, summary()[1]);
    }
}
