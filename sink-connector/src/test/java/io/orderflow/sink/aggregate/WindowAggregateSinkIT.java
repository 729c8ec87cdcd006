package io.orderflow.sink.aggregate;

import io.orderflow.source.config.OrderSourceTaskConfig;
import io.orderflow.source.event.OrderEvent;
import io.orderflow.source.event.OrderStatus;
import io.orderflow.source.generator.OrderEventStream;
import io.orderflow.sink.warehouse.DuckDbDatabases;
import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.ConnectorConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.connect.runtime.rest.entities.TaskInfo;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-minute order summary in real Connect workers, configured only by REST JSON: order source (with late,
 * out-of-order events) → Filter(FieldMatches status == 'COMPLETED') → TumblingWindow(1m) → aggregate sink, 2 tasks
 * on a 4-partition topic. The summary must equal, to the cent, the aggregate computed here from the generator's
 * deterministic stream, after task restarts, a worker leaving and (PostgreSQL) a 30 s warehouse outage during which a
 * worker joins, under cooperative rebalancing.
 */
class WindowAggregateSinkIT {

    private static final long MINUTE = 60_000;

    private static ConnectStack stack;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        stack = ConnectStack.start("orderflow-aggregate-it", 2, Map.of("offset.flush.interval.ms", "2000"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Window start → {count, exact revenue} of completed orders: what a correct summary holds. */
    record Expected(TreeMap<Long, Long> counts, TreeMap<Long, BigDecimal> revenue) {
    }

    private static void startSource(String topic, int orders, int perSecond) throws InterruptedException {
        stack.createTopic(topic, 4);
        Map<String, String> config = ConnectorConfig.source(ConnectorConfig.ORDER_SOURCE, topic, 2).with(
                "max.orders", Integer.toString(orders),
                "orders.per.second", Integer.toString(perSecond),
                "event.time.start", "2026-07-01T09:58:00Z",
                "event.time.order.interval.ms", "40",
                "event.time.late.fraction", "0.05",
                "event.time.late.max.ms", "90000").toMap();
        stack.connect().configureConnector(topic + "-source", config);
        stack.connect().assertions().assertConnectorAndExactlyNumTasksAreRunning(topic + "-source", 2, "source did not start");
    }

    private static void startSummary(String name, String topic, String... options) {
        Map<String, String> config = ConnectorConfig.sink(ConnectorConfig.SUMMARY_SINK, topic, 2).withCompletedOnlyFilter().with(
                "consumer.override.isolation.level", "read_committed",
                "transforms", "completedOnly,window",
                "transforms.window.type", "io.orderflow.smt.window.TumblingWindow",
                "transforms.window.event.time.field", "event_time",
                "transforms.window.window.size", "1m",
                "flush.interval.ms", "500").with(options).toMap();
        stack.connect().configureConnector(name, config);
    }

    /** Restarts the connector and its tasks twice, then takes one of the two workers away; tasks rebalance. */
    private static void restartTwiceThenRemoveAWorker(String connector, String topic) throws InterruptedException {
        for (int restart = 0; restart < 2; restart++) {
            stack.connect().restartConnectorAndTasks(connector, false, true, false);
            Thread.sleep(2_000);
        }
        WorkerHandle leaving = stack.connect().workers().iterator().next();
        stack.connect().removeWorker(leaving);
        stack.connect().assertions().assertConnectorAndExactlyNumTasksAreRunning(connector, 2, "rebalanced");
        stack.connect().assertions().assertConnectorAndExactlyNumTasksAreRunning(topic + "-source", 2, "the source survives the worker leaving");
    }

    /** Expected events of the source's streams against what the topic holds, and both connectors' states. */
    private static String diagnosis(String topic, String summary) {
        long events = 0;
        for (TaskInfo task : stack.connect().taskConfigs(topic + "-source")) {
            OrderEventStream stream = OrderEventStream.fromStart(new OrderSourceTaskConfig(task.config()).freshGeneratorSettings());
            while (stream.hasNext()) {
                stream.next();
                events++;
            }
        }
        long committed = io.orderflow.testing.CommittedTopicReader.count(stack.bootstrapServers(), topic);
        return "the source's streams hold " + events + " events, the topic " + committed + " committed records; source "
                + stack.connect().connectorStatus(topic + "-source") + "; summary " + stack.connect().connectorStatus(summary);
    }

    /** Independently of the connectors: every completed event of every source task's deterministic stream. */
    private static Expected expected(String topic) {
        TreeMap<Long, Long> counts = new TreeMap<>();
        TreeMap<Long, BigDecimal> revenue = new TreeMap<>();
        for (TaskInfo task : stack.connect().taskConfigs(topic + "-source")) {
            OrderEventStream stream = OrderEventStream.fromStart(new OrderSourceTaskConfig(task.config()).freshGeneratorSettings());
            while (stream.hasNext()) {
                OrderEvent event = stream.next().event();
                if (event.status() == OrderStatus.COMPLETED) {
                    long window = Math.floorDiv(event.eventTimeMs(), MINUTE) * MINUTE;
                    counts.merge(window, 1L, Long::sum);
                    revenue.merge(window, event.amount(), BigDecimal::add);
                }
            }
        }
        return new Expected(counts, revenue);
    }

    /** The summary as stored; empty while the table does not exist or the warehouse is down. */
    private static Expected actual(Supplier<Connection> warehouse, String table) {
        TreeMap<Long, Long> counts = new TreeMap<>();
        TreeMap<Long, BigDecimal> revenue = new TreeMap<>();
        try (Connection db = warehouse.get(); Statement statement = db.createStatement();
             ResultSet rs = statement.executeQuery("SELECT window_start, window_end, total_orders, total_revenue, avg_order_value "
                     + "FROM " + table)) {
            while (rs.next()) {
                long start = rs.getTimestamp(1).getTime();
                assertEquals(start + MINUTE, rs.getTimestamp(2).getTime(), "one-minute windows");
                counts.put(start, rs.getLong(3));
                revenue.put(start, rs.getBigDecimal(4));
                BigDecimal average = rs.getBigDecimal(4).divide(BigDecimal.valueOf(rs.getLong(3)), 6, RoundingMode.HALF_UP);
                assertTrue(average.subtract(rs.getBigDecimal(5)).abs().compareTo(new BigDecimal("0.000001")) <= 0,
                        "avg_order_value is total_revenue / total_orders: " + average + " vs " + rs.getBigDecimal(5));
            }
        } catch (SQLException | RuntimeException notYet) {
            return new Expected(counts, revenue);
        }
        return new Expected(counts, revenue);
    }

    private static void awaitExact(Expected expected, Supplier<Expected> actual, Duration timeout) throws InterruptedException {
        awaitExact(expected, actual, timeout, () -> "");
    }

    private static void awaitExact(Expected expected, Supplier<Expected> actual, Duration timeout, Supplier<String> diagnosis)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Expected seen = actual.get();
        while (!seen.counts().equals(expected.counts())) {
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(500);
            seen = actual.get();
        }
        assertTrue(expected.counts().size() > 1, "the run covers several windows");
        Thread.sleep(3_000);   // anything counted twice would show up by now
        seen = actual.get();
        if (!expected.counts().equals(seen.counts())) {
            assertEquals(expected.counts(), seen.counts(), "total_orders per window; " + diagnosis.get());
        }
        assertEquals(expected.revenue().size(), seen.revenue().size());
        for (Map.Entry<Long, BigDecimal> window : expected.revenue().entrySet()) {
            assertEquals(0, window.getValue().compareTo(seen.revenue().get(window.getKey())),
                    "total_revenue of the window at " + window.getKey() + " to the cent");
        }
    }

    private static Connection duckdb(String path) {
        try {
            return DuckDbDatabases.connect(path);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void duckDbSummaryIsExactThroughRestartsAndAWorkerLeaving() throws Exception {
        String topic = "orders.summary.duckdb";
        String database = dir.resolve("summary.duckdb").toString();
        startSource(topic, 8_000, 400);
        startSummary("summary-duckdb", topic, "warehouse.dialect", "duckdb", "duckdb.path", database);
        Supplier<Expected> actual = () -> actual(() -> duckdb(database), "orders_minute_summary");

        awaitSome(actual);
        restartTwiceThenRemoveAWorker("summary-duckdb", topic);
        stack.connect().addWorker();

        awaitExact(expected(topic), actual, Duration.ofMinutes(3), () -> diagnosis(topic, "summary-duckdb"));
        stack.connect().deleteConnector("summary-duckdb");
        stack.connect().deleteConnector(topic + "-source");
    }

    @Test
    void postgresSummaryIsExactThroughRestartsAWorkerLeavingAndAWorkerJoiningDuringAThirtySecondOutage() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        EmbeddedPostgres.Builder server = EmbeddedPostgres.builder().setPort(port)
                .setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(false);
        EmbeddedPostgres postgres = server.start();
        String url = "jdbc:postgresql://localhost:" + port + "/postgres";
        Supplier<Expected> actual = () -> actual(() -> {
            try {
                return DriverManager.getConnection(url, "postgres", "");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, "orders_minute_summary");
        try {
            String topic = "orders.summary.postgres";
            startSource(topic, 12_000, 300);
            // Cooperative rebalancing: a rebalance keeps the batch a task holds for redelivery, less the records of
            // the partitions it loses, and the worker joining mid-outage moves a task while both hold one.
            startSummary("summary-postgres", topic, "warehouse.dialect", "postgresql", "postgresql.url", url,
                    "postgresql.user", "postgres", "consumer.override.partition.assignment.strategy",
                    "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
            awaitSome(actual);
            assertEquals("cooperative-sticky", stack.sinkPartitionAssignor("summary-postgres"));
            restartTwiceThenRemoveAWorker("summary-postgres", topic);
            postgres.close();
            Thread.sleep(10_000);
            stack.connect().addWorker();
            Thread.sleep(20_000);
            postgres = server.start();

            awaitExact(expected(topic), actual, Duration.ofMinutes(3), () -> diagnosis(topic, "summary-postgres"));
            stack.connect().deleteConnector("summary-postgres");
            stack.connect().deleteConnector(topic + "-source");
        } finally {
            postgres.close();
        }
    }

    @Test
    void badAndLateRecordsGoToTheDeadLetterQueueWithTheReason() throws Exception {
        String topic = "orders.summary.dlq";
        String database = dir.resolve("dlq.duckdb").toString();
        stack.createTopic(topic, 1);
        stack.createDeadLetterTopic(topic + ".dlq");
        long t0 = 1_767_225_600_000L;
        String[] values = {
            "{\"order_id\":\"o1\",\"amount\":\"10.10\",\"event_time\":" + (t0 + 1_000) + "}",
            "{\"order_id\":\"o2\",\"amount\":\"abc\",\"event_time\":" + (t0 + 1_500) + "}",
            "{\"order_id\":\"o3\",\"amount\":\"1.00\"}",
            "{\"order_id\":\"o4\",\"amount\":\"0.05\",\"event_time\":" + (t0 + 2_000) + "}",
            "{\"order_id\":\"o5\",\"amount\":\"1.00\",\"event_time\":" + (t0 + 600_000) + "}",
            "{\"order_id\":\"o6\",\"amount\":\"7.00\",\"event_time\":" + (t0 + 3_000) + "}"};
        for (String value : values) {
            stack.connect().kafka().produce(topic, value);
        }
        Map<String, String> config = ConnectorConfig.sink(ConnectorConfig.SUMMARY_SINK, topic, 1).with(
                "value.converter.schemas.enable", "false",
                "window.size", "1m",
                "late.policy", "dlq",
                "duckdb.path", database,
                "errors.tolerance", "all",
                "errors.deadletterqueue.topic.name", topic + ".dlq",
                "errors.deadletterqueue.topic.replication.factor", "1",
                "errors.deadletterqueue.context.headers.enable", "true").toMap();
        assertEquals(201, stack.rest("PUT", "connectors/summary-dlq/config", ConnectStack.toJson(config)).statusCode());

        java.util.List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> dead = new java.util.ArrayList<>();
        stack.connect().kafka().consume(3, Duration.ofMinutes(1).toMillis(), topic + ".dlq").forEach(dead::add);
        Map<String, String> reasons = new TreeMap<>();
        for (var record : dead) {
            String value = new String(record.value(), java.nio.charset.StandardCharsets.UTF_8);
            reasons.put(value.replaceAll(".*\"order_id\":\"(o\\d)\".*", "$1"), new String(record.headers()
                    .lastHeader("__connect.errors.exception.message").value(), java.nio.charset.StandardCharsets.UTF_8));
        }
        assertEquals(java.util.Set.of("o2", "o3", "o6"), reasons.keySet(), reasons.toString());
        assertTrue(reasons.get("o2").contains("'amount' is not a number"), reasons.get("o2"));
        assertTrue(reasons.get("o3").contains("'event_time'"), reasons.get("o3"));
        assertTrue(reasons.get("o6").contains("is late"), reasons.get("o6"));
        assertEquals(1.0, pluginMetric("summary-dlq", "late-records-total"), "the late record is counted (KIP-877 metric over JMX)");
        assertEquals(0.0, pluginMetric("summary-dlq", "late-records-dropped-total"), "late.policy=dlq drops nothing");

        TreeMap<Long, Long> counts = new TreeMap<>(Map.of(t0, 2L, t0 + 600_000, 1L));
        TreeMap<Long, BigDecimal> revenue = new TreeMap<>(Map.of(t0, new BigDecimal("10.15"), t0 + 600_000, new BigDecimal("1.00")));
        awaitExact(new Expected(counts, revenue), () -> actual(() -> duckdb(database), "orders_minute_summary"), Duration.ofMinutes(1));
        stack.connect().deleteConnector("summary-dlq");
    }

    @Test
    void withoutToleranceABadRecordFailsTheTaskNamingTheFieldAndRecord() throws Exception {
        String topic = "orders.summary.strict";
        stack.createTopic(topic, 1);
        stack.connect().kafka().produce(topic, "{\"order_id\":\"o1\",\"amount\":\"1.001\",\"event_time\":1767225600000}");
        Map<String, String> config = ConnectorConfig.sink(ConnectorConfig.SUMMARY_SINK, topic, 1).with(
                "value.converter.schemas.enable", "false",
                "window.size", "1m",
                "duckdb.path", dir.resolve("strict.duckdb").toString()).toMap();
        assertEquals(201, stack.rest("PUT", "connectors/summary-strict/config", ConnectStack.toJson(config)).statusCode());
        stack.connect().assertions().assertConnectorIsRunningAndTasksHaveFailed("summary-strict", 1, "task should fail");
        String trace = stack.connect().connectorStatus("summary-strict").tasks().get(0).trace();
        assertTrue(trace.contains("orders.summary.strict-0@0") && trace.contains("'amount' = 1.001 has more than 2 decimal places"), trace);
        stack.connect().deleteConnector("summary-strict");
    }

    /** A task's plugin metric as the worker publishes it over JMX. */
    private static double pluginMetric(String connector, String metric) throws Exception {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        for (javax.management.ObjectName name : server.queryNames(new javax.management.ObjectName("kafka.connect:type=plugins,*"), null)) {
            if (connector.equals(name.getKeyProperty("connector"))) {
                for (javax.management.MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                    if (attribute.getName().equals(metric)) {
                        return ((Number) server.getAttribute(name, metric)).doubleValue();
                    }
                }
            }
        }
        throw new AssertionError("no plugin metric " + metric + " for " + connector + " among "
                + server.queryNames(new javax.management.ObjectName("kafka.connect:type=plugins,*"), null));
    }

    private static void awaitSome(Supplier<Expected> actual) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (actual.get().counts().values().stream().mapToLong(Long::longValue).sum() < 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no summary rows within a minute");
            }
            Thread.sleep(250);
        }
    }
}
