package io.orderflow.local.bench;

import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.ConnectorConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The order source's jdbc reader (issue 15), against an embedded PostgreSQL 14 on this machine. Part 1, rows/s per
 * task, each round: a plain JDBC {@code SELECT} of the same columns in cursor order through the same driver, streamed
 * with a fetch size of 1,000 (the baseline); the reader in-process, its task polled by this thread with no worker (its
 * own work: paged queries behind the snapshot fence, conversion, records); the connector (1 task) in a real worker
 * with exactly-once source support into a LogAppendTime topic, first to last append, with 1,000 and 10,000 rows per
 * poll (one Kafka transaction each); and the generator in the same worker, the same schema, as fast as it goes: the
 * worker's own ceiling. Part 2,
 * freshness: a writer committing {@code bench.rows.per.second} (default 2,000) rows a second in transactions of 20,
 * the connector with {@code jdbc.poll.interval.ms} 100 and at its default 1,000; latency = when a read_committed
 * consumer in this JVM first sees the record − when the writer's commit returned, for {@code bench.seconds} after
 * 10 s of warm-up.
 *
 * <p>Its length is the harness: both parts and their baselines, in one file so that a reader sees every step a
 * figure in BENCHMARKS.md comes from.
 */
public final class JdbcSourceBenchmark {

    private static final String COLUMNS = "order_id, customer_id, amount, currency, status, event_time, updated_at, id";

    private JdbcSourceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("bench.rows", 500_000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        int rate = Integer.getInteger("bench.rows.per.second", 2_000);
        int seconds = Integer.getInteger("bench.seconds", 30);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start();
             ConnectStack stack = ConnectStack.start("orderflow-jdbc-bench", 1)) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            try (Connection db = DriverManager.getConnection(url, "postgres", ""); Statement sql = db.createStatement()) {
                for (String table : List.of("orders", "fresh_orders")) {
                    sql.execute("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, order_id text NOT NULL, customer_id text NOT NULL, "
                            + "amount numeric(12,2) NOT NULL, currency text NOT NULL, status text NOT NULL, "
                            + "event_time timestamptz NOT NULL, updated_at timestamptz NOT NULL)");
                    sql.execute("CREATE INDEX ON " + table + " (updated_at, id)");
                }
                sql.execute("INSERT INTO orders (order_id, customer_id, amount, currency, status, event_time, updated_at) "
                        + "SELECT 'o-' || n, 'c-' || (n % 1000), (n % 100000) / 100.0, 'EUR', 'COMPLETED', "
                        + "timestamptz '2026-07-01' + n * interval '1 ms', timestamptz '2026-07-01' + n * interval '1 ms' "
                        + "FROM generate_series(1, " + rows + ") n");
                sql.execute("VACUUM ANALYZE orders");
            }
            System.out.println("| round | plain SELECT rows/s | reader in-process rows/s | ratio | into Kafka, batch 1,000 "
                    + "| into Kafka, batch 10,000 | generator into Kafka rec/s | batch 10,000 / generator |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            for (int round = 1; round <= rounds; round++) {
                double select = plainSelect(url);
                double inProcess = inProcess(url, rows);
                double small = intoKafka(stack, url, rows, round + "a", "1000");
                double large = intoKafka(stack, url, rows, round + "b", "10000");
                double generator = generatorIntoKafka(stack, rows, round);
                System.out.printf("| %d | %,.0f | %,.0f | %.2f | %,.0f | %,.0f | %,.0f | %.2f |%n", round, select, inProcess,
                        inProcess / select, small, large, generator, large / generator);
            }
            System.out.println();
            System.out.println("| jdbc.poll.interval.ms | rows | p50 ms | p99 ms | max ms |");
            System.out.println("|---|---|---|---|---|");
            for (String interval : List.of("100", "1000")) {
                freshness(stack, url, rate, seconds, interval);
            }
        }
    }

    private static double plainSelect(String url) throws Exception {
        try (Connection db = DriverManager.getConnection(url, "postgres", "")) {
            db.setAutoCommit(false);   // the driver streams with a fetch size only inside a transaction
            long start = System.nanoTime();
            long count = 0;
            try (PreparedStatement select = db.prepareStatement("SELECT " + COLUMNS + " FROM orders ORDER BY updated_at, id")) {
                select.setFetchSize(1_000);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rs.getString(1);
                        rs.getString(2);
                        BigDecimal amount = rs.getBigDecimal(3);
                        rs.getString(4);
                        rs.getString(5);
                        rs.getObject(6, OffsetDateTime.class);
                        rs.getObject(7, OffsetDateTime.class);
                        rs.getLong(8);
                        if (amount != null) {
                            count++;
                        }
                    }
                }
            }
            db.commit();
            return count / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static Map<String, String> reader(String url, String table, String topic, String... options) {
        return ConnectorConfig.source(ConnectorConfig.ORDER_SOURCE, topic, 1).with(
                "reader", "jdbc", "jdbc.url", url, "jdbc.user", "postgres", "jdbc.table", table,
                "value.converter.decimal.format", "NUMERIC").with(options).toMap();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(ConnectStack stack, String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", stack.bootstrapServers(),
                "isolation.level", "read_committed", "key.deserializer", ByteArrayDeserializer.class.getName(),
                "value.deserializer", ByteArrayDeserializer.class.getName()));
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        return consumer;
    }

    /** The reader's own work: queries, conversion, SourceRecords, polled by this thread with no worker or Kafka. */
    private static double inProcess(String url, int rows) {
        Map<String, String> props = io.orderflow.source.config.OrderSourceTaskConfig.forTask(
                reader(url, "orders", "unused", "batch.max.records", "1000"), 0, 1, 0);
        io.orderflow.source.OrderSourceTask task = new io.orderflow.source.OrderSourceTask();
        task.initialize(new org.apache.kafka.connect.source.SourceTaskContext() {
            @Override
            public Map<String, String> configs() {
                return props;
            }

            @Override
            public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
                return null;
            }

            @Override
            public org.apache.kafka.connect.storage.OffsetStorageReader offsetStorageReader() {
                return new org.apache.kafka.connect.storage.OffsetStorageReader() {
                    @Override
                    public <T> Map<String, Object> offset(Map<String, T> partition) {
                        return null;
                    }

                    @Override
                    public <T> Map<Map<String, T>, Map<String, Object>> offsets(java.util.Collection<Map<String, T>> partitions) {
                        return Map.of();
                    }
                };
            }
        });
        long start = System.nanoTime();
        task.start(props);
        long count = 0;
        while (count < rows) {
            List<org.apache.kafka.connect.source.SourceRecord> batch = task.poll();
            count += batch == null ? 0 : batch.size();
        }
        double rate = count / ((System.nanoTime() - start) / 1e9);
        task.stop();
        return rate;
    }

    /** The ceiling of this worker: the generator writing records of the same schema, as fast as it can. */
    private static double generatorIntoKafka(ConnectStack stack, int rows, int round) throws Exception {
        String topic = "bench.generator." + round;
        stack.connect().kafka().createTopic(topic, 1, 1, Map.of("retention.ms", "-1", "message.timestamp.type", "LogAppendTime"));
        Map<String, String> config = ConnectorConfig.source(ConnectorConfig.ORDER_SOURCE, topic, 1).with(
                "orders.per.second", "0", "max.orders", Integer.toString(rows / 3), "batch.max.records", "10000",
                "value.converter.decimal.format", "NUMERIC").toMap();
        String name = "bench-generator-" + round;
        stack.connect().configureConnector(name, config);
        double rate = appendRate(stack, topic, (long) (rows / 3 * 3.2));
        stack.connect().deleteConnector(name);
        return rate;
    }

    /** Records per second over the append-time span of the topic's first {@code atLeast} records. */
    private static double appendRate(ConnectStack stack, String topic, long atLeast) {
        long first = Long.MAX_VALUE;
        long last = 0;
        long seen = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(stack, topic)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (seen < atLeast && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    first = Math.min(first, record.timestamp());
                    last = Math.max(last, record.timestamp());
                    seen++;
                }
            }
        }
        if (seen < atLeast) {
            throw new IllegalStateException("only " + seen + " of " + atLeast + " records reached " + topic);
        }
        return (seen - 1) / ((last - first) / 1e3);
    }

    private static double intoKafka(ConnectStack stack, String url, int rows, String round, String batch) throws Exception {
        String topic = "bench.jdbc." + round;
        stack.connect().kafka().createTopic(topic, 1, 1, Map.of("retention.ms", "-1", "message.timestamp.type", "LogAppendTime"));
        String name = "bench-jdbc-" + round;   // a new name: a fresh cursor (offsets are kept per connector name)
        stack.connect().configureConnector(name, reader(url, "orders", topic, "batch.max.records", batch));
        double rate = appendRate(stack, topic, rows);
        stack.connect().deleteConnector(name);
        return rate;
    }

    private static void freshness(ConnectStack stack, String url, int rate, int seconds, String pollInterval) throws Exception {
        String topic = "bench.fresh." + pollInterval;
        stack.connect().kafka().createTopic(topic, 1, 1, Map.of("retention.ms", "-1"));
        stack.connect().configureConnector("fresh-jdbc", reader(url, "fresh_orders", topic, "jdbc.poll.interval.ms", pollInterval));
        Map<String, Long> committedAt = new ConcurrentHashMap<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        long measureFrom = System.currentTimeMillis() + 10_000;
        long measureTo = measureFrom + seconds * 1000L;
        Thread writer = new Thread(() -> write(url, rate, writing, committedAt, pollInterval), "fresh-writer");
        writer.start();
        Latencies latencies = new Latencies();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(stack, topic)) {
            while (System.currentTimeMillis() < measureTo + 5_000) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.currentTimeMillis();
                    Long committed = committedAt.get(new String(record.key(), StandardCharsets.UTF_8));
                    if (committed != null && committed >= measureFrom && committed < measureTo) {
                        latencies.add(now - committed);
                    }
                }
                if (System.currentTimeMillis() > measureTo) {
                    writing.set(false);
                }
            }
        }
        writing.set(false);
        writer.join();
        stack.connect().deleteConnector("fresh-jdbc");
        System.out.printf("| %s | %s |%n", pollInterval, latencies.p50p99Max());
    }

    /** Transactions of 20 rows, paced to {@code rate} rows a second; each row's commit time kept by its order id. */
    private static void write(String url, int rate, AtomicBoolean writing, Map<String, Long> committedAt, String run) {
        int perTransaction = 20;
        long intervalNanos = 1_000_000_000L * perTransaction / rate;
        try (Connection db = DriverManager.getConnection(url, "postgres", "");
             PreparedStatement insert = db.prepareStatement("INSERT INTO fresh_orders (order_id, customer_id, amount, currency, "
                     + "status, event_time, updated_at) VALUES (?, 'c', 1.00, 'EUR', 'COMPLETED', now(), now())")) {
            db.setAutoCommit(false);
            long next = System.nanoTime();
            long n = 0;
            while (writing.get()) {
                List<String> ids = new ArrayList<>(perTransaction);
                for (int i = 0; i < perTransaction; i++) {
                    String id = "f" + run + "-" + n++;
                    insert.setString(1, id);
                    insert.addBatch();
                    ids.add(id);
                }
                insert.executeBatch();
                db.commit();
                long now = System.currentTimeMillis();
                ids.forEach(id -> committedAt.put(id, now));
                next += intervalNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
