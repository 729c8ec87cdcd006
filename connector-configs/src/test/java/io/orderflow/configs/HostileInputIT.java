package io.orderflow.configs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.configs.HostileInput.Outcome;
import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.TempDirectory;
import io.orderflow.testing.Resources;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile-input matrix: every record of {@link HostileInput#all()} goes through the real JsonConverter into the
 * shipped connector configs (lake with Enrich into DuckDB, the same into PostgreSQL, and the summary pipeline with
 * Filter, FieldMatches and TumblingWindow), first with {@code errors.tolerance=all}, where each record must end
 * where the matrix says (row, DLQ, skipped) with every task still RUNNING, then with {@code errors.tolerance=none},
 * where each refused record must fail its task with a message naming the record and what is wrong with it.
 */
class HostileInputIT {

    private static final Path CONFIG_DIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    /** Amounts are read exactly, as JsonConverter reads them: never through a double. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final List<HostileInput> CASES = HostileInput.all();

    private static ConnectStack stack;
    private static EmbeddedPostgres postgres;
    private static TempDirectory workDir;
    private static Path work;

    @BeforeAll
    static void start() throws Exception {
        stack = ConnectStack.start("orderflow-hostile-it", 1);
        postgres = EmbeddedPostgres.start();
        workDir = TempDirectory.create("hostile-it-");
        work = workDir.path();
        // Created up front, as an operator creates DLQ topics: the worker's reporter would otherwise create each one
        // on first use, and its producer can wait on a new topic's metadata longer than the test waits for records.
        for (String dlq : List.of("dlq-hostile-lake-duckdb", "dlq-hostile-lake-pg", "dlq-hostile-summary", "dlq-hostile-routed")) {
            stack.createDeadLetterTopic(dlq);
        }
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        producerProps.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * 1024 * 1024));
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            int index = 0;
            for (HostileInput input : CASES) {
                String topic = topic(input);
                stack.connect().kafka().createTopic(topic, 1, 1, Map.of("retention.ms", "-1",
                        "max.message.bytes", Integer.toString(4 * 1024 * 1024)));
                long time = HostileInput.T0 + 1_000L * index++;
                producer.send(new ProducerRecord<>(topic, 0, time, key(input.id() + "-good"),
                        HostileInput.good(input.id() + "-good", "12.34", time)));
                for (byte[] value : input.values()) {
                    if (value != null && value.length > 100_000) {
                        // Alone in its request: batched with the good record it would exceed the request limit, and
                        // the producer's split-and-resend of an idempotent batch can wedge on a sequence error.
                        producer.flush();
                        producer.send(new ProducerRecord<>(topic, 0, time, key(input.id()), value)).get();
                    } else {
                        producer.send(new ProducerRecord<>(topic, 0, time, key(input.id()), value));
                    }
                }
            }
            producer.flush();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        Resources.closeAll(stack, postgres, workDir);
    }

    private static String topic(HostileInput input) {
        return "hostile-" + input.id();
    }

    private static byte[] key(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> shipped(String file, String name, String dlq, boolean tolerant) {
        Map<String, String> config = ConnectStack.readConfig(CONFIG_DIR.resolve(file));
        config.put("name", name);
        config.remove("topics");
        config.put("topics.regex", "hostile-.*");
        config.put("tasks.max", "1");
        config.put("consumer.override.auto.offset.reset", "earliest");
        if (tolerant) {
            config.put("errors.deadletterqueue.topic.name", dlq);
        } else {
            config.put("errors.tolerance", "none");
            config.keySet().removeIf(k -> k.startsWith("errors.deadletterqueue."));
        }
        return config;
    }

    private static Map<String, String> lake(String name, String dialect, boolean tolerant) throws Exception {
        Map<String, String> config = shipped("order-lake.json", name, "dlq-" + name, tolerant);
        config.put("store.url", Files.createTempDirectory(work, name + "-lake-").toUri().toString());
        config.put("rotate.schedule.interval.ms", "1000");
        config.put("warehouse.dialect", dialect);
        config.put("duckdb.path", work.resolve(name + ".duckdb").toString());
        config.put("postgresql.url", postgres.getJdbcUrl("postgres", "postgres"));
        config.put("postgresql.user", "postgres");
        config.put("postgresql.password", "postgres");
        config.put("warehouse.table", name.replace('-', '_'));
        // A file the warehouse refused would be recorded, not fail the task: the test then finds it in the history.
        config.put("warehouse.load.error.policy", "record-and-continue");
        return config;
    }

    private static Map<String, String> summary(String name, boolean tolerant) {
        Map<String, String> config = shipped("order-summary.json", name, "dlq-" + name, tolerant);
        config.put("duckdb.path", work.resolve(name + ".duckdb").toString());
        return config;
    }

    private static void deploy(Map<String, String> config) {
        var response = stack.rest("PUT", "connectors/" + config.get("name") + "/config", ConnectStack.toJson(config));
        assertEquals(2, response.statusCode() / 100, response.body());
    }

    @Test
    void everyHostileRecordEndsWhereTheMatrixSaysAndNothingStops() throws Exception {
        Map<String, String> lakeDuck = lake("hostile-lake-duckdb", "duckdb", true);
        Map<String, String> lakePg = lake("hostile-lake-pg", "postgresql", true);
        Map<String, String> summary = summary("hostile-summary", true);
        for (Map<String, String> config : List.of(lakeDuck, lakePg, summary)) {
            deploy(config);
        }
        for (Map<String, String> config : List.of(lakeDuck, lakePg, summary)) {
            awaitCaughtUp(config.get("name"));
        }

        Map<String, Map<String, Outcome>> observed = new LinkedHashMap<>();
        Set<String> duckRows = lakeRows(io.orderflow.sink.warehouse.DuckDbDatabases.connect(lakeDuck.get("duckdb.path")), "hostile_lake_duckdb");
        Set<String> pgRows = lakeRows(postgres.getPostgresDatabase().getConnection(), "hostile_lake_pg");
        observed.put("lake duckdb", classify(duckRows, awaitDeadLetters("dlq-" + lakeDuck.get("name"), HostileInput::lake)));
        observed.put("lake postgresql", classify(pgRows, awaitDeadLetters("dlq-" + lakePg.get("name"), HostileInput::lakePg)));
        Set<TopicPartitionOffset> summaryDlq = awaitDeadLetters("dlq-" + summary.get("name"), HostileInput::summary);
        Map<String, Outcome> summaryOutcomes = new LinkedHashMap<>();
        for (HostileInput input : CASES) {
            summaryOutcomes.put(input.id(), summaryDlq.contains(new TopicPartitionOffset(topic(input), 1)) ? Outcome.DLQ
                    : input.summary() == Outcome.DLQ ? Outcome.ROW : input.summary());
        }
        observed.put("summary", summaryOutcomes);

        List<String> mismatches = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format("%n%-30s %-16s %-16s %-16s%n", "case", "lake duckdb",
                "lake postgresql", "summary"));
        for (HostileInput input : CASES) {
            Outcome[] expected = {input.lake(), input.lakePg(), input.summary()};
            List<Outcome> seen = observed.values().stream().map(m -> m.get(input.id())).toList();
            table.append(String.format("%-30s", input.id()));
            for (int i = 0; i < 3; i++) {
                boolean ok = seen.get(i) == expected[i];
                table.append(String.format(" %-16s", seen.get(i) + (ok ? "" : " (want " + expected[i] + ")")));
                if (!ok) {
                    mismatches.add(input.id() + " in " + List.copyOf(observed.keySet()).get(i) + ": " + seen.get(i)
                            + ", expected " + expected[i]);
                }
            }
            table.append('\n');
        }
        System.out.println(table);

        for (Set<String> rows : List.of(duckRows, pgRows)) {
            for (HostileInput input : CASES) {
                if (!rows.contains(input.id() + "-good")) {
                    mismatches.add("the good record before " + input.id() + " is missing from a raw table");
                }
            }
        }
        assertSummaryTotals(summary.get("duckdb.path"), mismatches);
        assertNoFailedLoads(lakeDuck, lakePg, mismatches);
        for (Map<String, String> config : List.of(lakeDuck, lakePg, summary)) {
            ConnectorStateInfo status = stack.connect().connectorStatus(config.get("name"));
            if (!"RUNNING".equals(status.connector().state())
                    || status.tasks().stream().anyMatch(t -> !"RUNNING".equals(t.state()))) {
                mismatches.add(config.get("name") + " is not RUNNING: " + status.tasks().stream()
                        .map(t -> t.state() + " " + firstLine(t.trace())).toList());
            }
        }
        int tried = CASES.size() * 3;
        System.out.printf("hostile input, errors.tolerance=all: %d tried, %d handled, %d failed%n", tried,
                tried - mismatches.size(), mismatches.size());
        assertEquals(List.of(), mismatches);
    }

    @Test
    void withoutToleranceEachRefusedRecordFailsItsTaskNamingRecordAndReason() throws Exception {
        List<Map<String, String>> configs = new ArrayList<>();
        for (HostileInput input : CASES) {
            String safe = input.id();
            if (input.lake() == Outcome.DLQ) {
                configs.add(strict(lake("strict-lake-" + safe, "none", false), input));
            }
            if (input.lakePg() == Outcome.DLQ && input.lake() != Outcome.DLQ) {
                configs.add(strict(lake("strict-lakepg-" + safe, "postgresql", false), input));
            }
            if (input.summary() == Outcome.DLQ) {
                configs.add(strict(summary("strict-summary-" + safe, false), input));
            }
        }
        for (Map<String, String> config : configs) {
            deploy(config);
        }
        List<String> mismatches = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format("%n%-45s %s%n", "connector (errors.tolerance=none)", "task failure"));
        for (Map<String, String> config : configs) {
            String name = config.get("name");
            String topic = config.get("topics");
            HostileInput input = CASES.stream().filter(c -> topic(c).equals(topic)).findFirst().orElseThrow();
            String trace = awaitFailure(name);
            table.append(String.format("%-45s %s%n", name, firstLine(causeOf(trace))));
            if (trace == null) {
                mismatches.add(name + " did not fail");
                continue;
            }
            // orderflow's own refusals (sinks, transforms, predicate) name the record in the failure. A converter's
            // failure is the framework's: with errors.tolerance=none, Kafka 4.3 fails the task before its reporters
            // (DLQ, error log) run, so no message names the record; the failure still says what is wrong.
            boolean inConverter = trace.contains("Tolerance exceeded in error handler")
                    && trace.contains("org.apache.kafka.connect.json.JsonConverter");
            if (!inConverter && !trace.contains("Record " + topic + "-0@1")) {
                mismatches.add(name + ": the failure does not name the record " + topic + "-0@1: " + firstLine(causeOf(trace)));
            }
            table.setLength(table.length() - 1);
            table.append(inConverter ? "  [converter: Connect names no record]" : "  [names " + topic + "-0@1]").append('\n');
            if (!trace.contains(input.mentions())) {
                mismatches.add(name + ": the failure does not say '" + input.mentions() + "': " + firstLine(causeOf(trace)));
            }
            stack.connect().deleteConnector(name);
        }
        System.out.println(table);
        System.out.printf("hostile input, errors.tolerance=none: %d tried, %d handled, %d failed%n", configs.size(),
                configs.size() - mismatches.size(), mismatches.size());
        assertEquals(List.of(), mismatches);
    }

    @Test
    void aLakeBehindATopicRenamingRouterWritesUnderTheNewNameAndCommitsTheConsumedPartitions() throws Exception {
        Map<String, String> routed = lake("hostile-routed", "duckdb", true);
        routed.put("transforms", "enrich,route");
        routed.put("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter");
        routed.put("transforms.route.regex", "hostile-(.*)");
        routed.put("transforms.route.replacement", "lake_$1");
        deploy(routed);
        awaitCaughtUp(routed.get("name"));
        Path lake = Path.of(URI.create(routed.get("store.url")));
        try (java.util.stream.Stream<Path> files = Files.walk(lake)) {
            List<String> folders = files.filter(f -> f.toString().endsWith(".parquet"))
                    .map(f -> lake.relativize(f).getName(0).toString()).distinct().toList();
            assertTrue(!folders.isEmpty() && folders.stream().allMatch(f -> f.startsWith("lake_")),
                    "files go under the routed topic's folder: " + folders);
        }
        Set<String> rows = lakeRows(io.orderflow.sink.warehouse.DuckDbDatabases.connect(routed.get("duckdb.path")), "hostile_routed");
        for (HostileInput input : CASES) {
            assertTrue(rows.contains(input.id() + "-good"), input.id() + "-good is missing behind the router");
        }
    }

    private static Map<String, String> strict(Map<String, String> config, HostileInput input) {
        config.remove("topics.regex");
        config.put("topics", topic(input));
        return config;
    }

    /** The task's trace once it FAILED (null if it did not within a minute). */
    private static String awaitFailure(String name) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                ConnectorStateInfo status = stack.connect().connectorStatus(name);
                for (ConnectorStateInfo.TaskState task : status.tasks()) {
                    if ("FAILED".equals(task.state())) {
                        return task.trace();
                    }
                }
            } catch (RuntimeException notYet) {
                // the connector is still being created
            }
            Thread.sleep(250);
        }
        return null;
    }

    private static String causeOf(String trace) {
        if (trace == null) {
            return "(none)";
        }
        int caused = trace.lastIndexOf("Caused by: ");
        return caused < 0 ? trace : trace.substring(caused + "Caused by: ".length());
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }

    /** Waits until the connector's consumer group has committed every hostile topic's end offset. */
    private static void awaitCaughtUp(String connector) throws Exception {
        Map<String, Object> props = Map.of("bootstrap.servers", stack.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            Map<TopicPartition, OffsetSpec> latest = CASES.stream().collect(Collectors.toMap(
                    c -> new TopicPartition(topic(c), 0), c -> OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
            long deadline = System.currentTimeMillis() + 180_000;
            Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
            while (System.currentTimeMillis() < deadline) {
                committed = admin.listConsumerGroupOffsets("connect-" + connector).partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetAndMetadata> now = committed;
                if (ends.entrySet().stream().allMatch(e -> now.get(e.getKey()) != null
                        && now.get(e.getKey()).offset() >= e.getValue())) {
                    return;
                }
                Thread.sleep(500);
            }
            Map<TopicPartition, OffsetAndMetadata> last = committed;
            throw new AssertionError(connector + " did not catch up: " + ends.entrySet().stream()
                    .filter(e -> last.get(e.getKey()) == null || last.get(e.getKey()).offset() < e.getValue())
                    .map(e -> e.getKey() + " end " + e.getValue() + " committed " + last.get(e.getKey())).toList()
                    + "; status " + stack.connect().connectorStatus(connector).tasks().stream()
                    .map(t -> t.state() + " " + firstLine(t.trace())).toList());
        }
    }

    record TopicPartitionOffset(String topic, long offset) {
    }

    /**
     * The dead letter queue once it holds as many records as the matrix sends there, or after 60 s. Connect commits
     * the offset of a record its converter refused without waiting for that record's DLQ write (any sink's
     * {@code preCommit} does), so a caught-up consumer group can precede the DLQ by the producer's latency.
     */
    private static Set<TopicPartitionOffset> awaitDeadLetters(String dlqTopic,
                                                              java.util.function.Function<HostileInput, Outcome> expected) {
        long want = CASES.stream().filter(c -> expected.apply(c) == Outcome.DLQ).count();
        Set<TopicPartitionOffset> found = new HashSet<>();
        org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(dlqTopic, 0);
        // One consumer that keeps polling from the beginning: what arrives late is still read.
        try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                Map.of("bootstrap.servers", stack.bootstrapServers(), "auto.offset.reset", "earliest"),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.currentTimeMillis() + 60_000;
            while (found.size() < want && System.currentTimeMillis() < deadline) {
                for (org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record : consumer.poll(java.time.Duration.ofMillis(500))) {
                    found.add(new TopicPartitionOffset(new String(record.headers().lastHeader("__connect.errors.topic").value(),
                            StandardCharsets.UTF_8), Long.parseLong(new String(record.headers().lastHeader(
                            "__connect.errors.offset").value(), StandardCharsets.UTF_8))));
                }
            }
        }
        return found;
    }

    private static Set<String> lakeRows(Connection connection, String table) throws Exception {
        Set<String> ids = new HashSet<>();
        try (connection; ResultSet rs = connection.createStatement().executeQuery("SELECT order_id FROM " + table)) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** Where each case's hostile record went: the DLQ, the raw table (by its order id), or nowhere (skipped). */
    private static Map<String, Outcome> classify(Set<String> rows, Set<TopicPartitionOffset> dlq) {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (HostileInput input : CASES) {
            Outcome outcome;
            if (dlq.contains(new TopicPartitionOffset(topic(input), 1))) {
                outcome = Outcome.DLQ;
            } else if (input.id().equals("huge-batch")) {
                long burst = rows.stream().filter(r -> r.startsWith("burst-bad-")).count();
                outcome = burst == input.values().size() ? Outcome.ROW : Outcome.SKIPPED;
            } else {
                outcome = rows.contains(input.id() + "-bad") ? Outcome.ROW : Outcome.SKIPPED;
            }
            outcomes.put(input.id(), outcome);
        }
        return outcomes;
    }

    /** The summary holds exactly the good records and the hostile ones the matrix says it counts, to the cent. */
    private static void assertSummaryTotals(String duckdbPath, List<String> mismatches) throws Exception {
        long orders = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        for (HostileInput input : CASES) {
            orders++;
            revenue = revenue.add(new BigDecimal("12.34"));
            if (input.summary() == Outcome.ROW) {
                for (byte[] value : input.values()) {
                    orders++;
                    revenue = revenue.add(amountOf(value));
                }
            }
        }
        try (Connection db = io.orderflow.sink.warehouse.DuckDbDatabases.connect(duckdbPath);
             ResultSet rs = db.createStatement().executeQuery(
                     "SELECT sum(total_orders), sum(total_revenue) FROM orders_minute_summary")) {
            rs.next();
            if (rs.getLong(1) != orders || rs.getBigDecimal(2).compareTo(revenue) != 0) {
                mismatches.add("summary holds " + rs.getLong(1) + " orders, " + rs.getBigDecimal(2) + "; expected "
                        + orders + ", " + revenue);
            }
        }
    }

    /** The amount a record carries, read from its JSON as the summary's DECIMAL(38, 2) should hold it. */
    private static BigDecimal amountOf(byte[] value) throws Exception {
        JsonNode amount = JSON.readTree(value).path("payload").path("amount");
        BigDecimal number = amount.isTextual()
                ? new BigDecimal(new BigInteger(Base64.getDecoder().decode(amount.asText())), 2)
                : amount.decimalValue();
        return number.setScale(2, RoundingMode.HALF_EVEN);
    }

    private static void assertNoFailedLoads(Map<String, String> lakeDuck, Map<String, String> lakePg, List<String> mismatches)
            throws Exception {
        try (Connection duck = io.orderflow.sink.warehouse.DuckDbDatabases.connect(lakeDuck.get("duckdb.path"));
             Connection pg = postgres.getPostgresDatabase().getConnection()) {
            for (Connection db : List.of(duck, pg)) {
                try (ResultSet rs = db.createStatement().executeQuery(
                        "SELECT file, error FROM _orderflow_load_history WHERE status <> 'LOADED'")) {
                    while (rs.next()) {
                        mismatches.add("a file was refused by the warehouse: " + rs.getString(1) + ": " + rs.getString(2));
                    }
                }
            }
        }
    }
}
