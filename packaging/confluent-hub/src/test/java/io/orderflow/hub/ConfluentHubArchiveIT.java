package io.orderflow.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.PluginMetricsOverJmx;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Installs the Confluent Hub archive this module builds the way a user does — unzipped into a worker's
 * {@code plugin.path} — and runs it in a worker process whose classpath holds the Connect runtime but none of the
 * project's classes, so every plugin class comes through the archive's own class loader.
 */
class ConfluentHubArchiveIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PROJECT_ROOT = InstalledPlugin.PROJECT_ROOT;
    private static final String TOPIC = "orders.events";
    /** Jars the worker provides; a second copy in the plugin breaks class loading. */
    private static final List<String> WORKER_OWNED = List.of("kafka-clients-", "connect-api-", "connect-runtime-",
            "connect-transforms-", "connect-json-", "kafka_2.", "kafka-server-", "orderflow-test-support-", "junit-");

    @TempDir
    static Path work;

    private static ConnectStack stack;
    private static Process worker;
    private static Path installed;
    private static URI rest;
    private static int jmxPort;
    private static int prometheusPort;

    @BeforeAll
    static void installAndStartWorker() throws Exception {
        installed = InstalledPlugin.unzip(InstalledPlugin.archive(), work.resolve("plugins"));
        stack = ConnectStack.start("hub", 1);
        int port = InstalledPlugin.freePort();
        rest = URI.create("http://127.0.0.1:" + port);
        jmxPort = InstalledPlugin.freePort();
        prometheusPort = InstalledPlugin.freePort();
        List<String> jvm = new ArrayList<>(PluginMetricsOverJmx.jvmOptions(jmxPort));
        // As packaging/monitoring tells operators to run a worker: the Prometheus JMX exporter as a Java agent.
        jvm.add("-javaagent:" + Path.of("target/monitoring/jmx_prometheus_javaagent.jar").toAbsolutePath() + "="
                + prometheusPort + ":" + PROJECT_ROOT.resolve("packaging/monitoring/jmx-exporter.yml"));
        worker = stack.startInstalledWorkerProcess(work, port, work.resolve("plugins"), InstalledPlugin.workerClasspath(),
                "orderflow-hub-installed", jvm);
        awaitRest();
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.destroyForcibly();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void manifestDescribesTheBundleAndLibHoldsNoWorkerJars() throws IOException {
        JsonNode manifest = JSON.readTree(installed.resolve("manifest.json").toFile());
        assertEquals("orderflow", manifest.get("name").asText());
        Set<String> types = new HashSet<>();
        manifest.get("component_types").forEach(t -> types.add(t.asText()));
        assertEquals(Set.of("source", "sink", "transform", "converter"), types);
        assertTrue(manifest.get("features").get("confluent_control_center_integration").asBoolean());

        List<String> jars;
        try (Stream<Path> files = Files.list(installed.resolve("lib"))) {
            jars = files.map(f -> f.getFileName().toString()).sorted().toList();
        }
        String version = manifest.get("version").asText();
        for (String module : List.of("connect-common", "source-connector", "smt-windowing", "sink-connector")) {
            assertTrue(jars.contains("orderflow-" + module + "-" + version + ".jar"), module + " missing from " + jars);
        }
        List<String> workerOwned = jars.stream().filter(j -> WORKER_OWNED.stream().anyMatch(j::startsWith)).toList();
        assertEquals(List.of(), workerOwned, "jars the worker already has must not be bundled");
    }

    @Test
    void everyPluginLoadsFromThePluginPath() throws Exception {
        JsonNode plugins = JSON.readTree(get("/connector-plugins?connectorsOnly=false").body());
        Map<String, String> versions = new HashMap<>();
        plugins.forEach(p -> versions.put(p.get("class").asText(), p.path("version").asText()));
        for (String plugin : List.of("io.orderflow.source.OrderSourceConnector", "io.orderflow.sink.lake.ParquetS3SinkConnector",
                "io.orderflow.sink.aggregate.WindowAggregateSinkConnector", "io.orderflow.smt.enrich.Enrich$Value",
                "io.orderflow.smt.window.TumblingWindow", "io.orderflow.smt.predicate.FieldMatches",
                "io.orderflow.sink.convert.RegistryOutageConverter")) {
            assertTrue(versions.containsKey(plugin), plugin + " is not offered by the installed worker: " + versions.keySet());
            assertFalse(versions.get(plugin).isBlank(), plugin + " reports no version");
        }
        // Bundled for the Avro configs and declared in the archive's manifest, so that service_load finds it (Apicurio's
        // converter reports no version of its own).
        assertTrue(versions.containsKey("io.apicurio.registry.utils.converter.AvroConverter"),
                "the bundled AvroConverter is not offered: " + versions.keySet());
        // The summary pipeline's config names a predicate, two transforms and the aggregate sink: all resolve.
        Map<String, String> summary = ConnectStack.readConfig(PROJECT_ROOT.resolve("connector-configs/order-summary.json"));
        summary.put("duckdb.path", work.resolve("summary.duckdb").toString());
        JsonNode validation = JSON.readTree(send("PUT", "/connector-plugins/WindowAggregateSinkConnector/config/validate",
                ConnectStack.toJson(summary)).body());
        assertEquals(0, validation.get("error_count").asInt(), validation.toPrettyString());
    }

    @Test
    void theShippedSourceAndLakeConfigsRunFromTheArchive() throws Exception {
        Path lake = work.resolve("lake");
        Map<String, String> source = ConnectStack.readConfig(PROJECT_ROOT.resolve("connector-configs/order-source.json"));
        source.putAll(Map.of("orders.per.second", "0", "max.orders", "400", "event.time.start", "2026-01-01T00:00:00Z"));
        Map<String, String> sink = ConnectStack.readConfig(PROJECT_ROOT.resolve("connector-configs/order-lake.json"));
        sink.putAll(Map.of("store.url", lake.toUri().toString(), "rotate.schedule.interval.ms", "1000"));
        sink.put("duckdb.path", work.resolve("warehouse.duckdb").toString());
        Map<String, String> summary = ConnectStack.readConfig(PROJECT_ROOT.resolve("connector-configs/order-summary.json"));
        summary.put("duckdb.path", work.resolve("summary.duckdb").toString());
        stack.createTopic(TOPIC, 2);
        deploy(source);
        deploy(sink);
        deploy(summary);

        int events = committedRecordsOnceStable(Duration.ofMinutes(2));
        assertTrue(events > 400, "the source wrote " + events + " events");
        List<GenericRecord> rows = awaitRows(lake, events, Duration.ofMinutes(2));
        Set<String> keys = rows.stream().map(r -> r.get("order_id") + "/" + r.get("status")).collect(Collectors.toSet());
        assertEquals(events, keys.size(), "every event exactly once");
        assertTrue(rows.stream().allMatch(r -> "orderflow".equals(String.valueOf(r.get("pipeline")))),
                "the Enrich transform from the archive added its static field to every row");
        // The lake loads each commit into DuckDB (a native library) from inside the plugin's class loader.
        String status = get("/connectors?expand=status").body();
        assertFalse(status.contains("FAILED"), status);

        long completed = rows.stream().filter(r -> "COMPLETED".equals(String.valueOf(r.get("status")))).count();
        assertPluginMetrics(events, completed);
    }

    /**
     * The jdbc reader from the archive: the PostgreSQL driver it bundles is found through the plugin's own class
     * loader (not DriverManager's JVM-wide registry), and every row of a real server's table arrives once.
     */
    @Test
    void theJdbcReaderReadsAPostgresqlTableFromTheArchive() throws Exception {
        try (io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.start()) {
            try (java.sql.Connection db = postgres.getPostgresDatabase().getConnection(); java.sql.Statement sql = db.createStatement()) {
                sql.execute("CREATE TABLE orders (id bigserial PRIMARY KEY, order_id text, customer_id text, amount numeric(12,2), "
                        + "currency text, status text, event_time timestamptz, updated_at timestamptz)");
                sql.execute("INSERT INTO orders (order_id, customer_id, amount, currency, status, event_time, updated_at) "
                        + "SELECT 'o-' || n, 'c-' || n % 7, n / 4.0, 'EUR', 'COMPLETED', now(), now() FROM generate_series(1, 300) n");
            }
            Map<String, String> source = ConnectStack.readConfig(PROJECT_ROOT.resolve("connector-configs/order-source.json"));
            source.putAll(Map.of("name", "order-source-jdbc", "topic", "orders.jdbc", "reader", "jdbc",
                    "jdbc.url", postgres.getJdbcUrl("postgres", "postgres"), "jdbc.user", "postgres", "jdbc.table", "orders"));
            stack.createTopic("orders.jdbc", 2);
            deploy(source);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            long records = 0;
            while (records < 300 && System.nanoTime() < deadline) {
                Thread.sleep(1_000);
                records = InstalledPlugin.committedRecords(stack, "orders.jdbc");
            }
            Thread.sleep(3_000);
            assertEquals(300, InstalledPlugin.committedRecords(stack, "orders.jdbc"), "every row once; connectors: "
                    + get("/connectors?expand=status").body() + "\nworker log:\n" + workerLog("ERROR|WARN"));
            send("DELETE", "/connectors/order-source-jdbc", null);
        }
    }

    /**
     * What an operator's JMX client sees (KIP-877): each plugin's own counters agree with what reached the topic and
     * the lake. Counters are read until they settle, as the summary flushes on its interval.
     */
    private static void assertPluginMetrics(int events, long completed) throws Exception {
        try (PluginMetricsOverJmx jmx = PluginMetricsOverJmx.remote(jmxPort)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (true) {
                try {
                    assertEquals((double) events, value(jmx.task("order-source", "events-emitted-total")), "source events");
                    assertTrue(value(jmx.task("order-source", "orders-emitted-total")) >= 400, "source orders");
                    assertTrue(value(jmx.task("order-source", "event-time-lag-ms")) > 0, "source event-time lag");
                    assertTrue(value(jmx.task("order-source", "events-emitted-rate")) >= 0, "source rate");
                    // At least once each: a partition revoked while its task's two consumers join is rewritten.
                    assertTrue(value(jmx.task("order-lake", "records-written-total")) >= events, "lake records written");
                    assertTrue(value(jmx.task("order-lake", "files-committed-total")) > 0, "lake files committed");
                    assertTrue(value(jmx.task("order-lake", "bytes-committed-total")) > 0, "lake bytes committed");
                    assertTrue(value(jmx.task("order-lake", "files-loaded-total")) > 0, "lake files loaded into DuckDB");
                    assertEquals(0.0, value(jmx.task("order-lake", "dlq-records-total")), "nothing went to the lake's DLQ");
                    assertTrue(value(jmx.task("order-lake", "freshness-ms")) > 0, "lake freshness");
                    assertTrue(value(jmx.plugin("order-summary", "isCompleted", "records-matched-total")) >= completed,
                            "FieldMatches matched the COMPLETED events");
                    assertTrue(value(jmx.plugin("order-summary", "isCompleted", "records-not-matched-total")) >= events - completed,
                            "FieldMatches did not match the others, which Filter dropped");
                    assertTrue(value(jmx.task("order-summary", "records-aggregated-total")) >= completed, "summary records");
                    assertTrue(value(jmx.task("order-summary", "windows-updated-total")) > 0, "summary windows upserted");
                    assertTrue(value(jmx.plugin("order-summary", "window", "late-records-total")) >= 0, "TumblingWindow counts late records");
                    assertEveryMetricDocumented(jmx);
                    assertPrometheusScrape(events);
                    return;
                } catch (AssertionError notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError(notYet.getMessage() + "\nplugin metrics:\n"
                                + String.join("\n", jmx.describe("order-source")) + "\n"
                                + String.join("\n", jmx.describe("order-lake")) + "\n"
                                + String.join("\n", jmx.describe("order-summary")), notYet);
                    }
                    Thread.sleep(1_000);
                }
            }
        }
    }

    /**
     * What Prometheus scrapes from the exporter with packaging/monitoring/jmx-exporter.yml: the series alerts.yml
     * uses, with the values the worker holds.
     */
    private static void assertPrometheusScrape(int events) {
        String scrape = ConnectStack.rest(URI.create("http://127.0.0.1:" + prometheusPort + "/metrics"), "GET", null).body();
        double written = 0;
        for (String line : scrape.lines().toList()) {
            if (line.startsWith("orderflow_records_written_total{") && line.contains("connector=\"order-lake\"")) {
                written += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        List<String> ours = scrape.lines().filter(l -> l.startsWith("orderflow_") || l.startsWith("kafka_connect_")).toList();
        assertTrue(written >= events, "orderflow_records_written_total summed over the lake's tasks: " + written
                + " for " + events + " events; scraped:\n" + String.join("\n", ours));
        for (String series : List.of("kafka_connect_connector_tasks{connector=\"order-lake\",state=\"running\"",
                "kafka_connect_connector_tasks{connector=\"order-summary\",state=\"failed\"",
                "kafka_connect_consumer_records_lag{connector=\"order-lake\"", "kafka_connect_consumer_records_lead{connector=\"order-lake\"",
                "orderflow_files_committed_total{connector=\"order-lake\"",
                "orderflow_dlq_records_total{connector=\"order-summary\"",
                "kafka_connect_task_error_deadletterqueue_produce_requests{connector=\"order-lake\"", "orderflow_freshness_ms{connector=\"order-summary\"",
                "orderflow_windows_updated_total{connector=\"order-summary\"",
                "orderflow_records_matched_total{alias=\"isCompleted\",connector=\"order-summary\",plugin=\"predicate\"")) {
            assertTrue(scrape.contains(series), series + " is not scraped; the orderflow/Connect series were:\n"
                    + String.join("\n", ours));
        }
    }

    /** Every plugin metric the worker publishes is in docs/metrics.md, so the table cannot fall behind the code. */
    private static void assertEveryMetricDocumented(PluginMetricsOverJmx jmx) throws Exception {
        String documented = Files.readString(PROJECT_ROOT.resolve("docs/metrics.md"));
        for (String connector : List.of("order-source", "order-lake", "order-summary")) {
            for (String metric : jmx.metricNames(connector)) {
                assertTrue(documented.contains("`" + metric + "`"), metric + " of " + connector + " is not in docs/metrics.md");
            }
        }
    }

    /** A metric's value, or NaN when the worker does not publish it (yet), which no assertion accepts. */
    private static double value(Double metric) {
        return metric == null ? Double.NaN : metric;
    }

    private static void awaitRest() throws InterruptedException {
        InstalledPlugin.awaitRest(worker, rest, work.resolve("worker-" + rest.getPort() + ".log"));
    }

    private static String workerLog(String pattern) {
        return InstalledPlugin.tail(work.resolve("worker-" + rest.getPort() + ".log"), pattern);
    }

    private static HttpResponse<String> get(String resource) {
        return send("GET", resource, null);
    }

    private static HttpResponse<String> send(String method, String resource, String body) {
        return ConnectStack.rest(rest.resolve(resource), method, body);
    }

    private static void deploy(Map<String, String> config) {
        String name = config.remove("name");
        HttpResponse<String> response = send("PUT", "/connectors/" + name + "/config", ConnectStack.toJson(config));
        assertTrue(response.statusCode() / 100 == 2, name + ": " + response.statusCode() + " " + response.body());
    }

    // --- what reached the topic and the lake ---

    /** Data records in the topic (read_committed), once the source has stopped adding any for a few seconds. */
    private static int committedRecordsOnceStable(Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        int previous = -1;
        while (System.nanoTime() < deadline) {
            int now = (int) InstalledPlugin.committedRecords(stack, TOPIC);
            if (now > 0 && now == previous) {
                return now;
            }
            previous = now;
            Thread.sleep(3_000);
        }
        throw new AssertionError("The topic holds " + previous + " events and did not settle within " + patience
                + "; connectors: " + get("/connectors?expand=status").body() + "\nworker log:\n" + workerLog("ERROR|WARN"));
    }

    private static List<GenericRecord> awaitRows(Path lake, int expected, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        List<GenericRecord> rows = List.of();
        while (System.nanoTime() < deadline) {
            rows = readLake(lake.resolve(TOPIC));
            if (rows.size() >= expected) {
                return rows;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("The lake holds " + rows.size() + " of " + expected + " events");
    }

    private static List<GenericRecord> readLake(Path topicDir) throws IOException {
        if (!Files.isDirectory(topicDir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(topicDir)) {
            files = walk.filter(f -> f.toString().endsWith(".parquet")).toList();
        }
        List<GenericRecord> rows = new ArrayList<>();
        for (Path file : files) {
            try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file),
                    new PlainParquetConfiguration()).build()) {
                for (GenericRecord row; (row = reader.read()) != null; ) {
                    rows.add(row);
                }
            }
        }
        return rows;
    }
}
