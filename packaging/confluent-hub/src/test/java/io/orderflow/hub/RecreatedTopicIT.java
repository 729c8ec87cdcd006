package io.orderflow.hub;

import io.orderflow.hub.ExpectedOrders.Event;
import io.orderflow.testing.CommittedTopicReader;
import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.Resources;
import io.orderflow.testing.S3ProxyServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A topic deleted and created again under the same name while both sinks run in an installed worker process (the
 * archive on its {@code plugin.path}, the shipped configs over REST, S3Proxy as the lake, a real PostgreSQL server as
 * the warehouse). The new log starts its offsets over, below where both sinks hold the old one: they used to take its
 * records for ones they held and pass over them, RUNNING. Now each task stops, naming the partition, both offsets and
 * the remedy; the remedy it names brings the new log into the raw table and the summary exactly once, beside the old.
 */
class RecreatedTopicIT {

    private static final String TOPIC = "orders.events";
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    @TempDir
    static Path work;

    private static ConnectStack stack;
    private static S3ProxyServer s3;
    private static EmbeddedPostgres postgres;
    private static String postgresUrl;
    private static InstalledWorker connect;

    @BeforeAll
    static void startTheStack() throws Exception {
        stack = ConnectStack.start("recreated", 1);
        stack.createTopic(TOPIC, 2);
        s3 = S3ProxyServer.start();
        s3.createBucket("lake");
        int pgPort = InstalledPlugin.freePort();
        postgres = EmbeddedPostgres.builder().setPort(pgPort).setDataDirectory(work.resolve("pg")).start();
        postgresUrl = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
        connect = InstalledWorker.start(stack, work);
    }

    @AfterAll
    static void stopTheStack() throws Exception {
        Resources.closeAll(connect, postgres, s3, stack);
    }

    @Test
    void bothSinksStopOnALogThatStartedOverAndTheRemedyTheyNameLoadsItOnce() throws Exception {
        Map<String, Event> first = source("order-source", 42, "2026-03-01T08:00:00Z", 300);
        connect.put(lake("orders"));
        connect.put(shipped("order-summary.json"));
        awaitWarehouse(first, "the first log");
        connect.delete("order-source");

        stack.connect().kafka().deleteTopic(TOPIC);
        createAgain();
        Map<String, Event> second = source("order-source-2", 7, "2026-03-02T08:00:00Z", 100);
        awaitTopic(second.size());

        for (String sink : List.of("order-lake", "order-summary")) {
            for (String trace : connect.awaitAllTasks(sink, "FAILED", PATIENCE)) {
                System.out.println(sink + ": " + trace.lines().filter(line -> line.contains("started over")).findFirst().orElse(trace));
                for (String part : List.of(TOPIC + "-", "the worker delivered offset", "started over",
                        (sink.equals("order-lake") ? "DELETE" : "PATCH") + " /connectors/" + sink + "/offsets")) {
                    assertTrue(trace.contains(part), sink + ": '" + part + "' missing from the trace: " + trace);
                }
            }
        }
        try (Connection db = warehouse()) {
            assertEquals(new ExpectedOrders.RawComparison(0, 0), ExpectedOrders.raw(db, first),
                    "the raw table still holds the first log, once, and nothing of the second");
            assertEquals(0, ExpectedOrders.summaryMismatches(db, first.values()));
        }

        // The remedy the errors name, step by step.
        for (String sink : List.of("order-lake", "order-summary")) {
            assertEquals(2, connect.rest("PUT", "/connectors/" + sink + "/stop", null).statusCode() / 100);
            awaitConnectorState(sink, "STOPPED");
        }
        HttpResponse<String> refused = changeOffsets("DELETE", "order-lake", null);
        assertEquals(500, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("new store.url prefix"), "the markers would win over a reset: " + refused.body());
        connect.put(lake("orders-2"));
        awaitConnectorState("order-lake", "STOPPED");   // a new config keeps it stopped (after a moment UNASSIGNED)
        HttpResponse<String> reset = changeOffsets("DELETE", "order-lake", null);
        assertEquals(200, reset.statusCode(), reset.body());

        HttpResponse<String> forgotten = changeOffsets("PATCH", "order-summary", "{\"offsets\":["
                + "{\"partition\":{\"kafka_topic\":\"" + TOPIC + "\",\"kafka_partition\":0},\"offset\":null},"
                + "{\"partition\":{\"kafka_topic\":\"" + TOPIC + "\",\"kafka_partition\":1},\"offset\":null}]}");
        assertEquals(200, forgotten.statusCode(), forgotten.body());
        try (Connection db = warehouse(); ResultSet rows = db.createStatement().executeQuery(
                "SELECT count(*) FROM \"_orderflow_aggregate_offsets\" WHERE \"connector\" = 'order-summary'")) {
            rows.next();
            assertEquals(0, rows.getLong(1), "the summary's stored offsets of the topic went with the consumer group's");
        }
        for (String sink : List.of("order-lake", "order-summary")) {
            assertEquals(2, connect.rest("PUT", "/connectors/" + sink + "/resume", null).statusCode() / 100);
        }
        Map<String, Event> both = new HashMap<>(first);
        both.putAll(second);
        assertEquals(first.size() + second.size(), both.size(), "the two seeds give different order ids");
        awaitWarehouse(both, "both logs after the remedy");
    }

    /** The broker refuses to create a topic while its deletion is still under way. */
    private static void createAgain() throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                stack.createTopic(TOPIC, 2);
                return;
            } catch (RuntimeException stillBeingDeleted) {
                if (System.nanoTime() > deadline) {
                    throw stillBeingDeleted;
                }
                Thread.sleep(500);
            }
        }
    }

    private static Map<String, String> shipped(String file) {
        Map<String, String> config = ConnectStack.readConfig(InstalledPlugin.PROJECT_ROOT.resolve("connector-configs").resolve(file));
        if (!config.get("connector.class").contains(".source.")) {
            config.put("warehouse.dialect", "postgresql");
            config.put("postgresql.url", postgresUrl);
            config.put("postgresql.user", "postgres");
            config.put("postgresql.password", "");
            // The sinks notice the topic's new incarnation at their consumer's next metadata refresh: 5 minutes by default.
            config.put("consumer.override.metadata.max.age.ms", "3000");
        }
        return config;
    }

    private static Map<String, String> lake(String prefix) {
        Map<String, String> lake = shipped("order-lake.json");
        lake.putAll(s3.sinkOptions("lake", prefix));
        lake.put("rotate.schedule.interval.ms", "2000");
        lake.put("local.dir", work.resolve("lake-local").toString());
        return lake;
    }

    /** Deploys an order source; every event it will write, once its tasks exist. */
    private static Map<String, Event> source(String name, long seed, String start, int orders) throws Exception {
        Map<String, String> source = shipped("order-source.json");
        source.put("name", name);
        source.put("seed", Long.toString(seed));
        source.put("event.time.start", start);
        source.put("max.orders", Integer.toString(orders));
        source.put("orders.per.second", "500");
        connect.put(source);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Map<String, Event> events = ExpectedOrders.generated(connect.uri(), name);
        while (events.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            events = ExpectedOrders.generated(connect.uri(), name);
        }
        assertTrue(events.size() >= orders, name + " has no task configs");
        return events;
    }

    /**
     * Changes a stopped connector's offsets, as an operator would: again while the worker answers that its tasks'
     * consumers have not left the group yet ("this operation can be safely retried").
     */
    private static HttpResponse<String> changeOffsets(String method, String connector, String body) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> response = connect.rest(method, "/connectors/" + connector + "/offsets", body);
        while (response.statusCode() != 200 && response.body().contains("safely retried") && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            response = connect.rest(method, "/connectors/" + connector + "/offsets", body);
        }
        return response;
    }

    private static Connection warehouse() throws SQLException {
        return DriverManager.getConnection(postgresUrl, "postgres", "");
    }

    private static void awaitWarehouse(Map<String, Event> events, String what) throws InterruptedException {
        ExpectedOrders.awaitWarehouse(RecreatedTopicIT::warehouse, events, connect, List.of("order-lake", "order-summary"),
                PATIENCE, what);
    }

    private static void awaitTopic(int events) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (CommittedTopicReader.count(stack.bootstrapServers(), TOPIC) < events) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The new source did not write its " + events + " events");
            }
            Thread.sleep(1_000);
        }
    }

    private static void awaitConnectorState(String connector, String state) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!state.equals(connect.status(connector).path("connector").path("state").asText())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(connector + " did not reach " + state + ": " + connect.status(connector));
            }
            Thread.sleep(500);
        }
    }
}
