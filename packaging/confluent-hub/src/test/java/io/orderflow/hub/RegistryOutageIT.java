package io.orderflow.hub;

import io.orderflow.hub.ExpectedOrders.Event;
import io.orderflow.testing.CommittedTopicReader;
import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.DeadLetterTopic;
import io.orderflow.testing.Resources;
import io.orderflow.testing.S3ProxyServer;
import io.orderflow.testing.SchemaRegistryServer;
import io.orderflow.testing.TcpProxy;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A schema registry outage met by sink tasks that hold no schema yet — tasks started, restarted or moved while the
 * registry is away — on an installed worker process (the archive on its {@code plugin.path}) running the shipped Avro
 * configs ({@code connector-configs/avro/}) over REST, with Apicurio Registry 3.0.9 as a process behind a forwarder
 * the test takes down, S3Proxy as the lake and a real PostgreSQL server as the warehouse.
 *
 * <p>Apicurio's converter alone fails on every record it has no schema for, and Connect sends each to the dead
 * letter queue under {@code errors.tolerance=all}: the raw table and the summary would miss them. The shipped sinks
 * convert through {@code RegistryOutageConverter}, which turns a registry that does not answer into a retriable
 * failure, so the worker waits for the registry, and past {@code outage.max.wait.ms} fails the task instead.
 */
class RegistryOutageIT {

    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final int ORDERS = 600;

    @TempDir
    static Path work;

    private static ConnectStack stack;
    private static S3ProxyServer s3;
    private static EmbeddedPostgres postgres;
    private static SchemaRegistryServer registry;
    /** What the connectors call the registry: a forwarder the tests take down. */
    private static TcpProxy registryLink;
    private static InstalledWorker connect;

    @BeforeAll
    static void startTheStack() throws Exception {
        stack = ConnectStack.start("registry-outage", 1);
        s3 = S3ProxyServer.start();
        s3.createBucket("lake");
        int pgPort = InstalledPlugin.freePort();
        postgres = EmbeddedPostgres.builder().setPort(pgPort).setDataDirectory(work.resolve("pg")).start();
        registry = SchemaRegistryServer.start(work.resolve("registry-logs"));
        registryLink = TcpProxy.start("127.0.0.1", registry.port());
        connect = InstalledWorker.start(stack, work);
    }

    @AfterAll
    static void stopTheStack() throws Exception {
        Resources.closeAll(connect, registryLink, registry, postgres, s3, stack);
    }

    /**
     * The sinks start during the outage, and the lake's task is restarted in it: the worker stops a task that waits
     * by cancelling it after its graceful shutdown timeout, and dead-letters the records of the batch it was converting
     * (Connect's own rule) but commits nothing, so its successor reads them again. Every event reaches the raw table
     * once and the summary exactly; the only dead letters are those, each naming the wait.
     */
    @Test
    void sinksThatMeetTheOutageWithoutASchemaWaitForTheRegistryAndLoadEveryEventOnce() throws Exception {
        Pipeline pipeline = new Pipeline("waits");
        Map<String, Event> events = pipeline.writeOrdersThenTakeTheRegistryAway();
        pipeline.deploySinks(Map.of());
        connect.awaitAllTasks(pipeline.lake, "RUNNING", PATIENCE);
        connect.awaitAllTasks(pipeline.summary, "RUNNING", PATIENCE);
        Thread.sleep(15_000);
        assertEquals(0, deadLetters(pipeline.summaryDlq()), "no record of the summary's went to its dead letter queue");
        assertEquals(0, deadLetters(pipeline.lakeDlq()), "no record of the lake's went to its dead letter queue");
        assertEquals(0, pipeline.rawRows(), "nothing converts while the registry is away");
        assertTrue(Files.readString(connect.log()).contains("records of " + pipeline.topic + " wait for it"),
                "the converters said they wait for the registry");

        assertEquals(2, connect.rest("POST", "/connectors/" + pipeline.lake + "/tasks/0/restart", null).statusCode() / 100);
        connect.awaitAllTasks(pipeline.lake, "RUNNING", PATIENCE);
        Thread.sleep(10_000);
        assertTrue(connect.allTasks(pipeline.summary, "RUNNING") && connect.allTasks(pipeline.lake, "RUNNING"),
                "the sinks wait RUNNING: " + connect.status(pipeline.lake) + connect.status(pipeline.summary));
        registryLink.up();

        ExpectedOrders.awaitWarehouse(pipeline::warehouse, events, connect, List.of(pipeline.lake, pipeline.summary),
                PATIENCE, "after the registry came back");
        assertEquals(0, deadLetters(pipeline.summaryDlq()), "the summary's dead letter queue after the outage");
        List<DeadLetterTopic.Letter> cancelled = DeadLetterTopic.letters(stack.bootstrapServers(), pipeline.lakeDlq());
        for (DeadLetterTopic.Letter letter : cancelled) {
            assertEquals("org.apache.kafka.connect.errors.RetriableException", letter.exceptionClass(), letter.toString());
            assertTrue(letter.exceptionMessage().contains("does not answer"), letter.toString());
        }
        System.out.printf("RegistryOutageIT: %d events in the raw table once and the summary exact after sinks started "
                + "in a registry outage; %d dead letters from the cancelled lake task's batch, each read again%n",
                events.size(), cancelled.size());
        pipeline.deleteSinks();
    }

    /** Past {@code outage.max.wait.ms} the sinks' tasks fail, naming the outage; restarted, they load everything once. */
    @Test
    void anOutageLongerThanTheWaitFailsTheSinksAndTheirRestartLoadsEveryEventOnce() throws Exception {
        Pipeline pipeline = new Pipeline("fails");
        Map<String, Event> events = pipeline.writeOrdersThenTakeTheRegistryAway();
        pipeline.deploySinks(Map.of("value.converter.outage.max.wait.ms", "10000"));
        for (String sink : List.of(pipeline.lake, pipeline.summary)) {
            for (String trace : connect.awaitAllTasks(sink, "FAILED", PATIENCE)) {
                assertTrue(trace.contains("RegistryOutageError") && trace.contains("has not answered for")
                        && trace.contains("restart"), sink + ": " + trace);
            }
        }
        assertEquals(0, pipeline.rawRows());
        assertEquals(0, deadLetters(pipeline.lakeDlq()) + deadLetters(pipeline.summaryDlq()), "dead letters");

        registryLink.up();
        for (String sink : List.of(pipeline.lake, pipeline.summary)) {
            assertEquals(2, connect.rest("POST", "/connectors/" + sink + "/restart?includeTasks=true&onlyFailed=true", null)
                    .statusCode() / 100);
        }
        ExpectedOrders.awaitWarehouse(pipeline::warehouse, events, connect, List.of(pipeline.lake, pipeline.summary),
                PATIENCE, "after the failed tasks were restarted");
        assertEquals(0, deadLetters(pipeline.lakeDlq()) + deadLetters(pipeline.summaryDlq()), "dead letters");
        pipeline.deleteSinks();
    }

    private static long deadLetters(String topic) {
        return DeadLetterTopic.origins(stack.bootstrapServers(), topic).size();
    }

    /** One test's topic, connectors and PostgreSQL database, all named after it. */
    private static final class Pipeline {
        final String topic;
        final String source;
        final String lake;
        final String summary;
        private final String database;

        Pipeline(String name) throws SQLException {
            this.topic = "orders." + name;
            this.source = name + "-source";
            this.lake = name + "-lake";
            this.summary = name + "-summary";
            this.database = name;
            try (Connection db = DriverManager.getConnection(url("postgres"), "postgres", "");
                 Statement sql = db.createStatement()) {
                sql.execute("CREATE DATABASE " + database);
            }
        }

        private static String url(String database) {
            return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database;
        }

        Connection warehouse() throws SQLException {
            return DriverManager.getConnection(url(database), "postgres", "");
        }

        String lakeDlq() {
            return topic + ".lake-dlq";
        }

        String summaryDlq() {
            return topic + ".summary-dlq";
        }

        /** The shipped Avro source writes its orders with the registry there; then the registry goes away. */
        Map<String, Event> writeOrdersThenTakeTheRegistryAway() throws Exception {
            registryLink.up();
            stack.createTopic(topic, 2);
            stack.createDeadLetterTopic(lakeDlq());
            stack.createDeadLetterTopic(summaryDlq());
            Map<String, String> config = shipped("order-source.json", source);
            config.putAll(Map.of("topic", topic, "max.orders", Integer.toString(ORDERS), "orders.per.second", "300",
                    "event.time.start", "2026-06-01T10:00:00Z"));
            connect.put(config);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            Map<String, Event> events = ExpectedOrders.generated(connect.uri(), source);
            while ((events.isEmpty() || CommittedTopicReader.count(stack.bootstrapServers(), topic) < events.size())
                    && System.nanoTime() < deadline) {
                Thread.sleep(500);
                events = ExpectedOrders.generated(connect.uri(), source);
            }
            assertTrue(events.size() >= ORDERS, source + " has no task configs");
            assertEquals(events.size(), CommittedTopicReader.count(stack.bootstrapServers(), topic), "the source wrote its events");
            connect.delete(source);
            registryLink.down();
            return events;
        }

        void deploySinks(Map<String, String> overrides) {
            Map<String, String> lakeConfig = shipped("order-lake.json", lake);
            lakeConfig.putAll(s3.sinkOptions("lake", topic));
            lakeConfig.put("rotate.schedule.interval.ms", "2000");
            lakeConfig.put("local.dir", work.resolve("lake-local").toString());
            lakeConfig.put("errors.deadletterqueue.topic.name", lakeDlq());
            Map<String, String> summaryConfig = shipped("order-summary.json", summary);
            summaryConfig.put("errors.deadletterqueue.topic.name", summaryDlq());
            for (Map<String, String> config : List.of(lakeConfig, summaryConfig)) {
                config.put("topics", topic);
                config.put("warehouse.dialect", "postgresql");
                config.remove("duckdb.path");
                config.put("postgresql.url", url(database));
                config.put("postgresql.user", "postgres");
                config.put("postgresql.password", "");
                config.putAll(overrides);
                connect.put(config);
            }
        }

        long rawRows() throws SQLException {
            try (Connection db = warehouse(); ResultSet rs = db.createStatement().executeQuery(
                    "SELECT count(*) FROM information_schema.tables WHERE table_name = 'orders_raw'")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return 0;
                }
            }
            try (Connection db = warehouse(); ResultSet rs = db.createStatement().executeQuery("SELECT count(*) FROM orders_raw")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        void deleteSinks() {
            connect.delete(lake);
            connect.delete(summary);
        }

        private static Map<String, String> shipped(String file, String name) {
            Map<String, String> config = ConnectStack.readConfig(InstalledPlugin.PROJECT_ROOT.resolve("connector-configs/avro").resolve(file));
            config.put("name", name);
            config.put("value.converter.apicurio.registry.url", registry.apicurioUrl(registryLink.port()));
            return config;
        }
    }
}
