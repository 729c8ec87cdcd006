package io.orderflow.configs;

import io.orderflow.sink.warehouse.DuckDbDatabases;
import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.TempDirectory;
import io.orderflow.testing.Resources;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jdbc source as shipped ({@code production/order-source-postgresql.json}, its credentials in a secrets file)
 * reading an order service's PostgreSQL table, feeding the shipped {@code order-lake.json} and
 * {@code order-summary.json} unchanged but for where their files go: the raw table in DuckDB must hold every row
 * version of the table once, and the per-minute summary must equal, to the cent, what SQL computes from the table.
 */
class JdbcPipelineIT {

    private static final Path CONFIGS = ShippedConfigs.FOLDER;
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    private static ConnectStack stack;
    private static EmbeddedPostgres postgres;
    private static TempDirectory workDir;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        stack = ConnectStack.start("orderflow-jdbc-pipeline", 1, ShippedConfigs.workerConfigProviders());
        postgres = EmbeddedPostgres.start();
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement sql = db.createStatement()) {
            sql.execute("CREATE ROLE orderflow_reader LOGIN PASSWORD 'reader-secret'");
            sql.execute("CREATE TABLE public.orders (id bigserial PRIMARY KEY, order_id text NOT NULL, customer_id text NOT NULL, "
                    + "amount numeric(12, 2) NOT NULL, currency text NOT NULL, status text NOT NULL, "
                    + "event_time timestamptz NOT NULL, updated_at timestamptz NOT NULL)");
            sql.execute("GRANT SELECT ON public.orders TO orderflow_reader");
        }
        workDir = TempDirectory.create("orderflow-jdbc-pipeline-");
        work = workDir.path();
        Files.createDirectories(work.resolve("secrets"));
        Files.writeString(work.resolve("secrets/orders-db.properties"), String.join("\n",
                "url=" + postgres.getJdbcUrl("orderflow_reader", "postgres"), "user=orderflow_reader", "password=reader-secret", ""));
    }

    @AfterAll
    static void stop() throws Exception {
        Resources.closeAll(stack, postgres, workDir);
    }

    private static Map<String, String> shipped(String file, Map<String, String> overrides) throws Exception {
        Map<String, String> config = ShippedConfigs.read(CONFIGS.resolve(file), work.resolve("secrets"));
        config.putAll(overrides);
        return config;
    }

    /** 600 orders created over five minutes of event time; later, 400 of them completed 20 s after they were created. */
    private static void createOrders() throws SQLException {
        try (Connection db = postgres.getPostgresDatabase().getConnection();
             PreparedStatement insert = db.prepareStatement("INSERT INTO orders (order_id, customer_id, amount, currency, status, "
                     + "event_time, updated_at) VALUES (?, ?, ?, ?, 'CREATED', ?, now())")) {
            for (int n = 0; n < 600; n++) {
                insert.setString(1, "o-" + n);
                insert.setString(2, "c-" + n % 40);
                insert.setBigDecimal(3, BigDecimal.valueOf(1_000 + n * 37 % 9_000, 2));
                insert.setString(4, n % 3 == 0 ? "USD" : "EUR");
                insert.setObject(5, OffsetDateTime.ofInstant(T0.plusMillis(n * 500L), ZoneOffset.UTC));
                insert.executeUpdate();
            }
        }
    }

    private static void completeOrders() throws SQLException {
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement sql = db.createStatement()) {
            sql.executeUpdate("UPDATE orders SET status = 'COMPLETED', event_time = event_time + interval '20 seconds', "
                    + "updated_at = now() WHERE id % 3 <> 0");
        }
    }

    private static long rawRows(String database, String where) {
        try (Connection db = DuckDbDatabases.connect(database); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT count(*), count(DISTINCT order_id || status) FROM orders_raw " + where)) {
            rs.next();
            assertEquals(rs.getLong(1), rs.getLong(2), "a row version twice in the raw table");
            return rs.getLong(1);
        } catch (SQLException notYet) {
            return 0;
        }
    }

    private static long awaitRaw(String database, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        long rows = rawRows(database, "");
        while (rows < expected && System.nanoTime() < deadline) {
            Thread.sleep(500);
            rows = rawRows(database, "");
        }
        return rows;
    }

    @Test
    void tableToKafkaToTheRawTableAndTheSummaryExactly() throws Exception {
        String database = work.resolve("warehouse.duckdb").toString();
        Map<String, String> files = Map.of("duckdb.path", database, "errors.deadletterqueue.topic.replication.factor", "1");
        stack.createTopic("orders.events", 2);
        createOrders();
        ShippedConfigs.put(stack, shipped("production/order-source-postgresql.json", Map.of()));
        ShippedConfigs.put(stack, shipped("order-lake.json", Map.of("store.url", work.resolve("lake").toUri().toString(), "duckdb.path", database,
                "errors.deadletterqueue.topic.replication.factor", "1")));
        ShippedConfigs.put(stack, shipped("order-summary.json", files));
        stack.connect().assertions().assertConnectorAndExactlyNumTasksAreRunning("order-source", 2, "source did not start");

        assertEquals(600, awaitRaw(database, 600), "every created order in the raw table once");
        completeOrders();
        assertEquals(1_000, awaitRaw(database, 1_000), "and every completion: 1,000 row versions");
        assertEquals(400, rawRows(database, "WHERE status = 'COMPLETED'"));

        TreeMap<Instant, String> expected = new TreeMap<>();
        try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT date_trunc('minute', event_time), count(*), sum(amount) FROM orders "
                     + "WHERE status = 'COMPLETED' GROUP BY 1")) {
            while (rs.next()) {
                expected.put(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getLong(2) + " / " + rs.getBigDecimal(3));
            }
        }
        TreeMap<Instant, String> summary = new TreeMap<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!summary.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            summary.clear();
            try (Connection db = DuckDbDatabases.connect(database); Statement sql = db.createStatement();
                 ResultSet rs = sql.executeQuery("SELECT epoch_ms(window_start), total_orders, total_revenue FROM orders_minute_summary")) {
                while (rs.next()) {
                    summary.put(Instant.ofEpochMilli(rs.getLong(1)), rs.getLong(2) + " / " + rs.getBigDecimal(3));
                }
            } catch (SQLException notYet) {
                summary.clear();
            }
        }
        assertEquals(expected, summary, "per-minute completed orders and revenue, to the cent");
        String shown = stack.rest("GET", "connectors/order-source/config", null).body();
        assertTrue(!shown.contains("reader-secret") && shown.contains("${file:"), shown);
        for (String name : new String[] {"order-summary", "order-lake", "order-source"}) {
            stack.connect().deleteConnector(name);
        }
    }
}
