package io.orderflow.sink.warehouse.snowflake;

import io.orderflow.sink.lake.ParquetS3SinkTask;
import io.orderflow.sink.lake.config.LakeSinkConfig;
import io.orderflow.common.sql.TableName;
import io.orderflow.sink.warehouse.WarehouseLoader;
import io.orderflow.sink.warehouse.WarehouseLoaders;
import io.orderflow.source.OrderSourceConnector;
import io.orderflow.source.config.OrderSourceTaskConfig;
import io.orderflow.source.event.AmountType;
import io.orderflow.source.event.OrderEventSchema;
import io.orderflow.source.generator.OrderEventStream;
import io.orderflow.source.generator.ScheduledEvent;
import io.orderflow.testing.WorkerlessSinkTaskContext;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The lake sink against a real Snowflake account and a real S3 bucket: every generated order event lands in the
 * table exactly once, and COPY re-issued for every committed file loads nothing more. Runs only when the account
 * is given in the environment (no Snowflake emulator exists); otherwise it reports itself skipped:
 * <pre>
 * SNOWFLAKE_URL=https://&lt;account&gt;.snowflakecomputing.com SNOWFLAKE_USER=... SNOWFLAKE_PRIVATE_KEY_FILE=/path/key.p8
 * [SNOWFLAKE_PRIVATE_KEY_PASSPHRASE=...] [SNOWFLAKE_ROLE=...] SNOWFLAKE_WAREHOUSE=... SNOWFLAKE_DATABASE=...
 * SNOWFLAKE_SCHEMA=... SNOWFLAKE_STAGE=&lt;stage on ORDERFLOW_S3_URL&gt; ORDERFLOW_S3_URL=s3://bucket/prefix AWS_REGION=...
 * mvn -B verify -pl sink-connector -am -Dit.test=SnowflakeLiveIT
 * </pre>
 * The {@code snowflake-live} Maven profile, active when {@code SNOWFLAKE_URL} is set, puts the driver on the test
 * class path. The stage must point at {@code ORDERFLOW_S3_URL}; see {@code docs/snowflake-setup.sql}.
 */
class SnowflakeLiveIT {

    private static final List<String> REQUIRED = List.of("SNOWFLAKE_URL", "SNOWFLAKE_USER", "SNOWFLAKE_PRIVATE_KEY_FILE",
            "SNOWFLAKE_WAREHOUSE", "SNOWFLAKE_DATABASE", "SNOWFLAKE_SCHEMA", "SNOWFLAKE_STAGE", "ORDERFLOW_S3_URL");
    private static final String TOPIC = "orders";

    @BeforeAll
    static void requireAccount() {
        List<String> missing = REQUIRED.stream().filter(name -> System.getenv(name) == null).toList();
        if (!missing.isEmpty()) {
            System.out.println("SKIPPED SnowflakeLiveIT: no Snowflake account configured (missing " + missing + ")");
        }
        Assumptions.assumeTrue(missing.isEmpty(), "Snowflake live test skipped: set " + missing);
    }

    @Test
    void everyOrderEventLandsExactlyOnce() throws Exception {
        String table = "ORDERFLOW_IT_" + System.currentTimeMillis();
        String s3 = System.getenv("ORDERFLOW_S3_URL").replaceAll("/+$", "") + "/" + table.toLowerCase();
        Map<String, String> config = new HashMap<>();
        config.put("store.url", s3);
        config.put("flush.size", "1000");
        config.put("warehouse.dialect", "snowflake");
        config.put("warehouse.table", table);
        config.put("snowflake.url", System.getenv("SNOWFLAKE_URL"));
        config.put("snowflake.user", System.getenv("SNOWFLAKE_USER"));
        config.put("snowflake.private.key.file", System.getenv("SNOWFLAKE_PRIVATE_KEY_FILE"));
        config.put("snowflake.private.key.passphrase", System.getenv().getOrDefault("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE", ""));
        config.put("snowflake.role", System.getenv().getOrDefault("SNOWFLAKE_ROLE", ""));
        config.put("snowflake.warehouse", System.getenv("SNOWFLAKE_WAREHOUSE"));
        config.put("snowflake.database", System.getenv("SNOWFLAKE_DATABASE"));
        config.put("snowflake.schema", System.getenv("SNOWFLAKE_SCHEMA"));
        config.put("snowflake.stage", System.getenv("SNOWFLAKE_STAGE"));
        String bucketPath = s3.replaceFirst("^s3://[^/]+/?", "");
        String stagePath = System.getenv("ORDERFLOW_S3_URL").replaceFirst("^s3://[^/]+/?", "").replaceAll("/+$", "");
        config.put("snowflake.stage.prefix", stagePath.isEmpty() ? "" : stagePath + "/");

        List<SinkRecord> records = orderEvents(4_000);
        ParquetS3SinkTask task = new ParquetS3SinkTask();
        task.initialize(new WorkerlessSinkTaskContext());
        task.start(config);
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        task.open(List.of(tp));
        task.put(records);
        task.close(List.of(tp));
        task.stop();

        LakeSinkConfig lake = new LakeSinkConfig(config);
        try (Connection db = SnowflakeConnections.open(lake.warehouse().snowflake())) {
            try {
                assertCounts(db, table, records.size());
                // Every committed file again, as after a crash between upload and load: Snowflake skips them all.
                try (WarehouseLoader loader = WarehouseLoaders.open(lake.warehouse()).orElseThrow();
                     var store = io.orderflow.sink.lake.store.ObjectStores.open(lake.store())) {
                    for (String key : store.list(bucketPath + "/" + TOPIC + "/")) {
                        Path local = Files.createTempFile("reload-", ".parquet");
                        Files.write(local, store.get(key).orElseThrow());
                        assertFalse(loader.load(key, local), key + " must not load twice");
                        Files.delete(local);
                    }
                }
                assertCounts(db, table, records.size());
            } finally {
                try (Statement drop = db.createStatement()) {
                    drop.execute("DROP TABLE IF EXISTS " + SnowflakeSql.name(TableName.parse(table)));
                }
            }
        }
    }

    private static void assertCounts(Connection db, String table, int expected) throws Exception {
        try (Statement statement = db.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*), COUNT(DISTINCT ORDER_ID, STATUS) FROM "
                     + SnowflakeSql.name(TableName.parse(table)))) {
            rs.next();
            assertEquals(expected, rs.getLong(1), "rows");
            assertEquals(expected, rs.getLong(2), "distinct (order_id, status)");
        }
    }

    private static List<SinkRecord> orderEvents(int count) {
        OrderSourceConnector source = new OrderSourceConnector();
        source.start(Map.of("topic", TOPIC, "orders.per.second", "0", "event.time.start", "2026-01-01T00:00:00Z"));
        OrderEventStream stream = OrderEventStream.fromStart(new OrderSourceTaskConfig(source.taskConfigs(1).get(0))
                .freshGeneratorSettings());
        List<SinkRecord> records = new ArrayList<>(count);
        Stream.generate(stream::next).limit(count).map(ScheduledEvent::event).forEach(event -> records.add(new SinkRecord(
                TOPIC, 0, null, event.orderId(), OrderEventSchema.valueSchema(AmountType.DECIMAL),
                OrderEventSchema.toStruct(event, AmountType.DECIMAL), records.size())));
        return records;
    }
}
