package io.orderflow.configs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.apicurio.registry.utils.converter.AvroConverter;
import io.orderflow.sink.warehouse.DuckDbDatabases;
import io.orderflow.source.config.OrderSourceTaskConfig;
import io.orderflow.source.event.OrderEvent;
import io.orderflow.source.event.OrderEventSchema;
import io.orderflow.source.event.OrderStatus;
import io.orderflow.source.generator.OrderEventStream;
import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.Resources;
import io.orderflow.testing.TempDirectory;
import io.orderflow.testing.SchemaRegistryServer;
import io.orderflow.testing.TcpProxy;
import io.orderflow.testing.TopicToEnd;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.runtime.rest.entities.TaskInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped Avro variants ({@code connector-configs/avro/}) through a real schema registry — Apicurio Registry
 * 3.0.9 as its own process, Apicurio's {@code AvroConverter} in Confluent's wire format — in a real worker: order
 * source → lake (Parquet, loaded into DuckDB) and → summary, exact as with JSON. Mid-stream another producer writes
 * order events of a second schema version (a new optional field, {@code channel}) to the same topic, interleaved
 * record by record with the source's: the registry holds both versions, the raw table gains the column, the summary
 * counts both, and the lake does not open a file per switch.
 *
 * <p>The connectors reach the registry through a forwarder the second test takes down for longer than the
 * converter's cache keeps a schema (30 s): as shipped, the three connectors ride it out on the schemas they have.
 */
class AvroPipelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "orders.events";
    private static final int V2_ORDERS = 200;
    private static final Instant START = Instant.parse("2026-05-01T10:00:00Z");

    /** Longer than Apicurio's converters keep a schema before asking the registry again (check-period-ms, 30 s). */
    private static final Duration OUTAGE = Duration.ofSeconds(40);

    private static SchemaRegistryServer registry;
    /** What the connectors call the registry: a forwarder the outage test takes down. */
    private static TcpProxy registryLink;
    private static ConnectStack stack;
    private static TempDirectory workDir;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        workDir = TempDirectory.create("orderflow-avro-");
        work = workDir.path();
        registry = SchemaRegistryServer.start(Path.of("target/registry-logs"));
        registryLink = TcpProxy.start("127.0.0.1", registry.port());
        stack = ConnectStack.start("orderflow-avro", 1);
    }

    @AfterAll
    static void stop() throws Exception {
        Resources.closeAll(stack, registryLink, registry, workDir);
    }

    private static Map<String, String> shipped(String file, String... overrides) throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        JSON.readTree(ShippedConfigs.FOLDER.resolve("avro").resolve(file).toFile()).fields()
                .forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        config.put("value.converter.apicurio.registry.url", registry.apicurioUrl(registryLink.port()));
        for (int i = 0; i < overrides.length; i += 2) {
            config.put(overrides[i], overrides[i + 1]);
        }
        return config;
    }

    /** The second version of the order event: the first's fields and an optional sales channel. */
    private static Schema v2Schema() {
        SchemaBuilder builder = SchemaBuilder.struct().name(OrderEventSchema.NAME).version(2).doc("One state change of one order");
        OrderEventSchema.valueSchema(io.orderflow.source.event.AmountType.DECIMAL).fields()
                .forEach(field -> builder.field(field.name(), field.schema()));
        return builder.field("channel", SchemaBuilder.string().optional().doc("Sales channel").build()).build();
    }

    /** Produces the v2 orders one record at a time, between the source's, through the converter the source uses. */
    private static Map<Long, long[]> produceV2(Map<String, String> sourceConfig) throws Exception {
        AvroConverter converter = new AvroConverter();
        Map<String, Object> converterConfig = new HashMap<>();
        sourceConfig.forEach((key, value) -> {
            if (key.startsWith("value.converter.")) {
                converterConfig.put(key.substring("value.converter.".length()), value);
            }
        });
        converter.configure(converterConfig, false);
        Schema schema = v2Schema();
        Map<Long, long[]> completedByWindow = new TreeMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int n = 0; n < V2_ORDERS; n++) {
                long eventTime = START.toEpochMilli() + 30_000 + n * 700L;
                BigDecimal amount = BigDecimal.valueOf(1_000 + n, 2);
                Struct value = new Struct(schema).put("order_id", "v2-" + n).put("customer_id", "c-v2").put("amount", amount)
                        .put("currency", "EUR").put("status", OrderStatus.COMPLETED.name())
                        .put("event_time", new java.util.Date(eventTime)).put("channel", "web");
                producer.send(new ProducerRecord<>(TOPIC, null, eventTime, ("v2-" + n).getBytes(StandardCharsets.UTF_8),
                        converter.fromConnectData(TOPIC, schema, value))).get();
                long[] window = completedByWindow.computeIfAbsent(Math.floorDiv(eventTime, 60_000) * 60_000, w -> new long[2]);
                window[0]++;
                window[1] += amount.unscaledValue().longValueExact();
                Thread.sleep(20);
            }
        }
        return completedByWindow;
    }

    @Test
    void sourceToLakeAndSummaryOnAvroExactlyThroughASchemaChangeMidStream() throws Exception {
        String database = work.resolve("warehouse.duckdb").toString();
        Path lake = work.resolve("lake");
        stack.createTopic(TOPIC, 2);
        Map<String, String> source = shipped("order-source.json", "orders.per.second", "150", "max.orders", "3000",
                "event.time.start", START.toString(), "event.time.order.interval.ms", "100");
        ShippedConfigs.put(stack, source);
        ShippedConfigs.put(stack, shipped("order-lake.json", "store.url", lake.toUri().toString(), "duckdb.path", database,
                "rotate.schedule.interval.ms", "2000", "errors.deadletterqueue.topic.replication.factor", "1"));
        ShippedConfigs.put(stack, shipped("order-summary.json", "duckdb.path", database,
                "errors.deadletterqueue.topic.replication.factor", "1"));
        stack.connect().assertions().assertConnectorAndExactlyNumTasksAreRunning("order-source", 2, "source did not start");
        Thread.sleep(2_000);
        Map<Long, long[]> v2 = produceV2(source);

        Map<Long, long[]> expected = new TreeMap<>(v2);
        long events = V2_ORDERS + generated("order-source", expected);

        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        long[] raw = awaitRawRows(database, events, deadline);
        assertEquals(events, raw[0], "every event in the raw table");
        assertEquals(events, raw[1], "each once");
        assertEquals(V2_ORDERS, raw[2], "the v2 events carry their channel in the column the load added");

        Map<Long, String> want = asSummary(expected);
        assertEquals(want, awaitSummary(database, want, deadline), "per-minute completed orders and revenue, both schema versions, to the cent");

        String versions = ConnectStack.rest(URI.create(registry.confluentUrl() + "/subjects/" + TOPIC + "-value/versions"),
                "GET", null).body();
        assertEquals("[1,2]", versions.replace(" ", ""), "both schema versions, registered in the registry");
        long files;
        try (Stream<Path> paths = Files.walk(lake)) {
            files = paths.filter(p -> p.toString().endsWith(".parquet")).count();
        }
        assertTrue(files <= 40, files + " Parquet files for " + V2_ORDERS + " interleaved switches: a file per switch?");
        System.out.printf("Avro pipeline: %d events (%d of schema version 2) exactly once in the raw table, %d summary "
                + "minutes exact, %d Parquet files%n", events, V2_ORDERS, want.size(), files);
        for (String name : new String[] {"order-summary", "order-lake", "order-source"}) {
            stack.connect().deleteConnector(name);
        }
    }

    /**
     * A registry outage of 40 s in the middle of a run of the shipped Avro configs: every connector has converted
     * records before it, so each holds the schema it needs, and Apicurio's converter would ask the registry for it again
     * after 30 s. As shipped ({@code apicurio.registry.fault-tolerant-refresh=true}) they keep the schema they hold
     * when the registry does not answer: the source keeps writing, neither sink sends a record to its dead letter
     * queue, and the raw table and the summary are exact. Without that option the source's task fails some 30 s into
     * the outage (this test, run once so), and the sinks' converters refuse the records of the schemas they hold from
     * then on (seen with the converters alone), which with {@code errors.tolerance=all} sends each to the DLQ.
     */
    @Test
    void theShippedAvroConfigsRideOutARegistryOutageOnTheSchemasTheyHold() throws Exception {
        String topic = "orders.outage";
        String database = work.resolve("outage.duckdb").toString();
        stack.createTopic(topic, 2);
        stack.createDeadLetterTopic(topic + ".lake-dlq");
        stack.createDeadLetterTopic(topic + ".summary-dlq");
        ShippedConfigs.put(stack, shipped("order-source.json", "name", "outage-source", "topic", topic,
                "orders.per.second", "50", "max.orders", "7000", "event.time.start", START.toString(),
                "event.time.order.interval.ms", "100"));
        ShippedConfigs.put(stack, shipped("order-lake.json", "name", "outage-lake", "topics", topic,
                "store.url", work.resolve("outage-lake").toUri().toString(), "duckdb.path", database,
                "rotate.schedule.interval.ms", "2000", "errors.deadletterqueue.topic.name", topic + ".lake-dlq",
                "errors.deadletterqueue.topic.replication.factor", "1"));
        ShippedConfigs.put(stack, shipped("order-summary.json", "name", "outage-summary", "topics", topic,
                "duckdb.path", database, "errors.deadletterqueue.topic.name", topic + ".summary-dlq",
                "errors.deadletterqueue.topic.replication.factor", "1"));
        stack.connect().assertions().assertConnectorAndExactlyNumTasksAreRunning("outage-source", 2, "source did not start");
        Map<Long, long[]> expected = new TreeMap<>();
        long events = generated("outage-source", expected);
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        // Each sink task converts with a converter of its own, and one that has converted nothing when the outage
        // starts meets it with no schema. So the outage starts once each sink's group has settled on one partition per
        // task and has committed offsets on both partitions beyond where they were when it settled.
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            for (String group : new String[] {"connect-outage-lake", "connect-outage-summary"}) {
                awaitConvertedByEveryTask(admin, group, topic, deadline);
            }
        }

        registryLink.down();
        try {
            Thread.sleep(OUTAGE.toMillis());
            long[] during = rawRows(database);
            assertTrue(during[0] < events, "the outage should end before the source does: " + during[0] + " of " + events);
            assertAllRunning("during the registry outage");
        } finally {
            registryLink.up();
        }

        long[] raw = awaitRawRows(database, events, deadline);
        assertEquals(events, raw[0], "every event in the raw table");
        assertEquals(events, raw[1], "each once");
        Map<Long, String> want = asSummary(expected);
        assertEquals(want, awaitSummary(database, want, deadline), "per-minute completed orders and revenue, to the cent");
        assertAllRunning("after the registry outage");
        for (String dlq : new String[] {topic + ".lake-dlq", topic + ".summary-dlq"}) {
            assertEquals(0, records(dlq), dlq + ": records the outage sent to the dead letter queue");
        }
        System.out.printf("Avro pipeline through a %d s registry outage: %d events exactly once in the raw table, %d "
                + "summary minutes exact, no dead letters%n", OUTAGE.toSeconds(), events, want.size());
        for (String name : new String[] {"outage-summary", "outage-lake", "outage-source"}) {
            stack.connect().deleteConnector(name);
        }
    }

    private static void awaitConvertedByEveryTask(Admin admin, String group, String topic, long deadline) throws Exception {
        while (!oneTopicPartitionPerMember(admin, group)) {
            assertTrue(System.nanoTime() < deadline, group + " did not settle on one partition per task");
            Thread.sleep(500);
        }
        Map<TopicPartition, Long> settled = committed(admin, group, topic);
        while (!committed(admin, group, topic).entrySet().stream().allMatch(e -> e.getValue() > settled.get(e.getKey()))) {
            assertTrue(System.nanoTime() < deadline, group + " committed nothing more on both partitions after it settled: " + settled);
            Thread.sleep(500);
        }
        assertTrue(oneTopicPartitionPerMember(admin, group), group + " rebalanced while the test waited for its commits");
    }

    private static boolean oneTopicPartitionPerMember(Admin admin, String group) throws Exception {
        ConsumerGroupDescription description = admin.describeConsumerGroups(java.util.List.of(group)).describedGroups().get(group).get();
        return description.members().size() == 2
                && description.members().stream().allMatch(member -> member.assignment().topicPartitions().size() == 1);
    }

    /** The group's committed offset on each of the topic's two partitions, -1 where it has none. */
    private static Map<TopicPartition, Long> committed(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, Long> committed = new HashMap<>();
        for (int p = 0; p < 2; p++) {
            OffsetAndMetadata offset = offsets.get(new TopicPartition(topic, p));
            committed.put(new TopicPartition(topic, p), offset == null ? -1 : offset.offset());
        }
        return committed;
    }

    private static long records(String topic) {
        long[] count = new long[1];
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", stack.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicToEnd.assignFromStart(consumer, topic);
            TopicToEnd.read(consumer, Duration.ofSeconds(30), record -> count[0]++);
        }
        return count[0];
    }

    private static void assertAllRunning(String when) {
        for (String name : new String[] {"outage-source", "outage-lake", "outage-summary"}) {
            String status = stack.rest("GET", "connectors/" + name + "/status", null).body();
            assertTrue(status.contains("RUNNING") && !status.contains("FAILED"), name + " " + when + ": " + status);
        }
    }

    /**
     * Adds what the source connector's deterministic streams hold, independently of the connectors, to the completed
     * orders and revenue per minute, and returns how many events they hold.
     */
    private static long generated(String sourceConnector, Map<Long, long[]> completedByWindow) {
        long events = 0;
        for (TaskInfo task : stack.connect().taskConfigs(sourceConnector)) {
            OrderEventStream stream = OrderEventStream.fromStart(new OrderSourceTaskConfig(task.config()).freshGeneratorSettings());
            while (stream.hasNext()) {
                OrderEvent event = stream.next().event();
                events++;
                if (event.status() == OrderStatus.COMPLETED) {
                    long[] window = completedByWindow.computeIfAbsent(Math.floorDiv(event.eventTimeMs(), 60_000) * 60_000, w -> new long[2]);
                    window[0]++;
                    window[1] += event.amount().unscaledValue().longValueExact();
                }
            }
        }
        return events;
    }

    private static Map<Long, String> asSummary(Map<Long, long[]> completedByWindow) {
        Map<Long, String> want = new TreeMap<>();
        completedByWindow.forEach((window, sums) -> want.put(window, sums[0] + " / " + BigDecimal.valueOf(sums[1], 2)));
        return want;
    }

    private static long[] awaitRawRows(String database, long events, long deadline) throws InterruptedException {
        long[] raw = rawRows(database);
        while (raw[0] < events && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            raw = rawRows(database);
        }
        return raw;
    }

    private static Map<Long, String> awaitSummary(String database, Map<Long, String> want, long deadline) throws InterruptedException {
        Map<Long, String> summary = summary(database);
        while (!summary.equals(want) && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            summary = summary(database);
        }
        return summary;
    }

    /** {rows, distinct (order_id, status), rows with channel = 'web'} of the raw table; zeros while it does not exist. */
    private static long[] rawRows(String database) {
        try (Connection db = DuckDbDatabases.connect(database); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT count(*), count(DISTINCT order_id || '/' || status), "
                     + "count(*) FILTER (WHERE channel = 'web') FROM orders_raw")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        } catch (SQLException notYet) {
            try (Connection db = DuckDbDatabases.connect(database); Statement sql = db.createStatement();
                 ResultSet rs = sql.executeQuery("SELECT count(*), count(DISTINCT order_id || '/' || status), 0 FROM orders_raw")) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), 0};
            } catch (SQLException noTableYet) {
                return new long[3];
            }
        }
    }

    private static Map<Long, String> summary(String database) {
        Map<Long, String> summary = new TreeMap<>();
        try (Connection db = DuckDbDatabases.connect(database); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT epoch_ms(window_start), total_orders, total_revenue FROM orders_minute_summary")) {
            while (rs.next()) {
                summary.put(rs.getLong(1), rs.getLong(2) + " / " + rs.getBigDecimal(3).setScale(2));
            }
        } catch (SQLException notYet) {
            summary.clear();
        }
        return summary;
    }
}
