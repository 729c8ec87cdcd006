package io.orderflow.sink.aggregate;

import io.orderflow.sink.aggregate.config.AggregateSinkConfig;
import io.orderflow.sink.aggregate.state.WindowAggregator;
import io.orderflow.sink.aggregate.summary.OffsetFencedException;
import io.orderflow.sink.aggregate.summary.SummaryLayout;
import io.orderflow.sink.aggregate.summary.SummaryTable;
import io.orderflow.sink.aggregate.summary.SummaryTable.OffsetAdvance;
import io.orderflow.sink.warehouse.DuckDbDatabases;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upsert and offset SQL against real engines (embedded DuckDB, an embedded PostgreSQL 14 server): deltas from
 * two tasks add up to exact totals, min/max/avg combine, and a stale offset fences the whole transaction.
 */
class SummaryTableTest {

    private static final Schema VALUE = SchemaBuilder.struct()
            .field("order_id", Schema.STRING_SCHEMA)
            .field("currency", Schema.OPTIONAL_STRING_SCHEMA)
            .field("amount", Decimal.builder(2).build())
            .field("event_time", Timestamp.SCHEMA)
            .build();
    private static final long MINUTE = 60_000;
    private static final long T0 = 1_767_225_600_000L;

    private static EmbeddedPostgres postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    private Map<String, String> props(String dialect, String table) {
        Map<String, String> props = new HashMap<>();
        props.put("warehouse.dialect", dialect);
        props.put("warehouse.table", table);
        props.put("duckdb.path", dir.resolve("summary.duckdb").toString());
        props.put("postgresql.url", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres");
        props.put("postgresql.user", "postgres");
        props.put("window.size", "1m");
        props.put("group.by", "currency");
        props.put("aggregates", "total_orders=count,total_revenue=sum(amount),avg_order_value=avg(amount),"
                + "smallest=min(amount),largest=max(amount)");
        return props;
    }

    private Connection query(String dialect) throws SQLException {
        return dialect.equals("duckdb") ? DuckDbDatabases.connect(dir.resolve("summary.duckdb").toString())
                : DriverManager.getConnection("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres", "");
    }

    private static SinkRecord order(int offset, String currency, String amount, long eventTime) {
        Struct value = new Struct(VALUE).put("order_id", "o-" + offset).put("currency", currency)
                .put("amount", new BigDecimal(amount)).put("event_time", new Date(eventTime));
        return new SinkRecord("orders", 0, null, null, VALUE, value, offset);
    }

    @ParameterizedTest
    @ValueSource(strings = {"duckdb", "postgresql"})
    void deltasFromTwoTasksAddUpExactly(String dialect) throws Exception {
        AggregateSinkConfig config = new AggregateSinkConfig(props(dialect, "summary_" + dialect));
        SummaryLayout layout = SummaryLayout.of(config.warehouse().table(), config.summary().groupBy(),
                config.summary().aggregates(), config.summary().decimalScale());
        TopicPartition p0 = new TopicPartition("orders", 0);
        TopicPartition p1 = new TopicPartition("orders", 1);
        try (SummaryTable first = SummaryTable.open(config.warehouse(), layout, layout.table().table());
             SummaryTable second = SummaryTable.open(config.warehouse(), layout, layout.table().table())) {
            WindowAggregator a = new WindowAggregator(config.window(), config.summary());
            a.add(order(0, "EUR", "10.10", T0 + 1_000));
            a.add(order(1, "EUR", "0.01", T0 + 2_000));
            a.add(order(2, null, "5.00", T0 + MINUTE + 5));
            first.write(a.deltas().rows(), Map.of(p0, new OffsetAdvance(OptionalLong.empty(), 3)));

            WindowAggregator b = new WindowAggregator(config.window(), config.summary());
            b.add(order(0, "EUR", "99999999.99", T0 + 30_000));
            second.write(b.deltas().rows(), Map.of(p1, new OffsetAdvance(OptionalLong.empty(), 1)));

            WindowAggregator c = new WindowAggregator(config.window(), config.summary());
            c.add(order(3, "EUR", "0.02", T0 + 59_999));
            first.write(c.deltas().rows(), Map.of(p0, new OffsetAdvance(OptionalLong.of(3), 4)));

            assertEquals(OptionalLong.of(4), second.readOffset(p0));
            assertEquals(OptionalLong.of(1), first.readOffset(p1));
            assertEquals(OptionalLong.empty(), first.readOffset(new TopicPartition("orders", 2)));
        }
        try (Connection db = query(dialect); Statement statement = db.createStatement();
             ResultSet rs = statement.executeQuery("SELECT window_start, window_end, currency, total_orders, total_revenue, "
                     + "avg_order_value, smallest, largest FROM summary_" + dialect + " ORDER BY window_start, currency")) {
            assertTrue(rs.next());
            assertEquals(T0, rs.getTimestamp(1).getTime());
            assertEquals(T0 + MINUTE, rs.getTimestamp(2).getTime());
            assertEquals("EUR", rs.getString(3));
            assertEquals(4, rs.getLong(4));
            assertEquals(new BigDecimal("100000010.12"), rs.getBigDecimal(5));
            assertEquals(new BigDecimal("25000002.530000"), rs.getBigDecimal(6));
            assertEquals(new BigDecimal("0.01"), rs.getBigDecimal(7));
            assertEquals(new BigDecimal("99999999.99"), rs.getBigDecimal(8));
            assertTrue(rs.next());
            assertEquals(T0 + MINUTE, rs.getTimestamp(1).getTime());
            assertEquals("", rs.getString(3), "a missing group-by value groups as the empty string");
            assertEquals(1, rs.getLong(4));
            assertEquals(new BigDecimal("5.000000"), rs.getBigDecimal(6));
            assertTrue(!rs.next());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"duckdb", "postgresql"})
    void aStaleOffsetFencesTheWholeTransaction(String dialect) throws Exception {
        AggregateSinkConfig config = new AggregateSinkConfig(props(dialect, "fenced_" + dialect));
        SummaryLayout layout = SummaryLayout.of(config.warehouse().table(), config.summary().groupBy(),
                config.summary().aggregates(), config.summary().decimalScale());
        TopicPartition p0 = new TopicPartition("orders", 0);
        try (SummaryTable zombie = SummaryTable.open(config.warehouse(), layout, layout.table().table());
             SummaryTable successor = SummaryTable.open(config.warehouse(), layout, layout.table().table())) {
            WindowAggregator a = new WindowAggregator(config.window(), config.summary());
            a.add(order(0, "EUR", "1.00", T0));
            zombie.write(a.deltas().rows(), Map.of(p0, new OffsetAdvance(OptionalLong.empty(), 1)));
            successor.write(a.deltas().rows(), Map.of(p0, new OffsetAdvance(OptionalLong.of(1), 2)));
            // The zombie still believes the offset is 1: its write must change nothing, rows included.
            assertThrows(OffsetFencedException.class,
                    () -> zombie.write(a.deltas().rows(), Map.of(p0, new OffsetAdvance(OptionalLong.of(1), 2))));
            assertThrows(OffsetFencedException.class,
                    () -> zombie.write(a.deltas().rows(), Map.of(p0, new OffsetAdvance(OptionalLong.empty(), 2))));
        }
        try (Connection db = query(dialect); Statement statement = db.createStatement();
             ResultSet rs = statement.executeQuery("SELECT sum(total_orders) FROM fenced_" + dialect)) {
            rs.next();
            assertEquals(2, rs.getLong(1));
        }
    }
}
