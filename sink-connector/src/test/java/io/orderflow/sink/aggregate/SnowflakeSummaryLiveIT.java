package io.orderflow.sink.aggregate;

import io.orderflow.sink.aggregate.config.AggregateSinkConfig;
import io.orderflow.sink.aggregate.state.WindowAggregator;
import io.orderflow.sink.aggregate.summary.OffsetFencedException;
import io.orderflow.sink.aggregate.summary.SummaryLayout;
import io.orderflow.sink.aggregate.summary.SummaryTable;
import io.orderflow.sink.aggregate.summary.SummaryTable.OffsetAdvance;
import io.orderflow.common.sql.TableName;
import io.orderflow.sink.warehouse.snowflake.SnowflakeConnections;
import io.orderflow.sink.warehouse.snowflake.SnowflakeSql;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The summary's MERGE and fenced offsets against a real Snowflake account: two writers' deltas add up to exact
 * totals, and a stale offset rolls the whole transaction back. Runs only with an account in the environment
 * (SNOWFLAKE_URL, SNOWFLAKE_USER, SNOWFLAKE_PRIVATE_KEY_FILE, SNOWFLAKE_WAREHOUSE, SNOWFLAKE_DATABASE, SNOWFLAKE_SCHEMA,
 * optionally SNOWFLAKE_PRIVATE_KEY_PASSPHRASE and SNOWFLAKE_ROLE); otherwise it reports itself skipped.
 */
class SnowflakeSummaryLiveIT {

    private static final List<String> REQUIRED = List.of("SNOWFLAKE_URL", "SNOWFLAKE_USER", "SNOWFLAKE_PRIVATE_KEY_FILE",
            "SNOWFLAKE_WAREHOUSE", "SNOWFLAKE_DATABASE", "SNOWFLAKE_SCHEMA");
    private static final Schema VALUE = SchemaBuilder.struct().field("amount", Decimal.builder(2).build())
            .field("event_time", Timestamp.SCHEMA).build();
    private static final long T0 = 1_767_225_600_000L;

    @BeforeAll
    static void requireAccount() {
        List<String> missing = REQUIRED.stream().filter(name -> System.getenv(name) == null).toList();
        if (!missing.isEmpty()) {
            System.out.println("SKIPPED SnowflakeSummaryLiveIT: no Snowflake account configured (missing " + missing + ")");
        }
        Assumptions.assumeTrue(missing.isEmpty(), "Snowflake live test skipped: set " + missing);
    }

    private static SinkRecord order(long offset, String amount, long eventTime) {
        return new SinkRecord("orders", 0, null, null, VALUE,
                new Struct(VALUE).put("amount", new BigDecimal(amount)).put("event_time", new Date(eventTime)), offset);
    }

    @Test
    void mergedDeltasAreExactAndStaleOffsetsAreFenced() throws Exception {
        String table = "ORDERFLOW_SUMMARY_IT_" + System.currentTimeMillis();
        Map<String, String> props = new HashMap<>();
        props.put("warehouse.dialect", "snowflake");
        props.put("warehouse.table", table);
        props.put("window.size", "1m");
        props.put("snowflake.url", System.getenv("SNOWFLAKE_URL"));
        props.put("snowflake.user", System.getenv("SNOWFLAKE_USER"));
        props.put("snowflake.private.key.file", System.getenv("SNOWFLAKE_PRIVATE_KEY_FILE"));
        props.put("snowflake.private.key.passphrase", System.getenv().getOrDefault("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE", ""));
        props.put("snowflake.role", System.getenv().getOrDefault("SNOWFLAKE_ROLE", ""));
        props.put("snowflake.warehouse", System.getenv("SNOWFLAKE_WAREHOUSE"));
        props.put("snowflake.database", System.getenv("SNOWFLAKE_DATABASE"));
        props.put("snowflake.schema", System.getenv("SNOWFLAKE_SCHEMA"));
        AggregateSinkConfig config = new AggregateSinkConfig(props);
        SummaryLayout layout = SummaryLayout.of(config.warehouse().table(), List.of(), config.summary().aggregates(), 2);
        TopicPartition p0 = new TopicPartition("orders", 0);
        try (Connection db = SnowflakeConnections.open(config.warehouse().snowflake())) {
            try {
                try (SummaryTable first = SummaryTable.open(config.warehouse(), layout, table);
                     SummaryTable second = SummaryTable.open(config.warehouse(), layout, table)) {
                    WindowAggregator a = new WindowAggregator(config.window(), config.summary());
                    a.add(order(0, "10.10", T0 + 1));
                    a.add(order(1, "0.01", T0 + 2));
                    first.write(a.deltas().rows(), Map.of(p0, new OffsetAdvance(OptionalLong.empty(), 2)));
                    WindowAggregator b = new WindowAggregator(config.window(), config.summary());
                    b.add(order(2, "99999999.99", T0 + 3));
                    second.write(b.deltas().rows(), Map.of(p0, new OffsetAdvance(OptionalLong.of(2), 3)));
                    assertThrows(OffsetFencedException.class,
                            () -> first.write(a.deltas().rows(), Map.of(p0, new OffsetAdvance(OptionalLong.of(2), 3))));
                    assertEquals(OptionalLong.of(3), first.readOffset(p0));
                }
                try (Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(
                        "SELECT TOTAL_ORDERS, TOTAL_REVENUE, AVG_ORDER_VALUE FROM " + SnowflakeSql.name(TableName.parse(table)))) {
                    rs.next();
                    assertEquals(3, rs.getLong(1));
                    assertEquals(0, new BigDecimal("100000010.10").compareTo(rs.getBigDecimal(2)));
                    assertEquals(0, new BigDecimal("33333336.700000").compareTo(rs.getBigDecimal(3)));
                }
            } finally {
                try (Statement drop = db.createStatement()) {
                    drop.execute("DROP TABLE IF EXISTS " + SnowflakeSql.name(TableName.parse(table)));
                    drop.execute("DELETE FROM " + SnowflakeSql.name(layout.offsetsTable()) + " WHERE \"CONNECTOR\" = "
                            + SnowflakeSql.literal(table));
                }
            }
        }
    }
}
