package io.orderflow.local.bench;

import io.orderflow.testing.ConnectorConfig;
import io.orderflow.testing.TempDirectory;
import io.apicurio.registry.utils.converter.avro.AvroData;
import io.orderflow.sink.lake.config.LakeSinkConfig;
import io.orderflow.sink.lake.format.LocalParquetFile;
import io.orderflow.sink.warehouse.DuckDbDatabases;
import io.orderflow.sink.warehouse.DuckDbLoader;
import io.orderflow.sink.warehouse.PostgresLoader;
import io.orderflow.common.sql.TableName;
import io.orderflow.sink.warehouse.WarehouseLoader;
import io.orderflow.source.event.AmountType;
import io.orderflow.source.event.OrderEvent;
import io.orderflow.source.event.OrderEventSchema;
import io.orderflow.testing.ConnectStack;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.postgresql.PGConnection;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Warehouse loading (issue 6). Part 1, load throughput: the same Parquet files of order events loaded by the
 * connector's loaders (load history, table checks, one transaction per file) next to the engine's own fastest path
 * on the same files in the same run — DuckDB {@code INSERT ... SELECT * FROM read_parquet}, PostgreSQL
 * {@code COPY FROM STDIN} of CSV rendered beforehand. Part 2, freshness: the order source at
 * {@code bench.orders.per.second} (default 5,000) into a LogAppendTime topic, the lake sink with a 1 s wall-clock
 * rotation loading DuckDB, then PostgreSQL; for every row, the time from the broker appending the record to the
 * benchmark seeing its file in the load history (polled every 20 ms).
 *
 * <p>Its length is the harness: both parts and their baselines, in one file so that a reader sees every step a
 * figure in BENCHMARKS.md comes from.
 */
public final class WarehouseBenchmark {

    private static final String TOPIC = "bench.orders";

    private WarehouseBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int files = Integer.getInteger("bench.files", 10);
        int rowsPerFile = Integer.getInteger("bench.rows.per.file", 50_000);
        int ordersPerSecond = Integer.getInteger("bench.orders.per.second", 5_000);
        int seconds = Integer.getInteger("bench.seconds", 45);
        try (TempDirectory workDir = TempDirectory.create("warehouse-bench-");
             EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            Path work = workDir.path();
            String pgUrl = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            List<String> csv = new ArrayList<>();
            List<Path> parquet = writeFiles(work.resolve("files"), files, rowsPerFile, csv);
            long rows = (long) files * rowsPerFile;
            System.out.printf("%n== load throughput: %d files x %,d order events%n", files, rowsPerFile);
            System.out.println("| warehouse | engine's own path rows/s | orderflow loader rows/s | ratio |");
            System.out.println("|---|---|---|---|");
            for (int round = 0; round < 2; round++) {   // the first round warms up and is not printed
                String suffix = "_" + round;
                double duckBase = rows / time(() -> duckDbBaseline(work.resolve("base" + suffix + ".duckdb"), parquet));
                double duckLoader = rows / time(() -> loadAll(new DuckDbLoader(work.resolve("l" + suffix + ".duckdb").toString(),
                        TableName.parse("orders_raw"), true, true), parquet, suffix));
                double pgBase = rows / postgresBaselineSeconds(pgUrl, "base" + suffix, csv);
                double pgLoader = rows / time(() -> loadAll(new PostgresLoader(pgUrl, "postgres", "",
                        TableName.parse("loaded" + suffix), true, true), parquet, suffix));
                if (round == 1) {
                    System.out.printf("| DuckDB 1.5 | %,.0f | %,.0f | %.2f |%n", duckBase, duckLoader, duckLoader / duckBase);
                    System.out.printf("| PostgreSQL 14 (embedded) | %,.0f | %,.0f | %.2f |%n", pgBase, pgLoader, pgLoader / pgBase);
                }
            }
            try (ConnectStack stack = ConnectStack.start("orderflow-warehouse-bench", 1)) {
                stack.connect().kafka().createTopic(TOPIC, 1, 1, Map.of("retention.ms", "-1",
                        "message.timestamp.type", "LogAppendTime"));
                startSource(stack, ordersPerSecond);
                System.out.printf("%n== freshness at %,d orders/s, rotate.schedule.interval.ms=1000, %d s measured after 15 s%n",
                        ordersPerSecond, seconds);
                System.out.println("| warehouse | rows | p50 ms | p99 ms | max ms |");
                System.out.println("|---|---|---|---|---|");
                Path duckDb = work.resolve("fresh.duckdb");
                freshness(stack, work.resolve("lake-duckdb"), seconds, "DuckDB", () -> DuckDbDatabases.connect(duckDb.toString()),
                        "warehouse.dialect", "duckdb", "duckdb.path", duckDb.toString());
                freshness(stack, work.resolve("lake-pg"), seconds, "PostgreSQL",
                        () -> DriverManager.getConnection(pgUrl, "postgres", ""),
                        "warehouse.dialect", "postgresql", "postgresql.url", pgUrl, "postgresql.user", "postgres");
            }
        }
    }

    interface Action {
        void run() throws Exception;
    }

    interface ConnectionSource {
        Connection open() throws SQLException;
    }

    private static double time(Action action) throws Exception {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static List<Path> writeFiles(Path dir, int files, int rowsPerFile, List<String> csv) throws Exception {
        Files.createDirectories(dir);
        java.util.Iterator<OrderEvent> events = BenchSource.events();
        LakeSinkConfig config = new LakeSinkConfig(Map.of("store.url", dir.toUri().toString()));
        List<Path> paths = new ArrayList<>();
        for (int f = 0; f < files; f++) {
            Path file = dir.resolve("orders+0+" + f + ".parquet");
            StringBuilder text = new StringBuilder();
            try (LocalParquetFile writer = new LocalParquetFile(file, OrderEventSchema.valueSchema(AmountType.DECIMAL),
                    new AvroData(16), config.file())) {
                for (int i = 0; i < rowsPerFile; i++) {
                    OrderEvent event = events.next();
                    writer.write(OrderEventSchema.toStruct(event, AmountType.DECIMAL));
                    text.append(event.orderId()).append(',').append(event.customerId()).append(',')
                            .append(event.amount().toPlainString()).append(',').append(event.currency()).append(',')
                            .append(event.status()).append(',').append(java.time.Instant.ofEpochMilli(event.eventTimeMs())).append('\n');
                }
            }
            csv.add(text.toString());
            paths.add(file);
        }
        return paths;
    }

    /** Each round loads under its own keys, as the load history would otherwise skip the files. */
    private static void loadAll(WarehouseLoader loader, List<Path> files, String round) {
        try (loader) {
            for (Path file : files) {
                if (!loader.load(round + "/" + file.getFileName(), file)) {
                    throw new IllegalStateException(file + " was not loaded");
                }
            }
        }
    }

    private static void duckDbBaseline(Path database, List<Path> files) throws SQLException {
        try (Connection db = DuckDbDatabases.connect(database.toString()); Statement statement = db.createStatement()) {
            statement.execute("CREATE TABLE base AS SELECT * FROM read_parquet('" + files.get(0) + "') LIMIT 0");
            for (Path file : files) {
                statement.execute("INSERT INTO base SELECT * FROM read_parquet('" + file + "')");
            }
        }
    }

    /** The server's own limit: COPY of CSV rendered before the clock starts, one transaction per file. */
    private static double postgresBaselineSeconds(String url, String table, List<String> csv) throws SQLException, java.io.IOException {
        try (Connection db = DriverManager.getConnection(url, "postgres", ""); Statement statement = db.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (order_id TEXT, customer_id TEXT, amount NUMERIC(18,2), currency TEXT, "
                    + "status TEXT, event_time TIMESTAMPTZ)");
            long start = System.nanoTime();
            db.setAutoCommit(false);
            for (String text : csv) {
                db.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN WITH (FORMAT csv)",
                        new StringReader(text));
                db.commit();
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static void startSource(ConnectStack stack, int ordersPerSecond) {
        Map<String, String> source = BenchSource.connectorConfig(TOPIC);
        source.put("orders.per.second", Integer.toString(ordersPerSecond));
        stack.connect().configureConnector("bench-source", source);
    }

    /** Runs a lake sink into one warehouse and reports append-to-visible latency over every row of the window. */
    private static void freshness(ConnectStack stack, Path lake, int seconds, String label, ConnectionSource warehouse,
                                  String... options) throws Exception {
        String name = "bench-lake-" + label.toLowerCase();
        Map<String, String> config = ConnectorConfig.sink(ConnectorConfig.LAKE_SINK, TOPIC, 1).with(
                "value.converter.decimal.format", "NUMERIC",
                "consumer.override.isolation.level", "read_committed",
                "consumer.override.auto.offset.reset", "latest",
                "store.url", lake.toUri().toString(),
                "flush.size", "100000000",
                "rotate.schedule.interval.ms", "1000",
                "warehouse.table", "orders_fresh",
                "transforms", "appendTime",
                "transforms.appendTime.type", "org.apache.kafka.connect.transforms.InsertField$Value",
                "transforms.appendTime.timestamp.field", "appended_at").with(options).toMap();
        stack.connect().configureConnector(name, config);
        long measureFrom = System.currentTimeMillis() + 15_000;
        long measureTo = measureFrom + seconds * 1000L;
        Latencies latencies = new Latencies();
        Set<String> seen = new HashSet<>();
        try (Connection db = warehouse.open()) {
            while (System.currentTimeMillis() < measureTo + 3_000) {
                for (String file : newFiles(db, seen)) {
                    long visible = System.currentTimeMillis();
                    for (long appended : appendTimes(lake.resolve(file))) {
                        if (appended >= measureFrom && appended < measureTo) {
                            latencies.add(visible - appended);
                        }
                    }
                }
                Thread.sleep(20);
            }
        }
        stack.connect().deleteConnector(name);
        System.out.printf("| %s | %s |%n", label, latencies.p50p99Max());
    }

    private static List<String> newFiles(Connection db, Set<String> seen) throws SQLException {
        List<String> fresh = new ArrayList<>();
        try (Statement statement = db.createStatement()) {
            statement.execute("SELECT 1");   // the table appears with the first load
            try (ResultSet rs = statement.executeQuery("SELECT file FROM \"_orderflow_load_history\" WHERE file LIKE '" + TOPIC + "/%'")) {
                while (rs.next()) {
                    if (seen.add(rs.getString(1))) {
                        fresh.add(rs.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).toLowerCase().contains("does not exist")) {
                throw e;
            }
        }
        return fresh;
    }

    private static List<Long> appendTimes(Path file) throws Exception {
        List<Long> times = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file),
                new PlainParquetConfiguration()).build()) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                Object appended = r.get("appended_at");
                times.add(appended instanceof java.time.Instant instant ? instant.toEpochMilli() : (Long) appended);
            }
        }
        return times;
    }

}
