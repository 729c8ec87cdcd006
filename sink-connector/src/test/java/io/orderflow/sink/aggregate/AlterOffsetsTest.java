package io.orderflow.sink.aggregate;

import io.orderflow.sink.warehouse.DuckDbDatabases;
import io.orderflow.testing.WorkerlessSinkTaskContext;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
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
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Offsets changed over the REST API (KIP-875) on a real DuckDB database: the stored offsets the tasks resume from
 * change with the consumer group's, and the summary's windows stay.
 */
class AlterOffsetsTest {

    private static final Schema VALUE = SchemaBuilder.struct().field("amount", Decimal.builder(2).build())
            .field("event_time", Timestamp.SCHEMA).build();
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    @TempDir
    Path dir;

    private Map<String, String> props(String name) {
        Map<String, String> props = new HashMap<>();
        props.put("name", name);
        props.put("duckdb.path", dir.resolve("summary.duckdb").toString());
        props.put("window.size", "1m");
        props.put("flush.interval.ms", "3600000");
        return props;
    }

    /** Runs a task of {@code name} over offsets 0..count-1 of both partitions and flushes. */
    private void count(String name, int count) {
        WindowAggregateSinkTask task = new WindowAggregateSinkTask();
        task.initialize(new WorkerlessSinkTaskContext());
        task.start(props(name));
        task.open(List.of(P0, P1));
        for (TopicPartition tp : List.of(P0, P1)) {
            for (long offset = 0; offset < count; offset++) {
                task.put(List.of(new SinkRecord(tp.topic(), tp.partition(), null, null, VALUE, new Struct(VALUE)
                        .put("amount", new BigDecimal("1.00")).put("event_time", new Date(1_767_225_600_000L)), offset)));
            }
        }
        task.preCommit(Map.of());
        task.close(List.of(P0, P1));
        task.stop();
    }

    private Map<String, Long> stored() throws Exception {
        Map<String, Long> rows = new TreeMap<>();
        try (Connection db = DuckDbDatabases.connect(dir.resolve("summary.duckdb").toString());
             Statement statement = db.createStatement();
             ResultSet rs = statement.executeQuery("SELECT connector, topic, kafka_partition, next_offset "
                     + "FROM _orderflow_aggregate_offsets")) {
            while (rs.next()) {
                rows.put(rs.getString(1) + "/" + rs.getString(2) + "-" + rs.getInt(3), rs.getLong(4));
            }
        }
        return rows;
    }

    private long windowOrders() throws Exception {
        try (Connection db = DuckDbDatabases.connect(dir.resolve("summary.duckdb").toString());
             Statement statement = db.createStatement();
             ResultSet rs = statement.executeQuery("SELECT sum(total_orders) FROM orders_minute_summary")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void offsetsAreSetOrForgottenPerPartitionAndAnEmptyResetForgetsTheConnector() throws Exception {
        count("summary", 3);
        count("other", 2);
        WindowAggregateSinkConnector connector = new WindowAggregateSinkConnector();
        assertEquals(true, connector.alterOffsets(props("summary"), Map.of(P0, 10L)));
        assertEquals(Map.of("other/orders-0", 2L, "other/orders-1", 2L, "summary/orders-0", 10L, "summary/orders-1", 3L),
                stored());

        Map<TopicPartition, Long> resetP1 = new HashMap<>();
        resetP1.put(P1, null);
        connector.alterOffsets(props("summary"), resetP1);
        assertEquals(Map.of("other/orders-0", 2L, "other/orders-1", 2L, "summary/orders-0", 10L), stored());

        // DELETE /connectors/summary/offsets when the consumer group holds no offsets: its topics were deleted.
        connector.alterOffsets(props("summary"), Map.of());
        assertEquals(Map.of("other/orders-0", 2L, "other/orders-1", 2L), stored(), "only this connector's rows go");
        assertEquals(10, windowOrders(), "the windows stay as they were");

        // A task of the connector now starts where the consumer group is, and counts from there.
        WorkerlessSinkTaskContext context = new WorkerlessSinkTaskContext();
        WindowAggregateSinkTask task = new WindowAggregateSinkTask();
        task.initialize(context);
        task.start(props("summary"));
        task.open(List.of(P0, P1));
        assertEquals(List.of(), context.seeks(), "nothing stored: no seek");
        task.stop();
    }
}
