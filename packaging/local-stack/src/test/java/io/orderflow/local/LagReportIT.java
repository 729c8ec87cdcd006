package io.orderflow.local;

import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.ConnectorConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lag report against a real broker and worker: zero once a sink has caught up, exact while it is paused. */
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
                    l -> l.startsWith("total") && l.strip().endsWith(" 30")), table);
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
