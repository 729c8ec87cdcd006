package io.orderflow.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.hub.ExpectedOrders.Event;
import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.DeadLetterTopic;
import io.orderflow.testing.HangingTransactions;
import io.orderflow.testing.Processes;
import io.orderflow.testing.Resources;
import io.orderflow.testing.S3ProxyServer;
import io.orderflow.testing.TopicToEnd;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole pipeline under faults, as users run it: the Confluent Hub archive installed on the {@code plugin.path} of
 * separate {@code ConnectDistributed} worker processes, the three shipped connector configs deployed over REST, a real
 * broker, S3Proxy over HTTP as the lake, and a real PostgreSQL server as the warehouse of both the raw table and the
 * summary. (DuckDB allows one writing process, so it cannot be the warehouse of a two-process cluster.)
 *
 * <p>Each scenario lets the order source run, injects its fault mid-stream, pauses the source, waits for both sinks,
 * and checks the invariants independently of the connectors' code — plain consumer, plain JDBC, and at the end the
 * generator's deterministic stream: the raw table holds every event in the topic exactly once with its amount, the
 * summary holds the exact per-minute count and revenue of COMPLETED events, the dead letter queues hold exactly the
 * injected bad records, and every task is RUNNING.
 */
class PipelineFaultsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "orders.events";
    private static final int ORDERS = Integer.getInteger("orderflow.faults.orders", 200_000);
    /** Spreads the orders over all scenarios (about 190 s of running source), so that every fault hits a live stream. */
    private static final int ORDERS_PER_SECOND_PER_TASK = Integer.getInteger("orderflow.faults.rate", 550);

    @TempDir
    static Path work;

    private static ConnectStack stack;
    private static S3ProxyServer s3;
    private static EmbeddedPostgres.Builder postgresServer;
    private static EmbeddedPostgres postgres;
    private static String postgresUrl;
    private static Path pluginPath;
    private static final Map<Integer, Process> workers = new LinkedHashMap<>();
    private static KafkaConsumer<byte[], byte[]> topicReader;
    /** Every event read from the topic so far (read_committed): order_id/status → amount and event time. */
    private static final Map<String, Event> topic = new HashMap<>();
    private static final List<String> duplicatesInTopic = new ArrayList<>();
    /** Where the injected bad records landed ({@code partition@offset}); both sinks must send each to their DLQ. */
    private static final Set<String> injected = new HashSet<>();
    /** Records in a dead letter queue that were not injected: each one is a good record lost to the DLQ. */
    private static final Set<String> unexpectedDeadLetters = new HashSet<>();

    record Row(String scenario, int orders, long events, long lost, long duplicated, long summaryMismatches,
               long lakeDlq, long summaryDlq, long tasksFailed, long operatorRestarts, long transactionsEnded) {
    }

    @BeforeAll
    static void startTheStack() throws Exception {
        pluginPath = work.resolve("plugins");
        InstalledPlugin.unzip(InstalledPlugin.archive(), pluginPath);
        stack = ConnectStack.start("faults", 1);
        stack.createTopic(TOPIC, 4);
        stack.createDeadLetterTopic("orders.events.lake-dlq");
        stack.createDeadLetterTopic("orders.events.summary-dlq");
        s3 = S3ProxyServer.start();
        s3.createBucket("lake");
        int pgPort = InstalledPlugin.freePort();
        postgresServer = EmbeddedPostgres.builder().setPort(pgPort).setDataDirectory(work.resolve("pg"))
                .setCleanDataDirectory(false);
        postgres = postgresServer.start();
        postgresUrl = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
        startWorker();
        startWorker();
        topicReader = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        topicReader.assign(List.of(0, 1, 2, 3).stream().map(p -> new TopicPartition(TOPIC, p)).toList());
    }

    @AfterAll
    static void stopTheStack() throws Exception {
        workers.values().forEach(Process::destroyForcibly);
        Resources.closeAll(topicReader, postgres, s3, stack);
    }

    private static int startWorker() throws Exception {
        int port = InstalledPlugin.freePort();
        Process process = stack.startInstalledWorkerProcess(work, port, pluginPath, InstalledPlugin.workerClasspath());
        workers.put(port, process);
        InstalledPlugin.awaitRest(process, URI.create("http://127.0.0.1:" + port), work.resolve("worker-" + port + ".log"));
        return port;
    }

    private static URI anyWorker() {
        return URI.create("http://127.0.0.1:" + workers.keySet().iterator().next());
    }

    private static HttpResponse<String> rest(String method, String resource, String body) {
        return ConnectStack.rest(anyWorker().resolve(resource), method, body);
    }

    private static void put(Map<String, String> config) {
        String name = config.remove("name");
        HttpResponse<String> response = rest("PUT", "/connectors/" + name + "/config", ConnectStack.toJson(config));
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError(name + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }

    private static Map<String, String> shipped(String file) {
        return ConnectStack.readConfig(InstalledPlugin.PROJECT_ROOT.resolve("connector-configs").resolve(file));
    }

    private static void deployThePipeline() {
        Map<String, String> source = shipped("order-source.json");
        source.put("max.orders", Integer.toString(ORDERS));
        source.put("orders.per.second", Integer.toString(ORDERS_PER_SECOND_PER_TASK));
        source.put("event.time.start", "2026-03-01T08:00:00Z");
        put(source);
        Map<String, String> warehouse = Map.of("warehouse.dialect", "postgresql", "postgresql.url", postgresUrl,
                "postgresql.user", "postgres", "postgresql.password", "");
        Map<String, String> lake = shipped("order-lake.json");
        lake.putAll(s3.sinkOptions("lake", "orders"));
        lake.putAll(warehouse);
        lake.put("rotate.schedule.interval.ms", "2000");
        lake.put("local.dir", lakeLocalDir().toString());
        put(lake);
        Map<String, String> summary = shipped("order-summary.json");
        summary.putAll(warehouse);
        put(summary);
    }

    @Test
    void everyOrderOnceAndTheSummaryExactThroughEveryFault() throws Exception {
        deployThePipeline();
        injectBadRecords();
        List<Row> table = new ArrayList<>();
        table.add(scenario("no fault", () -> { }));
        table.add(scenario("SIGKILL one of two workers, then a worker joins", () -> {
            killAWorker();
            Thread.sleep(8_000);
            startWorker();
        }));
        table.add(scenario("connector and task restarts", () -> {
            rest("POST", "/connectors/order-lake/restart?includeTasks=true", null);
            Thread.sleep(3_000);
            rest("POST", "/connectors/order-summary/tasks/0/restart", null);
            Thread.sleep(3_000);
            rest("POST", "/connectors/order-source/restart?includeTasks=true", null);
        }));
        table.add(scenario("broker restart", () -> {
            stack.connect().kafka().stopOnlyBrokers();
            Thread.sleep(5_000);
            stack.connect().kafka().restartOnlyBrokers();
        }));
        table.add(scenario("S3 endpoint down for 30 s", () -> {
            s3.stopProxy();
            Thread.sleep(30_000);
            s3.startProxy();
        }));
        table.add(scenario("warehouse down for 30 s", () -> {
            postgres.close();
            Thread.sleep(30_000);
            postgres = postgresServer.start();
        }));
        table.add(scenario("pause and resume both sinks", () -> {
            rest("PUT", "/connectors/order-lake/pause", null);
            rest("PUT", "/connectors/order-summary/pause", null);
            awaitState("order-lake", "PAUSED");
            awaitState("order-summary", "PAUSED");
            Thread.sleep(10_000);
            rest("PUT", "/connectors/order-lake/resume", null);
            rest("PUT", "/connectors/order-summary/resume", null);
        }));
        table.add(scenario("all together", () -> {
            s3.stopProxy();
            killAWorker();
            postgres.close();
            rest("POST", "/connectors/order-summary/restart?includeTasks=true", null);
            Thread.sleep(20_000);
            s3.startProxy();
            postgres = postgresServer.start();
            startWorker();
        }));
        Row last = finish();
        table.add(last);

        StringBuilder out = new StringBuilder(String.format("%n%-50s %8s %8s %6s %6s %8s %6s %6s %6s %6s %6s%n", "scenario",
                "orders", "events", "lost", "dup", "summary", "dlq-l", "dlq-s", "failed", "op-rst", "op-txn"));
        for (Row row : table) {
            out.append(String.format("%-50s %8d %8d %6d %6d %8d %6d %6d %6d %6d %6d%n", row.scenario(), row.orders(), row.events(),
                    row.lost(), row.duplicated(), row.summaryMismatches(), row.lakeDlq(), row.summaryDlq(), row.tasksFailed(),
                    row.operatorRestarts(), row.transactionsEnded()));
        }
        List<Path> localDirectories = lakeTaskDirectories();
        out.append("lake task directories under local.dir at the end: ").append(localDirectories).append('\n');
        System.out.println(out);
        List<String> broken = new ArrayList<>();
        for (Row row : table) {
            if (row.lost() + row.duplicated() + row.summaryMismatches() + row.tasksFailed() > 0
                    || row.lakeDlq() != injected.size() || row.summaryDlq() != injected.size()) {
                broken.add(row.toString());
            }
        }
        broken.addAll(duplicatesInTopic);
        broken.addAll(unexpectedDeadLetters);
        if (localDirectories.size() != Integer.parseInt(shipped("order-lake.json").get("tasks.max"))) {
            broken.add("local.dir holds " + localDirectories.size() + " task directories for "
                    + shipped("order-lake.json").get("tasks.max") + " running lake tasks");
        }
        assertEquals(List.of(), broken, out.toString());
    }

    /** Both workers run on this host and share it, as workers sharing a disk would. */
    private static Path lakeLocalDir() {
        return work.resolve("lake-local");
    }

    private static List<Path> lakeTaskDirectories() throws Exception {
        try (var entries = Files.list(lakeLocalDir())) {
            return entries.filter(p -> p.getFileName().toString().startsWith("orderflow-lake-")).sorted().toList();
        }
    }

    @FunctionalInterface
    interface Fault {
        void inject() throws Exception;
    }

    private static long operatorRestarts;
    private static long transactionsEnded;

    /** Runs the source for a while, injects the fault mid-stream, pauses the source, and checks once both sinks settle. */
    private static Row scenario(String name, Fault fault) throws Exception {
        resumeTheSource();
        Thread.sleep(6_000);
        fault.inject();
        Thread.sleep(4_000);
        // As an operator would: a pause takes effect once the cluster has settled from the fault.
        awaitState("order-source", "RUNNING");
        rest("PUT", "/connectors/order-source/pause", null);
        awaitState("order-source", "PAUSED");
        return settle(name, Duration.ofMinutes(3));
    }

    private static void resumeTheSource() throws Exception {
        rest("PUT", "/connectors/order-source/resume", null);
        awaitState("order-source", "RUNNING");
    }

    /**
     * Waits until the connector and all its tasks report the state, acting as an operator meanwhile: fenced source
     * tasks are restarted, a connector left UNASSIGNED for 30 s is restarted, and a connector whose status has gone
     * missing for 30 s is dealt with ({@link #recoverMissingStatus}). (Seen on this 2-core machine under load: after a
     * restart or a pause that pre-empts a resume, Connect can leave the connector object UNASSIGNED while its tasks
     * run; such restarts are counted in the op-rst column.)
     */
    private static void awaitState(String connector, String state) throws Exception {
        // After the broker restart the exactly-once source connector's start reads the worker's offsets topic
        // read_committed to its end and can block there: the connector stays UNASSIGNED while its tasks run, and the
        // worker's herder no longer answers restart requests (they time out after 90 s). Seen in 4 of 5 runs on
        // 2026-12-01; it did not clear within 5 minutes. The cause, found on 2026-12-04: a hanging transaction on the
        // offsets topic (a source task's transaction the coordinator had completed, its marker never written to one
        // partition), which also keeps every restarted worker from joining, so their status answers are 404. An
        // operator finds it and ends it as its coordinator decided (README, Operations), as this does after 30 s
        // (counted in op-txn). Restarting the worker (after 2.5 minutes, counted in op-rst) is what is left when there
        // is none.
        long deadline = System.nanoTime() + Duration.ofMinutes(Long.getLong("orderflow.faults.patience.minutes", 5)).toNanos();
        long unassignedSince = -1;
        long stuckSince = -1;
        long missingSince = -1;
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> answer = rest("GET", "/connectors/" + connector + "/status", null);
                // The connector was deployed by this test and is never deleted: a 404 means its status is missing.
                if (answer.statusCode() == 404) {
                    missingSince = missingSince < 0 ? System.nanoTime() : missingSince;
                    if (System.nanoTime() - missingSince > Duration.ofSeconds(30).toNanos()) {
                        if (endHangingTransactions()) {
                            missingSince = -1;
                            continue;
                        }
                        recoverMissingStatus(connector);
                        missingSince = -1;
                        deadline = Math.max(deadline, System.nanoTime() + Duration.ofMinutes(3).toNanos());
                    }
                    restartFailedTasks();
                    Thread.sleep(500);
                    continue;
                }
                missingSince = -1;
                JsonNode status = JSON.readTree(answer.body());
                boolean reached = state.equals(status.path("connector").path("state").asText()) && status.path("tasks").size() > 0;
                for (JsonNode task : status.path("tasks")) {
                    reached &= state.equals(task.path("state").asText());
                }
                if (reached) {
                    return;
                }
                if ("UNASSIGNED".equals(status.path("connector").path("state").asText())) {
                    unassignedSince = unassignedSince < 0 ? System.nanoTime() : unassignedSince;
                    stuckSince = stuckSince < 0 ? System.nanoTime() : stuckSince;
                    if (System.nanoTime() - unassignedSince > Duration.ofSeconds(30).toNanos() && endHangingTransactions()) {
                        unassignedSince = -1;
                        stuckSince = -1;
                    } else if (System.nanoTime() - stuckSince > Duration.ofSeconds(150).toNanos()) {
                        restartWorkerOf(status);
                        stuckSince = -1;
                        unassignedSince = -1;
                        deadline = Math.max(deadline, System.nanoTime() + Duration.ofMinutes(3).toNanos());
                    } else if (System.nanoTime() - unassignedSince > Duration.ofSeconds(30).toNanos()) {
                        rest("POST", "/connectors/" + connector + "/restart", null);
                        operatorRestarts++;
                        unassignedSince = -1;
                    }
                } else {
                    unassignedSince = -1;
                    stuckSince = -1;
                }
            } catch (Exception workerGone) {
                // the worker answering is being killed: ask again
            }
            restartFailedTasks();
            Thread.sleep(500);
        }
        throw new AssertionError(connector + " did not reach " + state + ": " + diagnosis(connector));
    }

    /**
     * What an operator does about read_committed readers that stopped: finds the hanging transactions and ends each
     * the way its coordinator decided ({@link HangingTransactions#resolve}). Prints what was found and done; true when
     * one was ended.
     */
    private static boolean endHangingTransactions() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            boolean ended = false;
            for (Map.Entry<HangingTransactions.Hanging, String> done : HangingTransactions.resolve(admin,
                    stack.bootstrapServers(), HangingTransactions.find(admin, Duration.ofSeconds(10))).entrySet()) {
                System.out.println("Hanging transaction " + done.getKey() + ": " + done.getValue());
                if (!done.getValue().startsWith("left alone")) {
                    transactionsEnded++;
                    ended = true;
                }
            }
            return ended;
        } catch (Exception e) {
            System.out.println("Cannot look for hanging transactions: " + e);
            return false;
        }
    }

    /**
     * The connector exists (this test deployed it and never deletes it) but its status endpoint has said "No status
     * found" for 30 s. Seen once, in CI on 2026-12-03, after the broker restart: the status of order-source stayed
     * missing for the whole 5 minutes and the test did nothing about it; that run kept no more than the REST access
     * lines. Seen again on 2026-12-04, with the status records printed: they were there, not tombstoned, but every
     * worker answering had been started after a hanging transaction on the offsets topic and so had never joined
     * (see {@link #awaitState}); aborting it brought them in. Hence hanging transactions are looked for first. What is
     * known from Connect's source: a worker drops a connector's status only on reading a tombstone for it, and the only writer of such
     * tombstones is the leader after a rebalance, for each connector its config snapshot lacks. Either the status is gone
     * from the cluster, or the answering worker's view of it is stale; an operator tells the two apart by asking
     * another worker. If another worker knows the status, the answering worker is restarted; otherwise the connector
     * and each of its tasks are restarted (the two requests that need no status), which writes their status anew.
     * Counted in op-rst. (Checked once by writing the tombstones by hand: 404 on every worker, then RUNNING after the
     * restarts, every order once.)
     */
    private static void recoverMissingStatus(String connector) throws Exception {
        int answering = workers.keySet().iterator().next();
        System.out.println("The status of " + connector + " has been missing for 30 s: " + diagnosis(connector));
        for (int port : workers.keySet()) {
            URI status = URI.create("http://127.0.0.1:" + port + "/connectors/" + connector + "/status");
            if (port != answering && ConnectStack.rest(status, "GET", null).statusCode() == 200) {
                restartWorker(answering);
                return;
            }
        }
        rest("POST", "/connectors/" + connector + "/restart", null);
        for (JsonNode task : JSON.readTree(rest("GET", "/connectors/" + connector + "/tasks", null).body())) {
            rest("POST", "/connectors/" + connector + "/tasks/" + task.path("id").path("task").asInt() + "/restart", null);
        }
        operatorRestarts++;
    }

    /**
     * What an operator looks at when a connector does not reach a state: every worker's answer for its status, the
     * connector's records in the status topic (a tombstone shows as {@code null}), and each worker's warnings and
     * errors and the lines naming it, REST access and client lines left out (the status polls alone would fill the
     * tail).
     */
    private static String diagnosis(String connector) {
        StringBuilder out = new StringBuilder();
        for (int port : workers.keySet()) {
            URI status = URI.create("http://127.0.0.1:" + port + "/connectors/" + connector + "/status");
            try {
                HttpResponse<String> answer = ConnectStack.rest(status, "GET", null);
                out.append("\nworker ").append(port).append(": HTTP ").append(answer.statusCode()).append(' ').append(answer.body());
            } catch (RuntimeException down) {
                out.append("\nworker ").append(port).append(": ").append(down.getMessage());
            }
        }
        out.append("\n--- status topic records of ").append(connector);
        try {
            statusRecords(connector).forEach(line -> out.append("\n").append(line));
        } catch (RuntimeException | IOException unreadable) {
            out.append("\n(unreadable: ").append(unreadable).append(')');
        }
        for (int port : workers.keySet()) {
            out.append("\n--- worker ").append(port).append(" (alive: ").append(workers.get(port).isAlive()).append(")\n")
                    .append(InstalledPlugin.tail(work.resolve("worker-" + port + ".log"),
                            "^(?!.*(RestServer|clientId=connector-)).*(ERROR|WARN|" + connector + ")"));
        }
        return out.toString();
    }

    /** The configuration the installed workers run with. */
    private static Properties workerProperties() throws IOException {
        Properties worker = new Properties();
        try (var in = Files.newBufferedReader(work.resolve("worker-" + workers.keySet().iterator().next() + ".properties"))) {
            worker.load(in);
        }
        return worker;
    }

    /** The status topic's records of the connector and of its tasks: partition@offset, time, key and value. */
    private static List<String> statusRecords(String connector) throws IOException {
        String statusTopic = workerProperties().getProperty("status.storage.topic");
        List<String> lines = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new StringDeserializer(),
                new StringDeserializer())) {
            TopicToEnd.assignFromStart(consumer, statusTopic);
            TopicToEnd.read(consumer, Duration.ofSeconds(30), record -> {
                if (record.key() != null && (record.key().equals("status-connector-" + connector)
                        || record.key().startsWith("status-task-" + connector + "-"))) {
                    lines.add(record.partition() + "@" + record.offset() + " " + Instant.ofEpochMilli(record.timestamp())
                            + " " + record.key() + " = " + record.value());
                }
            });
        }
        return lines;
    }

    /** Lets the source write every order, then checks everything against the generator's own stream. */
    private static Row finish() throws Exception {
        resumeTheSource();
        Map<String, Event> expected = ExpectedOrders.generated(anyWorker(), "order-source");
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (topic.size() < expected.size() && System.nanoTime() < deadline) {
            restartFailedTasks();
            Thread.sleep(2_000);
            readTopic();
        }
        Row row = settle("end: the generator's " + ORDERS + " orders", Duration.ofMinutes(3));
        long missingFromTopic = expected.keySet().stream().filter(k -> !topic.containsKey(k)).count();
        long differing = expected.entrySet().stream().filter(e -> topic.containsKey(e.getKey())
                && topic.get(e.getKey()).amount().compareTo(e.getValue().amount()) != 0).count();
        long extra = topic.keySet().stream().filter(k -> !expected.containsKey(k)).count();
        return new Row(row.scenario(), row.orders(), row.events(), row.lost() + missingFromTopic + differing,
                row.duplicated() + extra, row.summaryMismatches(), row.lakeDlq(), row.summaryDlq(), row.tasksFailed(),
                row.operatorRestarts(), row.transactionsEnded());
    }

    private static Row settle(String name, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        long nextHangingCheck = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Row row;
        do {
            if (System.nanoTime() > nextHangingCheck) {
                // sinks read read_committed: a hanging transaction on the order topic stops them for good
                endHangingTransactions();
                nextHangingCheck = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            }
            restartFailedTasks();
            Thread.sleep(2_000);
            readTopic();
            row = check(name);
        } while ((row.lost() + row.duplicated() + row.summaryMismatches() > 0 || row.tasksFailed() > 0)
                && System.nanoTime() < deadline);
        return row;
    }

    /**
     * An exactly-once source task whose fencing a killed leader interrupted stays FAILED on purpose; an operator
     * restarts it (README, Operations). Counted apart from failures that remain.
     */
    private static void restartFailedTasks() {
        for (String connector : List.of("order-source", "order-lake", "order-summary")) {
            try {
                JsonNode status = JSON.readTree(rest("GET", "/connectors/" + connector + "/status", null).body());
                for (JsonNode task : status.path("tasks")) {
                    if ("FAILED".equals(task.path("state").asText())) {
                        String trace = task.path("trace").asText();
                        // The worker's own transaction of an exactly-once source task failed (its producer fenced, or
                        // InvalidTxnStateException after a broker restart): the transaction aborted, nothing was
                        // written, and the task does not recover by itself. An operator restarts it (README, Operations).
                        if (connector.equals("order-source") && (trace.contains("fenc") || trace.contains("InvalidTxnState"))) {
                            rest("POST", "/connectors/" + connector + "/restart?onlyFailed=true&includeTasks=true", null);
                            operatorRestarts++;
                        }
                    }
                }
            } catch (Exception workerGone) {
                // the worker answering is being killed: ask again next round
            }
        }
    }

    /** Stops the worker a connector's status names, gracefully, and starts a new one in its place. */
    private static void restartWorkerOf(JsonNode status) throws Exception {
        String workerId = status.path("connector").path("worker_id").asText();
        restartWorker(Integer.parseInt(workerId.substring(workerId.lastIndexOf(':') + 1)));
    }

    /** Stops a worker gracefully (forcibly after 30 s) and starts a new one in its place; counted in op-rst. */
    private static void restartWorker(int port) throws Exception {
        Process worker = workers.remove(port);
        if (worker == null) {
            return;
        }
        Processes.stop(worker, Duration.ofSeconds(30));
        operatorRestarts++;
        startWorker();
    }

    private static void killAWorker() throws InterruptedException {
        Integer port = workers.keySet().stream().reduce((a, b) -> b).orElseThrow();
        workers.remove(port).destroyForcibly().waitFor();
    }

    private static void injectBadRecords() throws Exception {
        String schema = "{\"type\":\"struct\",\"name\":\"io.orderflow.OrderEvent\",\"optional\":false,\"fields\":["
                + "{\"field\":\"order_id\",\"type\":\"string\",\"optional\":false},"
                + "{\"field\":\"customer_id\",\"type\":\"string\",\"optional\":false},"
                + "{\"field\":\"amount\",\"type\":\"bytes\",\"optional\":false,\"name\":\"org.apache.kafka.connect.data.Decimal\","
                + "\"version\":1,\"parameters\":{\"scale\":\"2\",\"connect.decimal.precision\":\"18\"}},"
                + "{\"field\":\"currency\",\"type\":\"string\",\"optional\":false},"
                + "{\"field\":\"status\",\"type\":\"string\",\"optional\":false},"
                + "{\"field\":\"event_time\",\"type\":\"int64\",\"optional\":false,\"name\":\"org.apache.kafka.connect.data.Timestamp\",\"version\":1}]}";
        long time = Instant.parse("2026-03-01T08:00:30Z").toEpochMilli();
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("malformed JSON", "{\"schema\":");
        for (String amount : List.of("1.005", "12345678901234567890123.45")) {
            bad.put("amount " + amount, "{\"schema\":" + schema + ",\"payload\":{\"order_id\":\"bad-" + amount + "\",\"customer_id\":\"c\","
                    + "\"amount\":" + amount + ",\"currency\":\"EUR\",\"status\":\"COMPLETED\",\"event_time\":" + time + "}}");
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            int partition = 0;
            for (Map.Entry<String, String> record : bad.entrySet()) {
                RecordMetadata at = producer.send(new ProducerRecord<>(TOPIC, partition++ % 4, "bad".getBytes(StandardCharsets.UTF_8),
                        record.getValue().getBytes(StandardCharsets.UTF_8))).get();
                injected.add(at.partition() + "@" + at.offset());
            }
        }
    }

    /** Reads what the topic gained since the last call, read_committed, skipping the injected bad records. */
    private static void readTopic() throws Exception {
        List<ConsumerRecord<byte[], byte[]>> gained = new ArrayList<>();
        TopicToEnd.read(topicReader, Duration.ofMinutes(2), gained::add);
        for (ConsumerRecord<byte[], byte[]> record : gained) {
            if (injected.contains(record.partition() + "@" + record.offset())) {
                continue;
            }
            String key = ExpectedOrders.key(record);
            Event event = ExpectedOrders.event(record);
            if (topic.put(key, event) != null) {
                duplicatesInTopic.add("the source wrote " + key + " twice");
            }
        }
    }

    private static Row check(String scenario) {
        long lost = 0;
        long duplicated = 0;
        long mismatches = 0;
        try (Connection db = DriverManager.getConnection(postgresUrl, "postgres", "")) {
            ExpectedOrders.RawComparison raw = ExpectedOrders.raw(db, topic);
            lost = raw.lost();
            duplicated = raw.duplicated();
            mismatches = ExpectedOrders.summaryMismatches(db, topic.values());
        } catch (SQLException warehouseDown) {
            lost = topic.size();
        }
        long orders = topic.keySet().stream().map(k -> k.substring(0, k.indexOf('/'))).distinct().count();
        return new Row(scenario, (int) orders, topic.size(), lost, duplicated, mismatches,
                deadLetters("orders.events.lake-dlq"), deadLetters("orders.events.summary-dlq"), failedTasks(), operatorRestarts,
                transactionsEnded);
    }

    /** Distinct injected records in a dead letter queue (Connect's DLQ may repeat one after a restart). */
    private static long deadLetters(String dlq) {
        Set<String> found = new HashSet<>();
        for (DeadLetterTopic.Origin origin : DeadLetterTopic.origins(stack.bootstrapServers(), dlq)) {
            String at = origin.partition() + "@" + origin.offset();
            if (injected.contains(at)) {
                found.add(at);
            } else {
                unexpectedDeadLetters.add(dlq + " holds " + origin + ", which was not injected");
            }
        }
        return found.size();
    }

    private static long failedTasks() {
        long failed = 0;
        for (String connector : List.of("order-source", "order-lake", "order-summary")) {
            try {
                JsonNode status = JSON.readTree(rest("GET", "/connectors/" + connector + "/status", null).body());
                if (!"RUNNING".equals(status.path("connector").path("state").asText())
                        && !"PAUSED".equals(status.path("connector").path("state").asText())) {
                    failed++;
                }
                for (JsonNode task : status.path("tasks")) {
                    String state = task.path("state").asText();
                    if (!state.equals("RUNNING") && !state.equals("PAUSED")) {
                        failed++;
                    }
                }
            } catch (Exception e) {
                failed++;
            }
        }
        return failed;
    }
}
