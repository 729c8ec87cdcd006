package io.orderflow.sink.aggregate;

import io.orderflow.sink.aggregate.config.AggregateSinkConfig;
import io.orderflow.sink.aggregate.config.AggregateSpec;
import io.orderflow.sink.aggregate.state.Accumulator;
import io.orderflow.sink.aggregate.state.WindowAggregator;
import io.orderflow.sink.aggregate.state.WindowAggregator.Outcome;
import io.orderflow.sink.aggregate.state.WindowKey;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Windows, exact deltas, the watermark and the late policies, on records alone. */
class WindowAggregatorTest {

    private static final Schema WINDOWED = SchemaBuilder.struct()
            .field("amount", Decimal.builder(2).build())
            .field("event_time", Timestamp.SCHEMA)
            .field("window_start", Timestamp.SCHEMA)
            .field("window_end", Timestamp.SCHEMA)
            .build();
    private static final long T0 = 1_767_225_600_000L;

    private static WindowAggregator aggregator(String... options) {
        Map<String, String> props = new HashMap<>();
        props.put("duckdb.path", "/tmp/unused.duckdb");
        for (int i = 0; i < options.length; i += 2) {
            props.put(options[i], options[i + 1]);
        }
        AggregateSinkConfig config = new AggregateSinkConfig(props);
        return new WindowAggregator(config.window(), config.summary());
    }

    private static SinkRecord windowed(long offset, String amount, long eventTime) {
        long start = Math.floorDiv(eventTime, 60_000) * 60_000;
        Struct value = new Struct(WINDOWED).put("amount", new BigDecimal(amount)).put("event_time", new Date(eventTime))
                .put("window_start", new Date(start)).put("window_end", new Date(start + 60_000));
        return new SinkRecord("orders", 0, null, null, WINDOWED, value, offset);
    }

    @Test
    void defaultsAreTheMinuteSummaryWithExactSums() {
        WindowAggregator aggregator = aggregator();
        for (int i = 0; i < 1_000; i++) {
            aggregator.add(windowed(i, "0.10", T0 + i));
        }
        aggregator.add(windowed(1_000, "12.34", T0 + 60_000));
        Map<WindowKey, Accumulator> rows = aggregator.deltas().rows();
        Accumulator first = rows.get(new WindowKey(T0, T0 + 60_000, List.of()));
        assertEquals(1_000, first.count(0));
        assertEquals(new BigDecimal("100.00"), first.value(1), "1,000 x 0.10 is exactly 100.00, no double rounding");
        assertEquals(new BigDecimal("100.00"), first.value(2));
        assertEquals(1_000, first.count(2));
        assertEquals(new BigDecimal("12.34"), rows.get(new WindowKey(T0 + 60_000, T0 + 120_000, List.of())).value(1));
    }

    @Test
    void theWatermarkTrailsTheHighestEventTimeByTheAllowedLateness() {
        WindowAggregator update = aggregator();
        // As Flink's bounded-out-of-orderness watermark: late once the window's end is at or behind max - lateness.
        assertEquals(Outcome.ADDED, update.add(windowed(0, "1.00", T0 + 64_999)));
        assertEquals(Outcome.ADDED, update.add(windowed(1, "1.00", T0 + 59_000)), "window [T0, T0+60s) open: watermark T0+59.999s");
        assertEquals(Outcome.ADDED, update.add(windowed(2, "1.00", T0 + 66_000)));
        assertEquals(Outcome.ADDED_LATE, update.add(windowed(3, "1.00", T0 + 30_000)), "watermark T0+61s closed the first window");
        assertEquals(4, update.deltas().rows().values().stream().mapToLong(a -> a.count(0)).sum(), "update keeps late records");

        WindowAggregator drop = aggregator("late.policy", "drop");
        drop.add(windowed(0, "1.00", T0 + 66_000));
        assertEquals(Outcome.DROPPED_LATE, drop.add(windowed(1, "1.00", T0 + 30_000)));
        assertEquals(1, drop.deltas().rows().size());

        WindowAggregator dlq = aggregator("late.policy", "dlq", "allowed.lateness", "0s");
        dlq.add(windowed(0, "1.00", T0 + 60_000));
        assertEquals(Outcome.LATE_FOR_DLQ, dlq.add(windowed(1, "1.00", T0 + 59_999)));
    }

    @Test
    void theSinkComputesWindowsFromEventTimeWhenGivenASize() {
        Schema plain = SchemaBuilder.struct().field("amount", Schema.FLOAT64_SCHEMA).field("event_time", Schema.INT64_SCHEMA)
                .field("region", Schema.OPTIONAL_STRING_SCHEMA).build();
        WindowAggregator aggregator = aggregator("window.size", "5m", "group.by", "region",
                "aggregates", "n=count,revenue=sum(amount),low=min(amount),high=max(amount)");
        aggregator.add(new SinkRecord("t", 0, null, null, plain, new Struct(plain).put("amount", 0.1).put("event_time", T0 + 299_999)
                .put("region", "EU"), 0));
        aggregator.add(new SinkRecord("t", 0, null, null, plain, new Struct(plain).put("amount", 0.2).put("event_time", T0 + 1)
                .put("region", "EU"), 1));
        Accumulator eu = aggregator.deltas().rows().get(new WindowKey(T0, T0 + 300_000, List.of("EU")));
        assertEquals(2, eu.count(0));
        assertEquals(new BigDecimal("0.30"), eu.value(1), "floats are rounded to the scale before adding");
        assertEquals(new BigDecimal("0.10"), eu.value(2));
        assertEquals(new BigDecimal("0.20"), eu.value(3));
    }

    @Test
    void badRecordsNameTheFieldAndRecordAndLeaveNoTrace() {
        WindowAggregator aggregator = aggregator();
        Schema noTime = SchemaBuilder.struct().field("amount", Decimal.builder(3).build()).build();
        DataException missing = assertThrows(DataException.class, () -> aggregator.add(new SinkRecord("orders", 2, null, null,
                noTime, new Struct(noTime).put("amount", new BigDecimal("1.000")), 77)));
        assertTrue(missing.getMessage().contains("'event_time'") && missing.getMessage().contains("orders-2@77"), missing.getMessage());

        Schema precise = SchemaBuilder.struct().field("amount", Decimal.builder(3).build()).field("event_time", Timestamp.SCHEMA)
                .field("window_start", Timestamp.SCHEMA).field("window_end", Timestamp.SCHEMA).build();
        DataException places = assertThrows(DataException.class, () -> aggregator.add(new SinkRecord("orders", 0, null, null, precise,
                new Struct(precise).put("amount", new BigDecimal("1.005")).put("event_time", new Date(T0))
                        .put("window_start", new Date(T0)).put("window_end", new Date(T0 + 60_000)), 5)));
        assertTrue(places.getMessage().contains("more than 2 decimal places"), places.getMessage());
        assertTrue(aggregator.deltas().isEmpty());
    }

    @Test
    void aggregateSpecsAreValidatedWithTheirText() {
        assertEquals(List.of(new AggregateSpec("n", AggregateSpec.Function.COUNT, null),
                        new AggregateSpec("paid", AggregateSpec.Function.COUNT, "amount")),
                AggregateSpec.parseAll(List.of("n=count(*)", " paid = count(amount) ")));
        ConfigException unknown = assertThrows(ConfigException.class, () -> new AggregateSinkConfig(Map.of(
                "duckdb.path", "/tmp/x.duckdb", "aggregates", "total=median(amount)")));
        assertTrue(unknown.getMessage().contains("unknown function median"), unknown.getMessage());
        assertThrows(ConfigException.class, () -> new AggregateSinkConfig(Map.of("duckdb.path", "/tmp/x.duckdb",
                "aggregates", "total=sum")));
        assertThrows(ConfigException.class, () -> new AggregateSinkConfig(Map.of("duckdb.path", "/tmp/x.duckdb",
                "aggregates", "x=count,x=sum(amount)")));
        assertThrows(ConfigException.class, () -> new AggregateSinkConfig(Map.of("duckdb.path", "/tmp/x.duckdb",
                "warehouse.table", "summary; DROP TABLE orders")));
        assertThrows(ConfigException.class, () -> new AggregateSinkConfig(Map.of("warehouse.dialect", "none")));
    }

    private static final Schema DECLARED = SchemaBuilder.struct()
            .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "18").build())
            .field("event_time", SchemaBuilder.string().build())
            .build();

    private static SinkRecord declared(String amount, String eventTime) {
        return new SinkRecord("orders", 0, null, null, DECLARED,
                new org.apache.kafka.connect.data.Struct(DECLARED).put("amount", new java.math.BigDecimal(amount))
                        .put("event_time", eventTime), 9);
    }

    @Test
    void valuesOutsideTheirDeclaredSchemaOrTheWarehouseRangeAreRefusedAndIsoTimesRead() {
        WindowAggregator aggregator = aggregator("window.size", "1m");
        assertEquals(WindowAggregator.Outcome.ADDED, aggregator.add(declared("9999999999999999.99", "2026-01-01T00:00:30Z")));
        org.apache.kafka.connect.errors.DataException wide = org.junit.jupiter.api.Assertions.assertThrows(
                org.apache.kafka.connect.errors.DataException.class,
                () -> aggregator.add(declared("12345678901234567890123.45", "2026-01-01T00:00:30Z")));
        org.junit.jupiter.api.Assertions.assertTrue(wide.getMessage().contains("orders-0@9")
                && wide.getMessage().contains("Decimal(18,2)"), wide.getMessage());
        org.apache.kafka.connect.errors.DataException far = org.junit.jupiter.api.Assertions.assertThrows(
                org.apache.kafka.connect.errors.DataException.class, () -> aggregator.add(declared("1.00", "+10000-01-01T00:00:00Z")));
        org.junit.jupiter.api.Assertions.assertTrue(far.getMessage().contains("years 1 to 9999"), far.getMessage());
        assertEquals(1, aggregator.deltas().rows().size(), "the refused records left no trace in the deltas");
    }
}
