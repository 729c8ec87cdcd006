package io.orderflow.local;

import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.ConnectorConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lag report against a real broker and worker: zero once a sink has caught up, exact while it is paused, and
 * the records retention deleted before the paused sink read them.
 */
class LagReportIT {

    private static ConnectStack stack;

    @BeforeAll
    static void start() {
        stack = ConnectStack.start("lag-report", 1);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void reportsCommittedEndAndLagPerPartition() throws Exception {
        String topic = "lag.orders";
        stack.createTopic(topic, 2);
        for (int i = 0; i < 100; i++) {
            stack.connect().kafka().produce(topic, i % 2, null, "order-" + i);
        }
        stack.connect().configureConnector("files", ConnectorConfig.sink(
                "io.orderflow.local.bench.CountingSinkConnector", topic, 1)
                .with("bench.expected", "1000000", "value.converter", "org.apache.kafka.connect.storage.StringConverter").toMap());
        URI connect = URI.create(stack.connect().endpointForResource("connectors")).resolve("/");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            List<LagReport.Row> caughtUp = await(connect, admin, rows -> rows.size() == 2
                    && rows.stream().allMatch(r -> r.committed() == 50 && r.lag() == 0));
            assertEquals("connect-files", caughtUp.get(0).group());

            stack.connect().pauseConnector("files");
            stack.connect().assertions().assertConnectorAndExactlyNumTasksArePaused("files", 1, "not paused");
            for (int i = 0; i < 30; i++) {
                stack.connect().kafka().produce(topic, 0, null, "late-" + i);
            }
            List<LagReport.Row> behind = await(connect, admin, rows -> rows.stream()
                    .anyMatch(r -> r.partition().partition() == 0 && r.lag() == 30));
            String table = LagReport.table(behind);
            assertTrue(table.contains("files") && table.contains("lag.orders") && table.lines().anyMatch(
                    l -> l.startsWith("total") && l.strip().matches(".* 30 +0")), table);

            // What retention does while the sink is paused: the oldest records go, read or not. Of the 30 the sink
            // has yet to read on partition 0 (offsets 50-79), the first 10 are gone.
            TopicPartition partition0 = new TopicPartition(topic, 0);
            admin.deleteRecords(Map.of(partition0, RecordsToDelete.beforeOffset(60))).all().get();
            List<LagReport.Row> overtaken = await(connect, admin, rows -> rows.stream()
                    .anyMatch(r -> r.partition().equals(partition0) && r.logStart() == 60));
            LagReport.Row row = overtaken.stream().filter(r -> r.partition().equals(partition0)).findFirst().orElseThrow();
            assertEquals(List.of(50L, 80L, 20L, 10L), List.of(row.committed(), row.end(), row.lag(), row.deletedUnread()),
                    "committed, end, lag and deleted unread:\n" + LagReport.table(overtaken));
            assertTrue(LagReport.table(overtaken).lines().anyMatch(l -> l.startsWith("total") && l.strip().matches(".* 20 +10")),
                    LagReport.table(overtaken));
        }
    }

    private static List<LagReport.Row> await(URI connect, Admin admin, java.util.function.Predicate<List<LagReport.Row>> done)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        List<LagReport.Row> rows = List.of();
        while (System.nanoTime() < deadline) {
            rows = LagReport.collect(connect, admin);
            if (done.test(rows)) {
                return rows;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the report never showed the expected lag:\n" + LagReport.table(rows));
    }
}
