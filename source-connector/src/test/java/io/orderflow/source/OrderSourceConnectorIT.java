package io.orderflow.source;

import io.orderflow.testing.ConnectorConfig;
import io.orderflow.source.config.OrderSourceTaskConfig;
import io.orderflow.source.event.OrderEvent;
import io.orderflow.source.generator.OrderEventStream;
import io.orderflow.source.generator.ScheduledEvent;
import io.orderflow.source.generator.StreamPosition;
import io.orderflow.testing.ConnectStack;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.runtime.rest.entities.TaskInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The source connector in a real Connect worker (distributed mode, exactly-once source support enabled)
 * against a real KRaft broker, driven only through the worker's REST API.
 */
class OrderSourceConnectorIT {

    private static final String START = "2026-06-01T08:00:00Z";

    private static ConnectStack stack;
    private static EmbeddedConnectCluster connect;

    @BeforeAll
    static void startCluster() {
        stack = ConnectStack.start("orderflow-source-it", 1);
        connect = stack.connect();
    }

    @AfterAll
    static void stopCluster() {
        if (stack != null) {
            stack.close();
        }
    }

    private static Map<String, String> connectorConfig(String topic, long maxOrders, int tasks, double perSecond) {
        Map<String, String> config = ConnectorConfig.source(ConnectorConfig.ORDER_SOURCE, topic, tasks).with(
                "value.converter.schemas.enable", "true",
                "value.converter.decimal.format", "NUMERIC",
                "exactly.once.support", "required",
                "transaction.boundary", "poll",
                "seed", "20260601",
                "max.orders", Long.toString(maxOrders),
                "orders.per.second", Double.toString(perSecond),
                "event.time.start", START,
                "event.time.late.fraction", "0.05",
                "batch.max.records", "500").toMap();
        return config;
    }

    /** What the connector's tasks must produce, from the task configs the worker actually handed out. */
    private static Map<String, List<OrderEvent>> expectedByOrder(String connector) {
        Map<String, List<OrderEvent>> expected = new LinkedHashMap<>();
        for (TaskInfo task : connect.taskConfigs(connector)) {
            OrderEventStream stream = OrderEventStream.fromStart(new OrderSourceTaskConfig(task.config()).freshGeneratorSettings());
            while (stream.hasNext()) {
                OrderEvent event = stream.next().event();
                expected.computeIfAbsent(event.orderId(), k -> new ArrayList<>()).add(event);
            }
        }
        return expected;
    }

    private static Map<String, List<OrderEvent>> byOrder(List<OrderTopic.Consumed> consumed) {
        Map<String, List<OrderEvent>> actual = new LinkedHashMap<>();
        for (OrderTopic.Consumed record : consumed) {
            assertEquals(record.event().orderId(), record.key(), "record key is the order id");
            assertEquals(record.event().eventTimeMs(), record.timestamp(), "record timestamp is the event time");
            actual.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.event());
        }
        return actual;
    }

    @Test
    void everyEventExactlyOnceAcrossTwoRestarts() throws Exception {
        String name = "orders-eos";
        String topic = "orders.eos";
        stack.createTopic(topic, 4);
        connect.configureConnector(name, connectorConfig(topic, 20_000, 2, 1_500));
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 2, "source did not start");

        Map<String, List<OrderEvent>> expected = expectedByOrder(name);
        int expectedEvents = expected.values().stream().mapToInt(List::size).sum();
        assertEquals(20_000, expected.size());

        AtomicInteger restarts = new AtomicInteger();
        List<OrderTopic.Consumed> consumed = OrderTopic.readCommitted(connect.kafka().bootstrapServers(), topic,
                expectedEvents, Duration.ofMinutes(3), Duration.ofSeconds(3), seen -> {
                    if (restarts.get() < 2 && seen >= expectedEvents * (restarts.get() == 0 ? 0.25 : 0.6)) {
                        connect.restartConnectorAndTasks(name, false, true, false);
                        restarts.incrementAndGet();
                    }
                });

        assertEquals(2, restarts.get(), "both restarts happened mid-run");
        assertEquals(expectedEvents, consumed.size(), "read_committed consumer sees every event exactly once");
        Map<String, List<OrderEvent>> actual = byOrder(consumed);
        assertEquals(expected.keySet(), actual.keySet());
        for (Map.Entry<String, List<OrderEvent>> order : expected.entrySet()) {
            assertEquals(order.getValue(), actual.get(order.getKey()), "events of order " + order.getKey());
        }
        connect.deleteConnector(name);
    }

    @Test
    void validateNamesEveryInvalidOption() {
        Map<String, String> config = connectorConfig("orders.validate", 0, 1, 10);
        config.put("name", "orders-validate");
        config.put("topic", "no spaces allowed");
        config.put("currencies", "USD:2,EURO");
        config.put("orders.per.second", "-5");
        config.put("event.time.start", "2026-13-45");
        config.put("lifecycle.cancel.probability", "0.9");
        config.put("lifecycle.refund.probability", "0.2");

        ConfigInfos result = connect.validateConnectorConfig("OrderSourceConnector", config);
        Map<String, List<String>> errors = new HashMap<>();
        for (ConfigInfo info : result.configs()) {
            if (!info.configValue().errors().isEmpty()) {
                errors.put(info.configValue().name(), info.configValue().errors());
            }
        }
        assertEquals(java.util.Set.of("topic", "currencies", "orders.per.second", "event.time.start",
                "lifecycle.refund.probability"), errors.keySet(), errors.toString());
        assertEquals(5, result.errorCount());
        assertTrue(errors.get("currencies").get(0).contains("EURO"), errors.get("currencies").toString());
    }

    @Test
    void offsetsCanBeMovedAndResetOverRest() throws Exception {
        String name = "orders-replay";
        String topic = "orders.replay";
        stack.createTopic(topic, 1);
        connect.configureConnector(name, connectorConfig(topic, 300, 1, 0));
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "source did not start");

        List<ScheduledEvent> stream = new ArrayList<>();
        OrderEventStream generator = OrderEventStream.fromStart(
                new OrderSourceTaskConfig(connect.taskConfigs(name).get(0).config()).freshGeneratorSettings());
        while (generator.hasNext()) {
            stream.add(generator.next());
        }
        List<OrderEvent> full = stream.stream().map(ScheduledEvent::event).toList();
        assertEquals(full, events(topic, full.size()));

        connect.stopConnector(name);
        connect.assertions().assertConnectorIsStopped(name, "connector did not stop");
        List<ConnectorOffset> offsets = connect.connectorOffsets(name).offsets();
        assertEquals(1, offsets.size());
        Map<String, ?> partition = offsets.get(0).partition();
        StreamPosition last = stream.get(stream.size() - 1).position();
        assertEquals(last.orderNumber(), ((Number) offsets.get(0).offset().get("order")).longValue(),
                "the stored offset is the last emitted event");

        HttpResponse<String> bad = stack.rest("PATCH", "connectors/" + name + "/offsets",
                "{\"offsets\":[{\"partition\":{\"reader\":\"generator\",\"seed\":20260601,\"task\":0,\"tasks\":1},"
                        + "\"offset\":{\"start_ms\":0,\"emit_ms\":1,\"order\":3,\"step\":9}}]}");
        // The worker answers a connector's rejection with 500 (it maps only its own BadRequestException to 400);
        // what matters to the operator is that nothing is written and the message names the key.
        assertEquals(500, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("'step'"), bad.body());

        int cut = 100;
        StreamPosition moveTo = stream.get(cut).position();
        connect.alterSourceConnectorOffset(name, partition,
                GeneratorOffsets.offset(((Number) offsets.get(0).offset().get("start_ms")).longValue(), moveTo));
        connect.resumeConnector(name);
        List<OrderEvent> afterMove = new ArrayList<>(full);
        afterMove.addAll(full.subList(cut + 1, full.size()));
        assertEquals(afterMove, events(topic, afterMove.size()), "moved offset replays exactly the events after it");

        connect.stopConnector(name);
        connect.assertions().assertConnectorIsStopped(name, "connector did not stop");
        connect.resetConnectorOffsets(name);
        connect.resumeConnector(name);
        List<OrderEvent> afterReset = new ArrayList<>(afterMove);
        afterReset.addAll(full);
        assertEquals(afterReset, events(topic, afterReset.size()), "reset replays the stream from its start");
        connect.deleteConnector(name);
    }

    private static List<OrderEvent> events(String topic, int expected) {
        return OrderTopic.readCommitted(connect.kafka().bootstrapServers(), topic, expected,
                        Duration.ofMinutes(1), Duration.ofSeconds(2), seen -> { })
                .stream().map(OrderTopic.Consumed::event).toList();
    }
}
