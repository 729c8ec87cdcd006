package io.orderflow.local.bench;

import io.orderflow.testing.ConnectorConfig;
import io.orderflow.testing.TempDirectory;
import io.orderflow.sink.aggregate.WindowAggregateSinkTask;
import io.orderflow.sink.warehouse.DuckDbDatabases;
import io.orderflow.source.event.AmountType;
import io.orderflow.source.event.OrderEvent;
import io.orderflow.source.event.OrderEventSchema;
import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.WorkerlessSinkTaskContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The aggregate sink (issue 7). Part 1, records/s per task: {@code WindowAggregateSinkTask} driven in this JVM on
 * order events already converted (as the worker hands them over), flushing every 500 ms into DuckDB, then
 * PostgreSQL, next to a plain loop folding the same records into a HashMap of exact per-minute sums (the floor of
 * any aggregation). Part 2, the connector in a real worker from a pre-filled topic into DuckDB, JsonConverter
 * included. Part 3, freshness at {@code bench.orders.per.second}: for every record, from the broker appending it
 * (LogAppendTime) to the offsets table, committed in the same transaction as the window deltas, covering it
 * (polled every 20 ms).
 *
 * <p>Its length is the harness: both parts and their baselines, in one file so that a reader sees every step a
 * figure in BENCHMARKS.md comes from.
 */
public final class AggregateBenchmark {

    private static final String TOPIC = "bench.orders";
    private static final long MINUTE = 60_000;

    private AggregateBenchmark() {
    }

    interface ConnectionSource {
        Connection open() throws SQLException;
    }

    public static void main(String[] args) throws Exception {
        int events = Integer.getInteger("bench.events", 1_000_000);
        int ordersPerSecond = Integer.getInteger("bench.orders.per.second", 5_000);
        int seconds = Integer.getInteger("bench.seconds", 45);
        try (TempDirectory workDir = TempDirectory.create("aggregate-bench-");
             EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            Path work = workDir.path();
            String pgUrl = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            List<SinkRecord> records = orderEvents(events);
            System.out.printf("%n== records/s per task, %,d order events already converted, flush.interval.ms=500%n", events);
            System.out.println("| round | HashMap fold (baseline) rec/s | task into DuckDB rec/s | ratio | task into PostgreSQL rec/s | ratio |");
            System.out.println("|---|---|---|---|---|---|");
            for (int round = 0; round < 4; round++) {   // the first round warms up and is not printed
                double fold = records.size() / time(() -> fold(records));
                double duck = records.size() / time(() -> drive(records, Map.of("warehouse.dialect", "duckdb",
                        "duckdb.path", work.resolve("put.duckdb").toString())));
                double pg = records.size() / time(() -> drive(records, Map.of("warehouse.dialect", "postgresql",
                        "postgresql.url", pgUrl, "postgresql.user", "postgres")));
                if (round > 0) {
                    System.out.printf("| %d | %,.0f | %,.0f | %.2f | %,.0f | %.2f |%n", round, fold, duck, duck / fold, pg, pg / fold);
                }
            }
            try (ConnectStack stack = ConnectStack.start("orderflow-aggregate-bench", 1)) {
                System.out.printf("%n== in a worker from a pre-filled topic, DuckDB, one task%n");
                System.out.println("| value converter | offsets | rec/s per task |");
                System.out.println("|---|---|---|");
                inWorker(stack, work, Integer.getInteger("bench.worker.events", 500_000), true);
                inWorker(stack, work, Integer.getInteger("bench.worker.events", 500_000), false);
                System.out.printf("%n== freshness at %,d orders/s, flush.interval.ms=500, %d s measured after 15 s%n",
                        ordersPerSecond, seconds);
                System.out.println("| warehouse | records | p50 ms | p99 ms | max ms | goal |");
                System.out.println("|---|---|---|---|---|---|");
                stack.connect().kafka().createTopic("fresh.orders", 1, 1, Map.of("retention.ms", "-1",
                        "message.timestamp.type", "LogAppendTime"));
                Map<String, String> source = BenchSource.connectorConfig("fresh.orders");
                source.put("orders.per.second", Integer.toString(ordersPerSecond));
                stack.connect().configureConnector("fresh-source", source);
                Path duckDb = work.resolve("fresh.duckdb");
                freshness(stack, "DuckDB", seconds, () -> DuckDbDatabases.connect(duckDb.toString()),
                        "warehouse.dialect", "duckdb", "duckdb.path", duckDb.toString());
                freshness(stack, "PostgreSQL", seconds, () -> DriverManager.getConnection(pgUrl, "postgres", ""),
                        "warehouse.dialect", "postgresql", "postgresql.url", pgUrl, "postgresql.user", "postgres");
            }
        }
    }

    interface Action {
        void run() throws Exception;
    }

    private static double time(Action action) throws Exception {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static List<SinkRecord> orderEvents(int count) {
        java.util.Iterator<OrderEvent> events = BenchSource.events();
        List<SinkRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            OrderEvent event = events.next();
            records.add(new SinkRecord(TOPIC, 0, null, event.orderId(), OrderEventSchema.valueSchema(AmountType.DECIMAL),
                    OrderEventSchema.toStruct(event, AmountType.DECIMAL), i));
        }
        return records;
    }

    /** The floor: exact per-minute counts and sums in a HashMap, nothing else. */
    private static void fold(List<SinkRecord> records) {
        Map<Long, BigDecimal> sums = new HashMap<>();
        Map<Long, Long> counts = new HashMap<>();
        for (SinkRecord record : records) {
            org.apache.kafka.connect.data.Struct value = (org.apache.kafka.connect.data.Struct) record.value();
            long minute = Math.floorDiv(((java.util.Date) value.get("event_time")).getTime(), MINUTE) * MINUTE;
            sums.merge(minute, (BigDecimal) value.get("amount"), BigDecimal::add);
            counts.merge(minute, 1L, Long::sum);
        }
        if (sums.size() != counts.size()) {
            throw new IllegalStateException();
        }
    }

    private static int runs;

    private static void drive(List<SinkRecord> records, Map<String, String> warehouse) {
        Map<String, String> props = new HashMap<>(warehouse);
        props.put("name", "bench-" + (runs++));
        props.put("window.size", "1m");
        props.put("flush.interval.ms", "500");
        WindowAggregateSinkTask task = new WindowAggregateSinkTask();
        task.initialize(new WorkerlessSinkTaskContext());
        task.start(props);
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        task.open(List.of(tp));
        for (int from = 0; from < records.size(); from += 2_000) {
            task.put(records.subList(from, Math.min(records.size(), from + 2_000)));
        }
        Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed = task.preCommit(Map.of());
        if (committed.get(tp).offset() != records.size()) {
            throw new IllegalStateException("the task stored " + committed + ", not every record");
        }
        task.close(List.of(tp));
        task.stop();
    }

    private static Map<String, String> sinkConfig(String name, String topic, String... options) {
        Map<String, String> config = ConnectorConfig.sink(ConnectorConfig.SUMMARY_SINK, topic, 1).with(
                "value.converter.decimal.format", "NUMERIC",
                "consumer.override.isolation.level", "read_committed",
                "window.size", "1m",
                "flush.interval.ms", "500",
                "warehouse.table", name.replace('-', '_')).with(options).toMap();
        return config;
    }

    /**
     * The connector in the worker, converter included: from the first stored offset to the one covering all. With
     * {@code schemas} false the source writes and the sink reads JSON without the schema envelope (amount as a
     * JSON number, event_time as epoch millis), which shows what the envelope costs.
     */
    private static void inWorker(ConnectStack stack, Path work, int target, boolean schemas) throws Exception {
        String topic = schemas ? "prefilled.orders" : "prefilled.orders.schemaless";
        stack.connect().kafka().createTopic(topic, 1, 1, Map.of("retention.ms", "-1"));
        Map<String, String> converter = Map.of("value.converter.schemas.enable", Boolean.toString(schemas));
        long end = BenchSource.prefill(stack, topic, target, converter);
        Path database = work.resolve("worker-" + schemas + ".duckdb");
        Map<String, String> sink = sinkConfig("worker-summary", topic, "warehouse.dialect", "duckdb", "duckdb.path", database.toString());
        sink.putAll(converter);
        stack.connect().configureConnector("worker-summary", sink);
        long firstNanos = 0;
        long firstOffset = 0;
        long offset = 0;
        long lastNanos;
        try (Connection db = DuckDbDatabases.connect(database.toString())) {
            while (true) {
                offset = storedOffset(db);
                long now = System.nanoTime();
                if (offset > 0 && firstNanos == 0) {
                    firstNanos = now;
                    firstOffset = offset;
                }
                if (offset >= end - 2) {   // the source's last transaction marker has no record behind it
                    lastNanos = now;
                    break;
                }
                Thread.sleep(20);
            }
        }
        stack.connect().deleteConnector("worker-summary");
        System.out.printf("| JsonConverter, schemas.enable=%s | %,d | %,.0f |%n", schemas, end,
                (offset - firstOffset) / ((lastNanos - firstNanos) / 1e9));
    }

    private static long storedOffset(Connection db) {
        try (Statement statement = db.createStatement();
             ResultSet rs = statement.executeQuery("SELECT max(next_offset) FROM \"_orderflow_aggregate_offsets\"")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException tableNotThereYet) {
            return 0;
        }
    }

    /** Append-to-visible latency of every record in the window, from the stored offset's progress. */
    private static void freshness(ConnectStack stack, String label, int seconds, ConnectionSource warehouse,
                                  String... options) throws Exception {
        String name = "fresh-" + label.toLowerCase();
        Map<String, String> config = sinkConfig(name, "fresh.orders", options);
        config.put("consumer.override.auto.offset.reset", "latest");
        stack.connect().configureConnector(name, config);
        long measureFrom = System.currentTimeMillis() + 15_000;
        long measureTo = measureFrom + seconds * 1000L;
        TreeMap<Long, Long> visibleAt = new TreeMap<>();   // stored offset -> first time seen
        try (Connection db = warehouse.open()) {
            long last = -1;
            while (System.currentTimeMillis() < measureTo + 3_000) {
                long offset = storedOffset(db, name);
                if (offset > last) {
                    visibleAt.put(offset, System.currentTimeMillis());
                    last = offset;
                }
                Thread.sleep(20);
            }
        }
        stack.connect().deleteConnector(name);
        long endOffset = visibleAt.isEmpty() ? 0 : visibleAt.lastKey();
        Latencies latencies = new Latencies();
        Map<String, Object> props = Map.of("bootstrap.servers", stack.bootstrapServers(), "isolation.level", "read_committed",
                "key.deserializer", ByteArrayDeserializer.class.getName(), "value.deserializer", ByteArrayDeserializer.class.getName());
        TopicPartition partition = new TopicPartition("fresh.orders", 0);
        // Only this run's stretch of the topic: the source has been writing all along.
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, visibleAt.isEmpty() ? 0 : visibleAt.firstKey());
            while (consumer.position(partition) < endOffset) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    if (record.timestamp() >= measureFrom && record.timestamp() < measureTo && record.offset() < endOffset) {
                        latencies.add(visibleAt.higherEntry(record.offset()).getValue() - record.timestamp());
                    }
                }
            }
        }
        System.out.printf("| %s | %s | p99 <= 1,000 ms |%n", label, latencies.p50p99Max());
    }

    private static long storedOffset(Connection db, String connector) {
        try (java.sql.PreparedStatement query = db.prepareStatement(
                "SELECT next_offset FROM \"_orderflow_aggregate_offsets\" WHERE connector = ?")) {
            query.setString(1, connector);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("does not exist")) {
                return 0;
            }
            throw new IllegalStateException(e);
        }
    }

}
