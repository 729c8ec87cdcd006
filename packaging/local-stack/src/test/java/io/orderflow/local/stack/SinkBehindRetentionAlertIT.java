package io.orderflow.local.stack;

import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.Promtool;
import io.orderflow.testing.Resources;
import io.orderflow.testing.TempDirectory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * OrderflowSinkBehindRetention (packaging/monitoring/alerts.yml) on what a real worker serves: the installed archive
 * in a {@code ConnectDistributed} process started with the Prometheus JMX exporter agent and jmx-exporter.yml, the
 * shipped source and lake configs, and a partition whose log start moves on as retention moves it (the test deletes
 * what lies more than {@value #RETAINED} records behind the log end, every half second).
 *
 * <p>First the lake keeps up: its scrapes raise nothing. Then a broker quota on its consumer's client id makes it
 * slower than the source, until retention deletes records it has not read and its consumer resets to the log start,
 * as the worker log shows. Replayed a minute apart, the scrapes taken before that raise the alert while the lake still
 * had records to save. What this checks beyond alerts-test.yml: that the worker's exporter serves the lead and the lag
 * the rule reads, under one set of labels, and that a real sink falling behind retention looks as the rule expects.
 */
class SinkBehindRetentionAlertIT {

    private static final String TOPIC = "orders.events";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final String LEAD = "kafka_connect_consumer_records_lead";
    private static final String LAG = "kafka_connect_consumer_records_lag";
    private static final String OF_LAKE = "connector=\"order-lake\"";
    /** Records the partition keeps behind its log end: a retention.bytes of about 47 MB of these events. */
    private static final long RETAINED = 60_000;
    /** About 1,900 events a second, some 1.5 MB/s of JSON events. */
    private static final int ORDERS_PER_SECOND = 500;
    /** The lake's consumer throttled to about half of what the source writes. */
    private static final double THROTTLED_BYTES_PER_SECOND = 700_000;
    /** Longer than the alert's 10 minutes, at a minute a scrape. */
    private static final int HEALTHY_SCRAPES = 12;
    private static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(2);
    private static final String FIRING = "ALERTS{alertname=\"OrderflowSinkBehindRetention\",alertstate=\"firing\"}";
    private static final String ANY_STATE = "ALERTS{alertname=\"OrderflowSinkBehindRetention\"}";
    private static final Pattern OUT_OF_RANGE = Pattern.compile(
            "Fetch position FetchPosition\\{offset=(\\d+),.*is out of range for partition " + Pattern.quote(PARTITION.toString()) + ", resetting offset");
    private static final Pattern RESET = Pattern.compile(
            "Resetting offset for partition " + Pattern.quote(PARTITION.toString()) + " to position FetchPosition\\{offset=(\\d+),");

    private static TempDirectory run;
    private static StackProcesses stack;
    private static URI metrics;

    @BeforeAll
    static void startBrokerAndWorkerWithItsExporter() throws Exception {
        assumeTrue(Promtool.isInstalled(), Promtool.MISSING);
        Path root = StackProcesses.projectRoot();
        run = TempDirectory.create("orderflow-retention-alert-it");
        int metricsPort = StackProcesses.freePort();
        metrics = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
        stack = new StackProcesses(root, run.path(), StackProcesses.freePort(), List.of(
                StackProcesses.prometheusExporter(metricsPort, root.resolve("packaging/monitoring/jmx-exporter.yml"))));
        stack.startBroker();
        stack.startWorker(StackProcesses.archive(root));
    }

    @AfterAll
    static void stop() throws Exception {
        Resources.closeAll(stack, run);
    }

    @Test
    void aLakeFallingBehindRetentionRaisesTheAlertBeforeItsRecordsAreDeletedAndAHealthyOneDoesNot() throws Exception {
        ScheduledExecutorService retention = Executors.newSingleThreadScheduledExecutor();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            deployShippedConfigs();
            retention.scheduleWithFixedDelay(() -> deleteBeyondRetention(admin), 0, 500, TimeUnit.MILLISECONDS);

            awaitRetentionAtWorkAndLakeCaughtUp(admin);
            List<AlertReplay.Scraped[]> healthy = new ArrayList<>();
            for (int i = 0; i < HEALTHY_SCRAPES; i++) {
                healthy.add(scrape());
                Thread.sleep(SCRAPE_INTERVAL.toMillis());
            }

            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(
                    new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, "connector-consumer-order-lake-0")),
                    List.of(new ClientQuotaAlteration.Op("consumer_byte_rate", THROTTLED_BYTES_PER_SECOND))))).all().get();
            List<AlertReplay.Scraped[]> beforeTheLoss = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while (!OUT_OF_RANGE.matcher(workerLog()).find()) {
                assertTrue(System.nanoTime() < deadline, "the throttled lake's consumer was not overtaken by retention "
                        + "within 4 minutes; last scrape: " + (beforeTheLoss.isEmpty() ? "none" : List.of(beforeTheLoss.get(beforeTheLoss.size() - 1))));
                beforeTheLoss.add(scrape());
                Thread.sleep(SCRAPE_INTERVAL.toMillis());
            }
            // The last scrape may have raced the reset; the ones before it were taken while the records were still there.
            beforeTheLoss.remove(beforeTheLoss.size() - 1);
            long deletedUnread = deletedUnread();
            assertTrue(deletedUnread > 0, "the worker log should show the lake's consumer reset forward past records "
                    + "retention deleted; it shows:\n" + workerLogLines("out of range|Resetting offset"));

            System.out.printf("SinkBehindRetentionAlertIT: %d healthy scrapes, %d throttled ones before retention deleted %d"
                    + " records the lake had not read%n  healthy: %s%n  throttled: %s%n", healthy.size(), beforeTheLoss.size(),
                    deletedUnread, describe(healthy), describe(beforeTheLoss));
            String labels = healthy.get(0)[0].labels();
            Promtool.Result healthyRun = AlertReplay.run(run.path(), "healthy", series(labels, healthy), minutes(healthy.size(), ANY_STATE));
            assertTrue(healthyRun.succeeded(), "a lake keeping up, its " + healthy.size() + " scrapes a minute apart, "
                    + "should raise nothing at any minute:\n" + healthyRun + "\nscrapes: " + describe(healthy));

            List<AlertReplay.Scraped[]> history = new ArrayList<>(healthy);
            history.addAll(beforeTheLoss);
            String firing = "ALERTS{alertname=\"OrderflowSinkBehindRetention\",alertstate=\"firing\",severity=\"critical\","
                    + labels + "}";
            Promtool.Result fallingRun = AlertReplay.run(run.path(), "falling", series(labels, history), List.of(
                    AlertReplay.expect(ANY_STATE, (healthy.size() - 1) + "m", List.of()),
                    AlertReplay.expect(FIRING, (history.size() - 1) + "m", List.of(firing))));
            assertTrue(fallingRun.succeeded(), "the lake's scrapes, healthy and then throttled, a minute apart, should "
                    + "raise the alert by the last one before retention deleted " + deletedUnread + " records it had not "
                    + "read:\n" + fallingRun + "\nthrottled scrapes: " + describe(beforeTheLoss));
        } finally {
            retention.shutdownNow();
        }
    }

    private static void deployShippedConfigs() {
        Path root = StackProcesses.projectRoot();
        Map<String, String> source = ConnectStack.readConfig(root.resolve("connector-configs/order-source.json"));
        source.putAll(Map.of("tasks.max", "1", "orders.per.second", Integer.toString(ORDERS_PER_SECOND)));
        Map<String, String> lake = ConnectStack.readConfig(root.resolve("connector-configs/order-lake.json"));
        lake.putAll(Map.of("tasks.max", "1", "store.url", run.path().resolve("lake").toUri().toString(),
                "duckdb.path", run.path().resolve("warehouse.duckdb").toString()));
        for (Map<String, String> config : List.of(source, lake)) {
            String name = config.remove("name");
            HttpResponse<String> response = ConnectStack.rest(stack.rest().resolve("/connectors/" + name + "/config"),
                    "PUT", ConnectStack.toJson(config));
            assertEquals(2, response.statusCode() / 100, name + ": " + response.body());
        }
    }

    /** What retention.bytes does to the partition: deletes what lies more than RETAINED records behind its end. */
    private static void deleteBeyondRetention(Admin admin) {
        try {
            long end = admin.listOffsets(Map.of(PARTITION, OffsetSpec.latest())).partitionResult(PARTITION).get().offset();
            if (end > RETAINED) {
                admin.deleteRecords(Map.of(PARTITION, RecordsToDelete.beforeOffset(end - RETAINED))).all().get();
            }
        } catch (Exception e) {
            // the next round tries again, as retention would at its next check
        }
    }

    private static void awaitRetentionAtWorkAndLakeCaughtUp(Admin admin) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            long start = admin.listOffsets(Map.of(PARTITION, OffsetSpec.earliest())).partitionResult(PARTITION).get().offset();
            AlertReplay.Scraped[] scraped = scrapeOrNull();
            if (start > 0 && scraped != null && scraped[1].value() < RETAINED / 20) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "within 3 minutes retention should have deleted records and the lake "
                    + "kept up; log start " + start + ", scraped " + (scraped == null ? "nothing yet" : List.of(scraped))
                    + "\nconnectors: " + ConnectStack.rest(stack.rest().resolve("/connectors?expand=status"), "GET", null).body());
            Thread.sleep(1_000);
        }
    }

    /** The lake's lead and lag on the partition, which carry one set of labels, as the rule's match needs. */
    private static AlertReplay.Scraped[] scrape() {
        AlertReplay.Scraped[] scraped = scrapeOrNull();
        assertNotNull(scraped, "the worker's exporter serves no " + LEAD + " and " + LAG + " of the lake");
        return scraped;
    }

    private static AlertReplay.Scraped[] scrapeOrNull() {
        String scrape = ConnectStack.rest(metrics, "GET", null).body();
        AlertReplay.Scraped lead = AlertReplay.find(scrape, LEAD, OF_LAKE);
        AlertReplay.Scraped lag = AlertReplay.find(scrape, LAG, OF_LAKE);
        if (lead == null || lag == null) {
            return null;
        }
        assertEquals(lead.labels(), lag.labels(), "the lead and the lag of a partition carry the same labels");
        return new AlertReplay.Scraped[] {lead, lag};
    }

    private static String series(String labels, List<AlertReplay.Scraped[]> scrapes) {
        StringBuilder lead = new StringBuilder();
        StringBuilder lag = new StringBuilder();
        for (AlertReplay.Scraped[] scraped : scrapes) {
            lead.append(lead.isEmpty() ? "" : " ").append((long) scraped[0].value());
            lag.append(lag.isEmpty() ? "" : " ").append((long) scraped[1].value());
        }
        return AlertReplay.series(LEAD, labels, lead.toString()) + AlertReplay.series(LAG, labels, lag.toString());
    }

    /** {@code expr} holds nothing at any of the first {@code count} minutes. */
    private static List<String> minutes(int count, String expr) {
        List<String> expectations = new ArrayList<>();
        for (int minute = 0; minute < count; minute++) {
            expectations.add(AlertReplay.expect(expr, minute + "m", List.of()));
        }
        return expectations;
    }

    private static String describe(List<AlertReplay.Scraped[]> scrapes) {
        return scrapes.stream().map(s -> "lead " + (long) s[0].value() + " lag " + (long) s[1].value()).toList().toString();
    }

    /** Records between the position the lake's consumer had and the log start it was reset to: deleted unread. */
    private static long deletedUnread() {
        String log = workerLog();
        Matcher outOfRange = OUT_OF_RANGE.matcher(log);
        Matcher reset = RESET.matcher(log);
        if (!outOfRange.find() || !reset.find(outOfRange.end())) {
            return 0;
        }
        return Long.parseLong(reset.group(1)) - Long.parseLong(outOfRange.group(1));
    }

    private static String workerLog() {
        try {
            return Files.readString(stack.logs().resolve("worker.log"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String workerLogLines(String pattern) {
        Pattern wanted = Pattern.compile(pattern);
        return String.join("\n", workerLog().lines().filter(l -> wanted.matcher(l).find()).toList());
    }
}
