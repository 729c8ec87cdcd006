package io.orderflow.local.stack;

import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.Promtool;
import io.orderflow.testing.Resources;
import io.orderflow.testing.TempDirectory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * OrderflowTransactionHanging (packaging/monitoring/alerts.yml) on what a real broker serves: a KRaft broker process
 * started with the Prometheus JMX exporter agent and jmx-exporter-broker.yml, as that module tells operators to. A
 * transaction is held open on an order-topic partition; the series scraped then, held for 40 minutes as a hanging
 * transaction holds them, raise the alert in promtool; the series after its commit do not. What this checks beyond
 * alerts-test.yml: that the broker's exporter serves the series the rule reads, under those names and labels, with
 * the records of the open transaction as the last-stable-offset lag.
 */
class HangingTransactionAlertIT {

    private static final String TOPIC = "orders.events";
    private static final String LAG = "kafka_cluster_partition_laststableoffsetlag";
    private static final String LOG_END = "kafka_log_log_logendoffset";
    private static final int RECORDS = 3;
    /** The alert, firing; and in any state (pending during its 2 minutes' "for", then firing). */
    private static final String FIRING = "ALERTS{alertname=\"OrderflowTransactionHanging\",alertstate=\"firing\"}";
    private static final String ANY_STATE = "ALERTS{alertname=\"OrderflowTransactionHanging\"}";
    private static final String OF_TOPIC = "topic=\"" + TOPIC + "\"";

    private static TempDirectory run;
    private static StackProcesses stack;
    private static URI metrics;

    @BeforeAll
    static void startBrokerWithItsExporter() throws Exception {
        assumeTrue(Promtool.isInstalled(), Promtool.MISSING);
        Path root = StackProcesses.projectRoot();
        run = TempDirectory.create("orderflow-alert-it");
        int metricsPort = StackProcesses.freePort();
        metrics = URI.create("http://127.0.0.1:" + metricsPort + "/metrics");
        stack = new StackProcesses(root, run.path(), StackProcesses.freePort(), List.of());
        stack.startBroker(List.of(StackProcesses.prometheusExporter(metricsPort,
                root.resolve("packaging/monitoring/jmx-exporter-broker.yml"))));
    }

    @AfterAll
    static void stop() throws Exception {
        Resources.closeAll(stack, run);
    }

    @Test
    void aTransactionHeldOpenRaisesTheAlertAndTheSameTransactionCommittedDoesNot() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "orderflow-alert-it",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "order-" + i, "{\"status\":\"completed\"}"));
            }
            producer.flush();
            Scraped open = scrapeUntil(RECORDS);
            assertEquals(RECORDS, open.logEnd(), "the log end with the open transaction's records: " + open);

            String firing = "ALERTS{alertname=\"OrderflowTransactionHanging\",alertstate=\"firing\",severity=\"critical\","
                    + open.labels() + "}";
            Promtool.Result hanging = promtool("hanging", open.series(open.logEnd() + "x40", open.lag() + "x40"),
                    List.of(expect(FIRING, "21m", List.of()), expect(FIRING, "23m", List.of(firing)),
                            expect(FIRING, "40m", List.of(firing))));
            assertTrue(hanging.succeeded(), "the open transaction's series, held 40 minutes, should raise the alert "
                    + "from minute 22 on:\n" + hanging);

            producer.commitTransaction();
            Scraped committed = scrapeUntil(0);
            assertEquals(RECORDS + 1, committed.logEnd(), "the records and the commit marker: " + committed);
            Promtool.Result ended = promtool("committed", committed.series(
                    open.logEnd() + "x5 " + committed.logEnd() + "x35", open.lag() + "x5 " + committed.lag() + "x35"),
                    List.of(expect(ANY_STATE, "3m", List.of()), expect(ANY_STATE, "23m", List.of()),
                            expect(ANY_STATE, "40m", List.of())));
            assertTrue(ended.succeeded(), "a transaction open for 5 minutes, then committed, should raise nothing:\n" + ended);
        }
    }

    /** The two series of the partition as the exporter serves them, with their values. */
    private record Scraped(String labels, long logEnd, long lag) {
        String series(String logEndValues, String lagValues) {
            return AlertReplay.series(LOG_END, labels, logEndValues) + AlertReplay.series(LAG, labels, lagValues);
        }
    }

    /** Scrapes the broker's exporter until the partition's last-stable-offset lag is {@code lag}. */
    private static Scraped scrapeUntil(long lag) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String scrape = "";
        while (System.nanoTime() < deadline) {
            scrape = ConnectStack.rest(metrics, "GET", null).body();
            AlertReplay.Scraped lagLine = AlertReplay.find(scrape, LAG, OF_TOPIC);
            AlertReplay.Scraped logEndLine = AlertReplay.find(scrape, LOG_END, OF_TOPIC);
            if (lagLine != null && logEndLine != null && (long) lagLine.value() == lag) {
                assertEquals(lagLine.labels(), logEndLine.labels(), "both series carry the same labels, as the rule's match needs");
                return new Scraped(lagLine.labels(), (long) logEndLine.value(), lag);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the broker's exporter did not serve " + LAG + " = " + lag + " for " + TOPIC
                + " within 60 s; it served:\n" + scrape.lines().filter(l -> l.startsWith("kafka_")).toList());
    }

    private static Promtool.Result promtool(String name, String series, List<String> expectations) throws Exception {
        return AlertReplay.run(run.path(), name, series, expectations);
    }

    private static String expect(String expr, String evalTime, List<String> alerts) {
        return AlertReplay.expect(expr, evalTime, alerts);
    }
}
