package io.orderflow.sink.lake;

import io.orderflow.sink.lake.commit.CommitMarker;
import io.orderflow.testing.CommittedTopicReader;
import io.orderflow.testing.S3ProxyServer;
import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.ConnectorConfig;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Order source → lake sink in real Connect workers against a real broker and S3Proxy over HTTP. For every
 * rotation policy the files must hold exactly the records before each partition's commit marker, each once,
 * through task restarts, a worker leaving, and an S3 outage.
 */
class ParquetS3SinkIT {

    private static final String BUCKET = "orderflow-lake";

    private static ConnectStack stack;
    private static S3ProxyServer s3;

    @TempDir
    static Path localLake;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3ProxyServer.start();
        s3.createBucket(BUCKET);
        stack = ConnectStack.start("orderflow-lake-it", 2, Map.of("offset.flush.interval.ms", "2000"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    private static void startSource(String topic, int orders, int perSecond) {
        stack.createTopic(topic, 4);
        Map<String, String> config = ConnectorConfig.source(ConnectorConfig.ORDER_SOURCE, topic, 2).with(
                "max.orders", Integer.toString(orders),
                "orders.per.second", Integer.toString(perSecond),
                "event.time.start", "2026-07-01T09:58:00Z",
                "event.time.order.interval.ms", "50").toMap();
        stack.connect().configureConnector(topic + "-source", config);
        try {
            stack.connect().assertions().assertConnectorAndExactlyNumTasksAreRunning(topic + "-source", 2, "source did not start");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void startSink(String name, String topic, Map<String, String> storeOptions, String... options) {
        Map<String, String> config = ConnectorConfig.sink(ConnectorConfig.LAKE_SINK, topic, 2).with(storeOptions).with(
                "event.time.field", "event_time",
                // The source writes transactions (exactly-once); aborted ones must not reach the lake.
                "consumer.override.isolation.level", "read_committed",
                "store.retry.backoff.ms", "100",
                "store.retry.backoff.max.ms", "500",
                "store.retry.max.attempts", "3").with(options).toMap();
        stack.connect().configureConnector(name, config);
    }

    /** How many events the source connector of a topic produces in all: the generator is deterministic. */
    private static int generatedEvents(String topic) {
        int events = 0;
        for (org.apache.kafka.connect.runtime.rest.entities.TaskInfo task : stack.connect().taskConfigs(topic + "-source")) {
            io.orderflow.source.generator.OrderEventStream stream = io.orderflow.source.generator.OrderEventStream.fromStart(
                    new io.orderflow.source.config.OrderSourceTaskConfig(task.config()).freshGeneratorSettings());
            while (stream.hasNext()) {
                stream.next();
                events++;
            }
        }
        return events;
    }

    private static void restartFailedSourceTasks(String topic) {
        try {
            if (stack.connect().connectorStatus(topic + "-source").tasks().stream().anyMatch(t -> "FAILED".equals(t.state()))) {
                stack.connect().restartConnectorAndTasks(topic + "-source", true, true, false);
            }
        } catch (RuntimeException rebalancing) {
            // asked again at the next poll
        }
    }

    /** Every event in the topic once the source has produced them all, per partition, by offset: the ground truth. */
    private static Map<Integer, TreeMap<Long, String>> topicContents(String topic) {
        int expectedAtLeast = generatedEvents(topic);
        Map<Integer, TreeMap<Long, String>> contents = new HashMap<>();
        JsonConverter json = new JsonConverter();
        json.configure(Map.of(), false);
        // An exactly-once source task whose fencing a worker leaving interrupted stays FAILED by design and waits
        // for an operator (README, Operations): restart failed tasks as one would while the topic fills.
        for (ConsumerRecord<byte[], byte[]> record : CommittedTopicReader.read(stack.bootstrapServers(), topic,
                expectedAtLeast, Duration.ofMinutes(3), Duration.ofSeconds(1),
                n -> restartFailedSourceTasks(topic))) {
            Struct value = (Struct) json.toConnectData(topic, record.value()).value();
            contents.computeIfAbsent(record.partition(), p -> new TreeMap<>())
                    .put(record.offset(), value.getString("order_id") + "|" + value.getString("status"));
        }
        assertEquals(expectedAtLeast, total(contents), "the source produced every event exactly once");
        return contents;
    }

    private static Map<Integer, Long> markers(List<Map.Entry<String, byte[]>> objects) {
        Map<Integer, Long> markers = new TreeMap<>();
        for (Map.Entry<String, byte[]> object : objects) {
            if (object.getKey().contains("/_orderflow/markers/")) {
                CommitMarker marker = CommitMarker.fromJson(object.getKey(), object.getValue());
                markers.put(marker.partition(), marker.nextOffset());
            }
        }
        return markers;
    }

    private static List<String> lakeEvents(List<Map.Entry<String, byte[]>> objects) throws Exception {
        List<String> events = new ArrayList<>();
        for (Map.Entry<String, byte[]> object : objects) {
            if (object.getKey().endsWith(".parquet")) {
                for (GenericRecord record : ParquetFiles.read(object.getValue())) {
                    events.add(record.get("order_id") + "|" + record.get("status"));
                }
            }
        }
        return events;
    }

    /** The files hold exactly the records before each marker, each once. */
    private static int assertExactlyTheCommittedRecords(Map<Integer, TreeMap<Long, String>> topic,
                                                        List<Map.Entry<String, byte[]>> objects) throws Exception {
        Map<Integer, Long> markers = markers(objects);
        List<String> expected = new ArrayList<>();
        topic.forEach((partition, byOffset) -> expected.addAll(byOffset.headMap(markers.getOrDefault(partition, 0L)).values()));
        List<String> actual = lakeEvents(objects);
        Collections.sort(expected);
        Collections.sort(actual);
        if (expected.size() != actual.size()) {
            Map<String, List<String>> filesByEvent = new HashMap<>();
            for (Map.Entry<String, byte[]> object : objects) {
                if (object.getKey().endsWith(".parquet")) {
                    for (GenericRecord record : ParquetFiles.read(object.getValue())) {
                        filesByEvent.computeIfAbsent(record.get("order_id") + "|" + record.get("status"), k -> new ArrayList<>())
                                .add(object.getKey().substring(object.getKey().lastIndexOf('/') + 1));
                    }
                }
            }
            List<String> wrong = new ArrayList<>();
            filesByEvent.forEach((event, files) -> {
                if (files.size() > 1 || !expected.contains(event)) {
                    wrong.add(event + " in " + files);
                }
            });
            wrong.sort(null);
            System.out.println("Records in files that are duplicated or not before a marker, " + wrong.size() + ": " + wrong.subList(0, Math.min(40, wrong.size())));
        }
        assertEquals(expected.size(), actual.size(), "records in files vs. records before the markers " + markers);
        assertEquals(expected, actual);
        return actual.size();
    }

    private static void await(String what, Duration timeout, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(250);
        }
    }

    /** A consistent listing: an object replaced between list and get (a marker, say) makes us list again. */
    private static List<Map.Entry<String, byte[]>> objects(String prefix) {
        for (int attempt = 1; ; attempt++) {
            try {
                return s3.objects(BUCKET, prefix + "/");
            } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
                if (attempt == 10) {
                    throw e;
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Waits until the markers stop moving, then checks them against the topic. */
    private static int settleAndCheck(String prefix, Map<Integer, TreeMap<Long, String>> topic) throws Exception {
        Map<Integer, Long> last = Map.of();
        int stableRounds = 0;
        while (stableRounds < 8) {
            Thread.sleep(500);
            Map<Integer, Long> now = markers(objects(prefix));
            stableRounds = now.equals(last) ? stableRounds + 1 : 0;
            last = now;
        }
        return assertExactlyTheCommittedRecords(topic, objects(prefix));
    }

    private static int total(Map<Integer, TreeMap<Long, String>> topic) {
        return topic.values().stream().mapToInt(TreeMap::size).sum();
    }

    @Test
    void flushSizeRotationAcrossTaskRestarts() throws Exception {
        String topic = "orders.flush";
        startSource(topic, 3_000, 300);
        startSink("lake-flush", topic, s3.sinkOptions(BUCKET, "flush"), "flush.size", "400");
        await("first files", Duration.ofMinutes(1), () -> objects("flush").size() > 2);
        stack.connect().restartConnectorAndTasks("lake-flush", false, true, false);
        await("more files", Duration.ofMinutes(1), () -> objects("flush").size() > 8);
        stack.connect().restartConnectorAndTasks("lake-flush", false, true, false);

        Map<Integer, TreeMap<Long, String>> contents = topicContents(topic);
        int committed = settleAndCheck("flush", contents);
        assertTrue(committed > total(contents) - 4 * 400, "only each partition's last partial file may be open: "
                + committed + " of " + total(contents));
        assertTrue(objects("flush").stream().allMatch(o -> o.getKey().matches(
                "flush/(_orderflow/markers/orders\\.flush\\+\\d\\.json|orders\\.flush/partition=\\d/orders\\.flush\\+\\d\\+\\d{20}\\.parquet)")),
                "object layout");
    }

    @Test
    void eventTimeRotationWithTimePartitionsAcrossARestart() throws Exception {
        String topic = "orders.eventtime";
        startSource(topic, 3_000, 300);
        startSink("lake-eventtime", topic, s3.sinkOptions(BUCKET, "eventtime"), "flush.size", "100000",
                "rotate.interval.ms", "20000", "partitioner", "time", "partition.time.source", "event",
                "path.format", "'dt='yyyy-MM-dd/'hr='HH/'min='mm");
        await("first files", Duration.ofMinutes(1), () -> objects("eventtime").size() > 2);
        stack.connect().restartConnectorAndTasks("lake-eventtime", false, true, false);

        Map<Integer, TreeMap<Long, String>> contents = topicContents(topic);
        settleAndCheck("eventtime", contents);
        assertTrue(objects("eventtime").stream().anyMatch(o -> o.getKey().contains("/dt=2026-07-01/hr=10/")),
                "the run crosses 10:00 in event time");
    }

    @Test
    void wallClockRotationCommitsEverythingThroughAWorkerLeavingAndOneJoiningDuringAnS3Outage() throws Exception {
        String topic = "orders.wallclock";
        startSource(topic, 3_000, 150);
        // Cooperative rebalancing: a rebalance keeps the batch a task holds for redelivery, less the records of the
        // partitions it loses, and the worker joining mid-outage moves a task while both hold one.
        startSink("lake-wallclock", topic, s3.sinkOptions(BUCKET, "wallclock"), "flush.size", "100000",
                "rotate.schedule.interval.ms", "1500", "partitioner", "field", "partition.fields", "currency",
                "consumer.override.partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        await("first files", Duration.ofMinutes(1), () -> objects("wallclock").size() > 4);
        assertEquals("cooperative-sticky", stack.sinkPartitionAssignor("lake-wallclock"));

        WorkerHandle leaving = stack.connect().workers().iterator().next();
        stack.connect().removeWorker(leaving);
        stack.connect().assertions().assertConnectorAndExactlyNumTasksAreRunning("lake-wallclock", 2, "rebalanced");
        s3.stopProxy();
        Thread.sleep(10_000);
        stack.connect().addWorker();
        Thread.sleep(20_000);
        s3.startProxy();

        Map<Integer, TreeMap<Long, String>> contents = topicContents(topic);
        int expected = total(contents);
        await("every record committed", Duration.ofMinutes(3), () -> {
            Map<Integer, Long> markers = markers(objects("wallclock"));
            return contents.entrySet().stream().allMatch(e -> markers.getOrDefault(e.getKey(), 0L) > e.getValue().lastKey());
        });
        assertEquals(expected, settleAndCheck("wallclock", contents), "wall-clock rotation leaves nothing stuck");
        assertTrue(objects("wallclock").stream().anyMatch(o -> o.getKey().contains("/currency=EUR/")));
    }

    /**
     * The embedded workers leave, so every task runs in the worker process; the process is then SIGKILLed (no
     * goodbye to the group, uploads cut off wherever they were) and fresh workers take the tasks over.
     */
    @Test
    void aHardKilledWorkerLosesAndDuplicatesNothing() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String workerId = "127.0.0.1:" + port;
        Process worker = stack.startWorkerProcess(localLake, port);
        int embedded = stack.connect().workers().size();
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            await("the worker process to serve REST", Duration.ofMinutes(1), () -> {
                try {
                    return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + workerId + "/connectors")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            String topic = "orders.killed";
            startSource(topic, 6_000, 100);
            startSink("lake-killed", topic, s3.sinkOptions(BUCKET, "killed"), "tasks.max", "2", "flush.size", "300",
                    "rotate.schedule.interval.ms", "3000");
            await("first files", Duration.ofMinutes(1), () -> objects("killed").size() > 2);
            for (int i = 0; i < embedded; i++) {
                stack.connect().removeWorker();
            }
            int filesBefore = objects("killed").size();
            await("the worker process alone writing", Duration.ofMinutes(2), () -> objects("killed").size() > filesBefore + 4);
        } finally {
            worker.destroyForcibly().waitFor();
            for (int i = 0; i < embedded; i++) {
                stack.connect().addWorker();
            }
        }
        // An exactly-once source task whose zombie fencing was interrupted by the kill fails and, by Connect's
        // design, waits for an operator: restart failed tasks as one would, until the source has produced every
        // event. (The status topic can still say RUNNING for a moment after a task failed, so "all RUNNING" alone
        // is not proof.)
        int expectedEvents = generatedEvents("orders.killed");
        await("the source to produce every event after the kill", Duration.ofMinutes(4), () -> {
            try {
                var status = stack.connect().connectorStatus("orders.killed-source");
                if (status.tasks().stream().anyMatch(t -> "FAILED".equals(t.state()))) {
                    stack.connect().restartConnectorAndTasks("orders.killed-source", true, true, false);
                    return false;
                }
            } catch (RuntimeException notReadyYet) {
                return false;
            }
            return CommittedTopicReader.read(stack.bootstrapServers(), "orders.killed", expectedEvents, Duration.ofSeconds(5),
                    Duration.ZERO, n -> { }).size() >= expectedEvents;
        });

        Map<Integer, TreeMap<Long, String>> contents = topicContents("orders.killed");
        await("every record committed after the kill", Duration.ofMinutes(3), () -> {
            Map<Integer, Long> markers = markers(objects("killed"));
            return contents.entrySet().stream().allMatch(e -> markers.getOrDefault(e.getKey(), 0L) > e.getValue().lastKey());
        });
        assertEquals(total(contents), settleAndCheck("killed", contents), "every record once after a SIGKILL");
    }

    @Test
    void localStoreReadByDuckDbWithLogicalTypes() throws Exception {
        String topic = "orders.local";
        startSource(topic, 1_000, 0);
        Path lake = localLake.resolve("lake");
        startSink("lake-local", topic, Map.of("store.url", lake.toUri().toString()), "flush.size", "100000",
                "rotate.schedule.interval.ms", "1000", "parquet.compression", "zstd");
        Map<Integer, TreeMap<Long, String>> contents = topicContents(topic);
        int expected = total(contents);
        String glob = lake.resolve(topic) + "/**/*.parquet";
        await("all rows readable", Duration.ofMinutes(2), () -> duckCount(glob) == expected);
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = duck.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*), count(DISTINCT (order_id, status)), "
                     + "typeof(any_value(amount)), typeof(any_value(event_time)), sum(amount) FILTER (WHERE status = 'COMPLETED') "
                     + "FROM read_parquet('" + glob + "')")) {
            rs.next();
            assertEquals(expected, rs.getLong(1));
            assertEquals(expected, rs.getLong(2));
            assertEquals("DECIMAL(18,2)", rs.getString(3));
            assertEquals("TIMESTAMP WITH TIME ZONE", rs.getString(4));
            assertTrue(rs.getBigDecimal(5).compareTo(BigDecimal.ZERO) > 0);
        }
        try (Stream<Path> files = Files.walk(lake)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".orderflow-tmp")), "no temporary files left visible");
        }
    }

    @Test
    void committedFilesLoadIntoDuckDbExactlyOnceAcrossRestarts() throws Exception {
        String topic = "orders.warehouse";
        startSource(topic, 2_000, 200);
        Path lake = localLake.resolve("wh-lake");
        String database = localLake.resolve("warehouse.duckdb").toString();
        startSink("lake-warehouse", topic, Map.of("store.url", lake.toUri().toString()), "flush.size", "250",
                "rotate.schedule.interval.ms", "1000", "warehouse.dialect", "duckdb", "duckdb.path", database,
                "warehouse.table", "orders_raw");
        await("first loads", Duration.ofMinutes(1), () -> warehouseRows(database) > 500);
        stack.connect().restartConnectorAndTasks("lake-warehouse", false, true, false);
        await("more loads", Duration.ofMinutes(1), () -> warehouseRows(database) > 2_000);
        stack.connect().restartConnectorAndTasks("lake-warehouse", false, true, false);

        int expected = total(topicContents(topic));
        await("every event in the warehouse", Duration.ofMinutes(2), () -> warehouseRows(database) >= expected);
        Thread.sleep(3_000);
        try (Connection duck = io.orderflow.sink.warehouse.DuckDbDatabases.connect(database);
             Statement statement = duck.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*), count(DISTINCT (order_id, status)), "
                     + "(SELECT count(*) FROM _orderflow_load_history), (SELECT sum(row_count)::BIGINT FROM _orderflow_load_history) "
                     + "FROM orders_raw")) {
            rs.next();
            assertEquals(expected, rs.getLong(1), "every event, none twice");
            assertEquals(expected, rs.getLong(2));
            assertEquals(expected, rs.getLong(4), "the load history accounts for every row");
            try (Stream<Path> files = Files.walk(lake)) {
                assertEquals(files.filter(f -> f.toString().endsWith(".parquet")).count(), rs.getLong(3),
                        "each committed file loaded once");
            }
        }
    }

    @Test
    void filesOnS3LoadIntoPostgresExactlyOnceAcrossARestart() throws Exception {
        try (io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.start()) {
            String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            String topic = "orders.postgres";
            startSource(topic, 2_000, 200);
            Map<String, String> store = new HashMap<>(s3.sinkOptions(BUCKET, "postgres"));
            startSink("lake-postgres", topic, store, "flush.size", "250", "rotate.schedule.interval.ms", "1000",
                    "warehouse.dialect", "postgresql", "postgresql.url", url, "postgresql.user", "postgres",
                    "warehouse.table", "public.orders_raw");
            Supplier<long[]> counts = () -> {
                try (Connection db = postgres.getPostgresDatabase().getConnection(); Statement statement = db.createStatement();
                     ResultSet rs = statement.executeQuery("SELECT count(*), count(DISTINCT (order_id, status)), "
                             + "(SELECT count(*) FROM _orderflow_load_history) FROM orders_raw")) {
                    rs.next();
                    return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
                } catch (Exception tableNotThereYet) {
                    return new long[] {0, 0, 0};
                }
            };
            await("first loads", Duration.ofMinutes(1), () -> counts.get()[0] > 1_000);
            stack.connect().restartConnectorAndTasks("lake-postgres", false, true, false);

            int expected = total(topicContents(topic));
            await("every event in PostgreSQL", Duration.ofMinutes(2), () -> counts.get()[0] >= expected);
            Thread.sleep(3_000);
            long[] result = counts.get();
            assertEquals(expected, result[0], "every event, none twice");
            assertEquals(expected, result[1]);
            assertEquals(objects("postgres").stream().filter(o -> o.getKey().endsWith(".parquet")).count(), result[2],
                    "each committed file loaded once");
            stack.connect().deleteConnector("lake-postgres");
        }
    }

    @Test
    void aThirtySecondPostgresOutageLosesAndDuplicatesNothing() throws Exception {
        Path data = localLake.resolve("pg-outage");
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres.Builder server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setPort(port).setDataDirectory(data).setCleanDataDirectory(false);
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres = server.start();
        String url = "jdbc:postgresql://localhost:" + port + "/postgres";
        Supplier<long[]> counts = () -> {
            try (Connection db = DriverManager.getConnection(url, "postgres", ""); Statement statement = db.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT count(*), count(DISTINCT (order_id, status)), "
                         + "(SELECT count(*) FROM _orderflow_load_history) FROM outage_orders")) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
            } catch (Exception unavailable) {
                return new long[] {0, 0, 0};
            }
        };
        try {
            String topic = "orders.pgoutage";
            startSource(topic, 3_000, 100);
            startSink("lake-pgoutage", topic, Map.of("store.url", localLake.resolve("pg-lake").toUri().toString()),
                    "flush.size", "200", "rotate.schedule.interval.ms", "1000", "warehouse.dialect", "postgresql",
                    "postgresql.url", url, "postgresql.user", "postgres", "warehouse.table", "outage_orders");
            await("first loads", Duration.ofMinutes(1), () -> counts.get()[0] > 500);
            postgres.close();
            Thread.sleep(30_000);
            postgres = server.start();

            int expected = total(topicContents(topic));
            await("every event in PostgreSQL after the outage", Duration.ofMinutes(2), () -> counts.get()[0] >= expected);
            Thread.sleep(3_000);
            long[] result = counts.get();
            assertEquals(expected, result[0], "every event, none twice");
            assertEquals(expected, result[1]);
            try (Stream<Path> files = Files.walk(localLake.resolve("pg-lake"))) {
                assertEquals(files.filter(f -> f.toString().endsWith(".parquet")).count(), result[2], "each file loaded once");
            }
            stack.connect().deleteConnector("lake-pgoutage");
        } finally {
            postgres.close();
        }
    }

    private static long warehouseRows(String database) {
        try (Connection duck = io.orderflow.sink.warehouse.DuckDbDatabases.connect(database);
             Statement statement = duck.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM orders_raw")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception tableNotThereYet) {
            return 0;
        }
    }

    private static long duckCount(String glob) {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
             Statement statement = duck.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM read_parquet('" + glob + "')")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void badRecordsGoToTheDeadLetterQueueAndTheRestToFiles() throws Exception {
        String topic = "orders.mixed";
        stack.createTopic(topic, 1);
        stack.createDeadLetterTopic("orders.mixed.dlq");
        String schema = "{\"type\":\"struct\",\"name\":\"Order\",\"fields\":[{\"field\":\"order_id\",\"type\":\"string\"},"
                + "{\"field\":\"status\",\"type\":\"string\"}]}";
        for (int i = 0; i < 10; i++) {
            String value = i % 5 == 3 ? "{\"schema\":null,\"payload\":{\"order_id\":\"bad-" + i + "\"}}"
                    : "{\"schema\":" + schema + ",\"payload\":{\"order_id\":\"o" + i + "\",\"status\":\"PAID\"}}";
            stack.connect().kafka().produce(topic, "k" + i, value);
        }
        stack.connect().kafka().produce(topic, "tombstone", null);
        startSink("lake-mixed", topic, s3.sinkOptions(BUCKET, "mixed"), "tasks.max", "1", "flush.size", "100",
                "rotate.schedule.interval.ms", "1000", "event.time.field", "", "behavior.on.null.values", "dlq",
                "errors.tolerance", "all", "errors.deadletterqueue.topic.name", "orders.mixed.dlq",
                "errors.deadletterqueue.topic.replication.factor", "1", "errors.deadletterqueue.context.headers.enable", "true");

        List<ConsumerRecord<byte[], byte[]>> dead = CommittedTopicReader.read(stack.bootstrapServers(), "orders.mixed.dlq", 3,
                Duration.ofMinutes(1), Duration.ofSeconds(1), n -> { });
        assertEquals(3, dead.size());
        List<String> reasons = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : dead) {
            Header header = record.headers().lastHeader("__connect.errors.exception.message");
            reasons.add(new String(header.value(), StandardCharsets.UTF_8));
        }
        assertTrue(reasons.get(0).contains("no struct schema"), reasons.toString());
        assertTrue(reasons.get(2).contains("null value"), reasons.toString());
        await("good records in files", Duration.ofMinutes(1), () -> {
            try {
                return lakeEvents(objects("mixed")).size() == 8;
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(Map.of(0, 11L), markers(objects("mixed")), "the marker moves past the dead-lettered records");
    }
}
