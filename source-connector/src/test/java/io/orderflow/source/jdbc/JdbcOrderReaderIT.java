package io.orderflow.source.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.testing.CommittedTopicReader;
import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.ConnectorConfig;
import io.orderflow.testing.Resources;
import io.orderflow.testing.TempDirectory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jdbc reader against a real PostgreSQL server, in a real Connect worker with exactly-once source support,
 * configured over REST. While an order service writes — transactions held open for seconds that commit after later
 * ones, with lower ids and earlier timestamps — the snapshot-fenced connector (two tasks) is restarted twice, and a
 * read_committed consumer must then see every committed row version exactly once. A second connector on the same
 * workload, with the plain timestamp+id cursor (safety-lag fence, lag 0), must miss some: the fence is what matters.
 */
class JdbcOrderReaderIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedPostgres postgres;
    private static ConnectStack stack;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.start();
        try (Connection db = postgres.getPostgresDatabase().getConnection()) {
            OrdersTableWriter.createTables(db);
        }
        stack = ConnectStack.start("orderflow-jdbc-it", 1);
    }

    @AfterAll
    static void stop() throws Exception {
        Resources.closeAll(stack, postgres);
    }

    private static Connection connect() {
        try {
            return postgres.getPostgresDatabase().getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> reader(String topic, int tasks, String... options) {
        return ConnectorConfig.source(ConnectorConfig.ORDER_SOURCE, topic, tasks).with(
                "reader", "jdbc",
                "jdbc.url", postgres.getJdbcUrl("postgres", "postgres"),
                "jdbc.user", "postgres",
                "jdbc.table", "public.orders",
                "jdbc.poll.interval.ms", "200",
                "batch.max.records", "200",
                "value.converter.decimal.format", "NUMERIC",
                "exactly.once.support", "required").with(options).toMap();
    }

    /** order_id/STATUS of every record in the topic, as a read_committed consumer sees it. */
    private static List<String> versions(String topic, int expected, Duration patience) {
        List<String> versions = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : CommittedTopicReader.read(stack.bootstrapServers(), topic, expected,
                patience, Duration.ofSeconds(5), count -> { })) {
            try {
                JsonNode value = JSON.readTree(record.value()).path("payload");
                versions.add(value.path("order_id").asText() + "/" + value.path("status").asText());
                assertEquals(value.path("order_id").asText(), new String(record.key(), java.nio.charset.StandardCharsets.UTF_8));
                assertEquals(value.path("event_time").asLong(), record.timestamp(), "the Kafka timestamp is the row's event time");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return versions;
    }

    private static Map<String, Integer> counts(List<String> versions) {
        Map<String, Integer> counts = new TreeMap<>();
        versions.forEach(v -> counts.merge(v, 1, Integer::sum));
        return counts;
    }

    @Test
    void everyCommittedRowVersionArrivesExactlyOnceThroughLateCommitsAndRestartsWhereAPlainCursorSkipsSome() throws Exception {
        stack.createTopic("orders.jdbc", 4);
        stack.createTopic("orders.jdbc.plain", 1);
        List<String> history;
        try (OrdersTableWriter writer = new OrdersTableWriter(JdbcOrderReaderIT::connect).start(6, 25, 12)) {
            stack.connect().configureConnector("jdbc-orders", reader("orders.jdbc", 2));
            stack.connect().configureConnector("jdbc-plain", reader("orders.jdbc.plain", 1,
                    "jdbc.cursor.fence", "safety-lag", "jdbc.cursor.safety.lag.ms", "0"));
            stack.connect().assertions().assertConnectorAndExactlyNumTasksAreRunning("jdbc-orders", 2, "jdbc reader did not start");
            for (int restart = 0; restart < 2; restart++) {
                Thread.sleep(10_000);
                stack.connect().restartConnectorAndTasks("jdbc-orders", false, true, false);
            }
            Thread.sleep(12_000);
            assertTrue(writer.lateCommits() >= 10, "the workload has late commits: " + writer.lateCommits());
        }
        try (Connection db = connect()) {
            history = OrdersTableWriter.history(db);
        }
        assertTrue(history.size() > 500, "a real workload: " + history.size() + " row versions");

        Map<String, Integer> expected = counts(history);
        Map<String, Integer> fenced = counts(versions("orders.jdbc", history.size(), Duration.ofMinutes(2)));
        Map<String, Integer> missing = new TreeMap<>();
        Map<String, Integer> twice = new TreeMap<>();
        expected.forEach((version, n) -> {
            if (!fenced.containsKey(version)) {
                missing.put(version, n);
            }
        });
        fenced.forEach((version, n) -> {
            if (n > 1 || !expected.containsKey(version)) {
                twice.put(version, n);
            }
        });
        assertEquals(Map.of(), missing, "committed row versions the snapshot-fenced reader never emitted");
        assertEquals(Map.of(), twice, "row versions emitted more than once (or never committed)");
        stack.connect().assertions().assertConnectorAndExactlyNumTasksAreRunning("jdbc-orders", 2, "still RUNNING");

        Map<String, Integer> plain = counts(versions("orders.jdbc.plain", history.size(), Duration.ofSeconds(15)));
        long skipped = expected.keySet().stream().filter(version -> !plain.containsKey(version)).count();
        assertTrue(skipped > 0, "the plain timestamp+id cursor skips rows of late commits; it skipped none of "
                + history.size() + ", so this workload does not test the fence");
        System.out.printf("jdbc reader: %d committed row versions; snapshot fence emitted each once; plain cursor "
                + "skipped %d%n", history.size(), skipped);
        stack.connect().deleteConnector("jdbc-orders");
        stack.connect().deleteConnector("jdbc-plain");
    }

    private static void insertOrders(String url, int from, int to) throws SQLException {
        try (Connection db = java.sql.DriverManager.getConnection(url, "postgres", "");
             java.sql.PreparedStatement insert = db.prepareStatement("INSERT INTO orders (order_id, customer_id, amount, "
                     + "currency, status, event_time, updated_at) VALUES (?, 'c', 1.00, 'EUR', 'CREATED', now(), now())")) {
            for (int n = from; n < to; n++) {
                insert.setString(1, "ops-" + n);
                insert.executeUpdate();
            }
        }
    }

    @Test
    void theReaderOutlivesADatabaseRestartAndAnOperatorMovesItsCursorOverRest() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // The server is restarted on the same data, so the directory is this test's to keep and to delete.
        TempDirectory data = TempDirectory.create("orderflow-jdbc-ops-");
        EmbeddedPostgres.Builder server = EmbeddedPostgres.builder().setPort(port).setDataDirectory(data.path())
                .setCleanDataDirectory(false);
        EmbeddedPostgres ops = server.start();
        String url = "jdbc:postgresql://localhost:" + port + "/postgres";
        try {
            try (Connection db = java.sql.DriverManager.getConnection(url, "postgres", "")) {
                OrdersTableWriter.createTables(db);
            }
            insertOrders(url, 0, 100);
            stack.createTopic("orders.ops", 1);
            Map<String, String> config = new java.util.HashMap<>(reader("orders.ops", 1, "jdbc.url", url,
                    "jdbc.retry.backoff.ms", "200", "jdbc.retry.backoff.max.ms", "2000"));
            stack.connect().configureConnector("jdbc-ops", config);
            assertEquals(100, versions("orders.ops", 100, Duration.ofMinutes(1)).size());

            ops.close();
            Thread.sleep(10_000);
            ops = server.start();
            insertOrders(url, 100, 150);
            List<String> all = versions("orders.ops", 150, Duration.ofMinutes(1));
            assertEquals(150, all.size(), "every row once through the outage");
            assertEquals(150, counts(all).size());
            stack.connect().assertions().assertConnectorAndExactlyNumTasksAreRunning("jdbc-ops", 1, "RUNNING through the outage");

            String timestamp;
            try (Connection db = java.sql.DriverManager.getConnection(url, "postgres", "");
                 Statement sql = db.createStatement();
                 java.sql.ResultSet rs = sql.executeQuery("SELECT updated_at FROM orders WHERE order_id = 'ops-120'")) {
                rs.next();
                timestamp = rs.getObject(1, java.time.OffsetDateTime.class).toInstant().toString();
            }
            assertEquals(204, stack.rest("PUT", "connectors/jdbc-ops/stop", null).statusCode());
            stack.connect().assertions().assertConnectorIsStopped("jdbc-ops", "stopped for the offset change");
            String partition = "{\"reader\":\"jdbc\",\"table\":\"public.orders\",\"task\":0,\"tasks\":1}";
            var refused = stack.rest("PATCH", "connectors/jdbc-ops/offsets",
                    "{\"offsets\":[{\"partition\":" + partition + ",\"offset\":{\"timestamp\":\"yesterday\"}}]}");
            assertEquals(500, refused.statusCode(), refused.body());   // the worker answers 500 for any refusal by the connector
            assertTrue(refused.body().contains("ISO-8601"), refused.body());
            var moved = stack.rest("PATCH", "connectors/jdbc-ops/offsets",
                    "{\"offsets\":[{\"partition\":" + partition + ",\"offset\":{\"timestamp\":\"" + timestamp + "\"}}]}");
            assertEquals(200, moved.statusCode(), moved.body());
            assertEquals(202, stack.rest("PUT", "connectors/jdbc-ops/resume", null).statusCode());
            List<String> replayed = versions("orders.ops", 180, Duration.ofMinutes(1));
            Map<String, Integer> counts = counts(replayed);
            assertEquals(180, replayed.size(), "the 30 rows from ops-120 on are read again, and nothing else");
            for (int n = 0; n < 150; n++) {
                assertEquals(n >= 120 ? 2 : 1, counts.get("ops-" + n + "/CREATED"), "ops-" + n);
            }
            stack.connect().deleteConnector("jdbc-ops");
        } finally {
            Resources.closeAll(ops, data);
        }
    }
}
