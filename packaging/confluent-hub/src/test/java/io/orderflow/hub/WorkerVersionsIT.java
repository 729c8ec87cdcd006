package io.orderflow.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.PluginMetricsOverJmx;
import io.orderflow.testing.Processes;
import io.orderflow.testing.Resources;
import io.orderflow.testing.TempDirectory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The archive on the workers users run besides Kafka 4.3: an Apache Kafka 3.9.2 worker (Confluent Platform 7.9, no
 * KIP-877 plugin metrics), a 4.0.2 worker (CP 8.0) and the newest release, 4.4.0, which the project is not built
 * against. Each is a {@code ConnectDistributed} process on the classpath {@code connect-runtime} of that version
 * resolves from Maven Central ({@code packaging/workers/}), with the archive unzipped on its {@code plugin.path} and
 * {@code plugin.discovery=service_load}. Every plugin must be offered, and the three shipped configs must run: every
 * event in the raw table once, the summary equal to the raw table's. The plugins' own metrics must be there from
 * Kafka 4.1 on and absent, without failing anything, before.
 */
class WorkerVersionsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PLUGINS = List.of("io.orderflow.source.OrderSourceConnector",
            "io.orderflow.sink.lake.ParquetS3SinkConnector", "io.orderflow.sink.aggregate.WindowAggregateSinkConnector",
            "io.orderflow.smt.enrich.Enrich$Key", "io.orderflow.smt.enrich.Enrich$Value",
            "io.orderflow.smt.window.TumblingWindow", "io.orderflow.smt.predicate.FieldMatches",
            "io.orderflow.sink.convert.RegistryOutageConverter");
    private static final int ORDERS = 600;

    private static TempDirectory workDir;
    private static Path work;
    private static ConnectStack stack;
    private static EmbeddedPostgres postgres;
    private static Path pluginPath;

    @BeforeAll
    static void start() throws Exception {
        workDir = TempDirectory.create("orderflow-worker-versions-");
        work = workDir.path();
        pluginPath = work.resolve("plugins");
        InstalledPlugin.unzip(InstalledPlugin.archive(), pluginPath);
        stack = ConnectStack.start("versions", 1);
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stop() throws Exception {
        Resources.closeAll(stack, postgres, workDir);
    }

    @ParameterizedTest(name = "Kafka {0} worker")
    @ValueSource(strings = {"3.9", "4.0", "4.4"})
    void everyPluginLoadsAndTheShippedPipelineRuns(String kafka) throws Exception {
        Path dir = Files.createDirectories(work.resolve("kafka-" + kafka));
        int port = InstalledPlugin.freePort();
        URI rest = URI.create("http://127.0.0.1:" + port);
        String suffix = kafka.replace(".", "");
        int jmxPort = InstalledPlugin.freePort();
        Process worker = stack.startInstalledWorkerProcess(dir, port, pluginPath, workerClasspath(kafka),
                "orderflow-kafka-" + suffix, PluginMetricsOverJmx.jvmOptions(jmxPort));
        Path log = dir.resolve("worker-" + port + ".log");
        try {
            InstalledPlugin.awaitRest(worker, rest, log);
            String version = JSON.readTree(ConnectStack.rest(rest.resolve("/"), "GET", null).body()).get("version").asText();
            assertTrue(version.startsWith(kafka + "."), "the worker runs Kafka " + version);

            Set<String> offered = new HashSet<>();
            JSON.readTree(ConnectStack.rest(rest.resolve("/connector-plugins?connectorsOnly=false"), "GET", null).body())
                    .forEach(p -> offered.add(p.get("class").asText()));
            for (String plugin : PLUGINS) {
                assertTrue(offered.contains(plugin), plugin + " is not offered by the Kafka " + version + " worker:\n"
                        + InstalledPlugin.tail(log, "ERROR|WARN"));
            }

            String topic = "orders.events.k" + suffix;
            stack.createTopic(topic, 2);
            deployPipeline(rest, topic, suffix);
            String raw = "orders_raw_k" + suffix;
            String summary = "orders_minute_summary_k" + suffix;
            long events = awaitPipeline(rest, raw, summary, Duration.ofMinutes(3), log);
            assertTrue(events > ORDERS, "the source wrote " + events + " events for " + ORDERS + " orders");
            String status = ConnectStack.rest(rest.resolve("/connectors?expand=status"), "GET", null).body();
            assertFalse(status.contains("FAILED"), status);
            try (PluginMetricsOverJmx jmx = PluginMetricsOverJmx.remote(jmxPort)) {
                if (hasPluginMetrics(kafka)) {
                    assertPluginMetrics(jmx, suffix, events);
                } else {
                    // No KIP-877 before Kafka 4.1: the plugins run without metrics rather than fail.
                    assertEquals(List.of(), jmx.describe("order-lake-k" + suffix), "plugin metrics on a Kafka " + version + " worker");
                }
            }
        } finally {
            Processes.stop(worker, Duration.ofSeconds(30));
        }
    }

    private static boolean hasPluginMetrics(String kafka) {
        String[] majorMinor = kafka.split("\\.");
        int major = Integer.parseInt(majorMinor[0]);
        return major > 4 || major == 4 && Integer.parseInt(majorMinor[1]) >= 1;
    }

    /**
     * The counters an operator reads agree with the warehouse once the pipeline has settled: the source's events and
     * the lake's writes and loads (at least once each, as a rebalance rewrites what was not committed).
     */
    private static void assertPluginMetrics(PluginMetricsOverJmx jmx, String suffix, long events) throws Exception {
        String metrics = String.join("\n", jmx.describe("order-source-k" + suffix)) + "\n"
                + String.join("\n", jmx.describe("order-lake-k" + suffix));
        assertEquals((double) events, jmx.task("order-source-k" + suffix, "events-emitted-total"), metrics);
        Double written = jmx.task("order-lake-k" + suffix, "records-written-total");
        assertTrue(written != null && written >= events, "lake records written: " + metrics);
        Double loaded = jmx.task("order-lake-k" + suffix, "files-loaded-total");
        assertTrue(loaded != null && loaded > 0, "lake files loaded: " + metrics);
    }

    /** The shipped configs as a user adapts them: a bounded stream, a local lake, PostgreSQL as the warehouse. */
    private static void deployPipeline(URI rest, String topic, String suffix) {
        Map<String, String> warehouse = Map.of("warehouse.dialect", "postgresql",
                "postgresql.url", postgres.getJdbcUrl("postgres", "postgres"), "postgresql.user", "postgres",
                "postgresql.password", "");
        Map<String, String> source = shipped("order-source.json");
        source.putAll(Map.of("topic", topic, "orders.per.second", "0", "max.orders", Integer.toString(ORDERS),
                "event.time.start", "2026-02-01T00:00:00Z"));
        Map<String, String> lake = shipped("order-lake.json");
        lake.putAll(warehouse);
        lake.putAll(Map.of("topics", topic, "store.url", work.resolve("lake-" + suffix).toUri().toString(),
                "rotate.schedule.interval.ms", "1000", "warehouse.table", "orders_raw_k" + suffix,
                "errors.deadletterqueue.topic.name", topic + ".lake-dlq"));
        Map<String, String> summary = shipped("order-summary.json");
        summary.putAll(warehouse);
        summary.putAll(Map.of("topics", topic, "warehouse.table", "orders_minute_summary_k" + suffix,
                "errors.deadletterqueue.topic.name", topic + ".summary-dlq"));
        for (Map<String, String> config : List.of(source, lake, summary)) {
            String name = config.remove("name") + "-k" + suffix;
            HttpResponse<String> response = ConnectStack.rest(rest.resolve("/connectors/" + name + "/config"), "PUT",
                    ConnectStack.toJson(config));
            assertTrue(response.statusCode() / 100 == 2, name + ": " + response.statusCode() + " " + response.body());
        }
    }

    private static Map<String, String> shipped(String file) {
        return ConnectStack.readConfig(InstalledPlugin.PROJECT_ROOT.resolve("connector-configs").resolve(file));
    }

    /**
     * Waits until the raw table holds every event of the topic once and the summary equals what the raw table's
     * completed orders give per minute; returns the number of events.
     */
    private static long awaitPipeline(URI rest, String raw, String summary, Duration patience, Path log) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        String state = "nothing yet";
        long previousInTopic = -1;
        while (System.nanoTime() < deadline) {
            try (Connection db = postgres.getPostgresDatabase().getConnection()) {
                long rows = single(db, "SELECT count(*) FROM " + raw);
                long distinct = single(db, "SELECT count(DISTINCT (order_id, status)) FROM " + raw);
                long inTopic = committedEvents(raw);
                long mismatched = single(db, summaryMismatchSql(raw, summary));
                state = rows + " raw rows (" + distinct + " distinct) for " + inTopic + " events in the topic, "
                        + mismatched + " summary minutes differing from the raw table";
                // The source has finished when the topic stops growing between two looks.
                if (inTopic > 0 && inTopic == previousInTopic && rows == inTopic && distinct == rows && mismatched == 0) {
                    return rows;
                }
                previousInTopic = inTopic;
            } catch (SQLException tablesNotThereYet) {
                state = tablesNotThereYet.getMessage();
            }
            Thread.sleep(2_000);
        }
        throw new AssertionError("The pipeline did not settle: " + state + "\nconnectors: "
                + ConnectStack.rest(rest.resolve("/connectors?expand=status"), "GET", null).body()
                + "\nworker log:\n" + InstalledPlugin.tail(log, "ERROR|WARN"));
    }

    /** Events the source committed, once it has finished: the generator is deterministic, so its end is known. */
    private static long committedEvents(String raw) {
        String topic = "orders.events.k" + raw.substring(raw.lastIndexOf('k') + 1);
        return InstalledPlugin.committedRecords(stack, topic);
    }

    /** Minutes where the summary differs from the raw table's COMPLETED events, either way round. */
    private static String summaryMismatchSql(String raw, String summary) {
        return "SELECT count(*) FROM (SELECT to_timestamp(floor(extract(epoch FROM event_time) / 60) * 60) AS w, "
                + "count(*) AS c, sum(amount) AS r FROM " + raw + " WHERE status = 'COMPLETED' GROUP BY 1) e "
                + "FULL OUTER JOIN " + summary + " s ON s.window_start = e.w "
                + "WHERE e.w IS NULL OR s.window_start IS NULL OR s.total_orders <> e.c OR s.total_revenue <> e.r";
    }

    private static long single(Connection db, String sql) throws SQLException {
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every jar a Kafka {@code version} Connect worker runs with, resolved by {@code packaging/workers/kafka-<version>}. */
    private static String workerClasspath(String kafka) {
        Path lib = InstalledPlugin.PROJECT_ROOT.resolve("packaging/workers/kafka-" + kafka + "/target/worker-lib");
        assertTrue(Files.isDirectory(lib), lib + " is missing: build packaging/workers/kafka-" + kafka + " first");
        return lib + File.separator + "*";
    }
}
