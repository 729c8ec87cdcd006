package io.orderflow.smt;

import io.orderflow.testing.ConnectorConfig;
import io.orderflow.source.config.OrderSourceTaskConfig;
import io.orderflow.source.event.OrderEvent;
import io.orderflow.source.event.OrderStatus;
import io.orderflow.source.generator.OrderEventStream;
import io.orderflow.testing.CommittedTopicReader;
import io.orderflow.testing.ConnectStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.runtime.rest.entities.TaskInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transforms in a real Connect worker against a real broker, configured only through REST JSON:
 * the order source with Filter(FieldMatches status == 'COMPLETED') → Enrich → TumblingWindow(1m), and a
 * sink whose bad records reach the dead letter queue with the field named.
 */
class TransformsInWorkerIT {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH").withZone(ZoneOffset.UTC);

    private static ConnectStack stack;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        stack = ConnectStack.start("orderflow-smt-it", 1);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void completedOrdersEnrichedAndWindowedRecordByRecord() throws Exception {
        Map<String, String[]> customers = new HashMap<>();
        StringBuilder csv = new StringBuilder("customer_id,customer_tier,region\n");
        for (int i = 1; i <= 40; i++) {
            String id = String.format("cust-%06d", i);
            String[] row = {i <= 5 ? "gold" : "silver", i % 2 == 0 ? "EU" : "US"};
            customers.put(id, row);
            csv.append(id).append(',').append(row[0]).append(',').append(row[1]).append('\n');
        }
        Path lookup = dir.resolve("customers.csv");
        Files.writeString(lookup, csv);

        String topic = "orders.completed";
        stack.createTopic(topic, 3);
        Map<String, String> config = ConnectorConfig.source(ConnectorConfig.ORDER_SOURCE, topic, 2).withCompletedOnlyFilter().with(
                "value.converter.decimal.format", "NUMERIC",
                "max.orders", "3000",
                "orders.per.second", "0",
                "event.time.start", "2026-05-01T23:58:00Z",
                "event.time.order.interval.ms", "40",
                "customers.count", "100",
                "transforms", "completedOnly,enrich,window",
                "transforms.enrich.type", "io.orderflow.smt.enrich.Enrich$Value",
                "transforms.enrich.lookup.key.field", "customer_id",
                "transforms.enrich.lookup.file", lookup.toString(),
                "transforms.enrich.lookup.defaults", "customer_tier=standard,region=unknown",
                "transforms.enrich.event.time.field", "event_time",
                "transforms.enrich.time.fields", "event_date:yyyy-MM-dd,event_hour:HH",
                "transforms.enrich.static.fields", "pipeline=orderflow",
                "transforms.window.type", "io.orderflow.smt.window.TumblingWindow",
                "transforms.window.event.time.field", "event_time",
                "transforms.window.window.size", "1m").toMap();
        HttpResponse<String> put = stack.rest("PUT", "connectors/completed-orders/config", ConnectStack.toJson(config));
        assertEquals(201, put.statusCode(), put.body());
        stack.connect().assertions().assertConnectorAndExactlyNumTasksAreRunning("completed-orders", 2, "not running");

        Map<String, OrderEvent> expected = new HashMap<>();
        for (TaskInfo task : stack.connect().taskConfigs("completed-orders")) {
            OrderEventStream stream = OrderEventStream.fromStart(new OrderSourceTaskConfig(task.config()).freshGeneratorSettings());
            while (stream.hasNext()) {
                OrderEvent event = stream.next().event();
                if (event.status() == OrderStatus.COMPLETED) {
                    expected.put(event.orderId(), event);
                }
            }
        }
        assertTrue(expected.size() > 2_000, "most of 3000 orders complete: " + expected.size());

        JsonConverter json = new JsonConverter();
        json.configure(Map.of("decimal.format", "NUMERIC"), false);
        List<ConsumerRecord<byte[], byte[]>> records = CommittedTopicReader.read(stack.bootstrapServers(), topic,
                expected.size(), Duration.ofMinutes(2), Duration.ofSeconds(2), n -> { });
        assertEquals(expected.size(), records.size(), "exactly the completed orders, once each");

        List<String> seen = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            Struct value = (Struct) json.toConnectData(topic, record.value()).value();
            String orderId = value.getString("order_id");
            OrderEvent want = expected.get(orderId);
            assertTrue(want != null, "unexpected order " + orderId);
            seen.add(orderId);
            assertEquals(orderId, new String(record.key(), StandardCharsets.UTF_8));
            assertEquals("COMPLETED", value.getString("status"));
            assertEquals(want.customerId(), value.getString("customer_id"));
            assertEquals(0, want.amount().compareTo((BigDecimal) value.get("amount")));
            long eventTime = ((Date) value.get("event_time")).getTime();
            assertEquals(want.eventTimeMs(), eventTime);
            String[] row = customers.get(want.customerId());
            assertEquals(row == null ? "standard" : row[0], value.getString("customer_tier"), orderId);
            assertEquals(row == null ? "unknown" : row[1], value.getString("region"), orderId);
            assertEquals(DATE.format(Instant.ofEpochMilli(eventTime)), value.getString("event_date"));
            assertEquals(HOUR.format(Instant.ofEpochMilli(eventTime)), value.getString("event_hour"));
            assertEquals("orderflow", value.getString("pipeline"));
            long windowStart = eventTime - Math.floorMod(eventTime, 60_000L);
            assertEquals(windowStart, ((Date) value.get("window_start")).getTime());
            assertEquals(windowStart + 60_000L, ((Date) value.get("window_end")).getTime());
        }
        assertEquals(expected.size(), seen.stream().distinct().count());
        assertTrue(records.stream().map(r -> ((Struct) json.toConnectData(topic, r.value()).value()).getString("event_date"))
                .distinct().count() == 2, "the run spans midnight, so two event dates appear");
        stack.connect().deleteConnector("completed-orders");
    }

    @Test
    void badRecordsGoToTheDeadLetterQueueWithTheFieldNamed() throws Exception {
        String topic = "raw.orders";
        String dlq = "raw.orders.dlq";
        stack.createTopic(topic, 1);
        String[] values = {
            "{\"order_id\":\"o1\",\"status\":\"COMPLETED\",\"event_time\":\"2026-01-01T10:00:01Z\"}",
            "{\"order_id\":\"o2\",\"status\":\"COMPLETED\"}",
            "{\"order_id\":\"o3\",\"status\":\"COMPLETED\",\"event_time\":\"soon\"}",
            "{\"order_id\":\"o4\",\"status\":\"COMPLETED\",\"event_time\":1767261602000}",
            "{\"order_id\":\"o5\",\"status\":\"COMPLETED\",\"event_time\":true}",
        };
        for (String value : values) {
            stack.connect().kafka().produce(topic, value);
        }
        Path out = dir.resolve("windowed.txt");
        Map<String, String> config = ConnectorConfig.sink("FileStreamSink", topic, 1).with(
                "file", out.toString(),
                "value.converter.schemas.enable", "false",
                "transforms", "window",
                "transforms.window.type", "io.orderflow.smt.window.TumblingWindow",
                "transforms.window.event.time.field", "event_time",
                "errors.tolerance", "all",
                "errors.deadletterqueue.topic.name", dlq,
                "errors.deadletterqueue.topic.replication.factor", "1",
                "errors.deadletterqueue.context.headers.enable", "true").toMap();
        assertEquals(201, stack.rest("PUT", "connectors/windowed-file/config", ConnectStack.toJson(config)).statusCode());

        List<ConsumerRecord<byte[], byte[]>> dead = CommittedTopicReader.read(stack.bootstrapServers(), dlq, 3,
                Duration.ofMinutes(1), Duration.ofSeconds(1), n -> { });
        assertEquals(3, dead.size());
        for (ConsumerRecord<byte[], byte[]> record : dead) {
            Header message = record.headers().lastHeader("__connect.errors.exception.message");
            String text = new String(message.value(), StandardCharsets.UTF_8);
            assertTrue(text.contains("'event_time'"), text);
        }
        assertEquals(List.of("o2", "o3", "o5"), dead.stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8).replaceAll(".*\"order_id\":\"(o\\d)\".*", "$1")).toList());

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> lines = List.of();
        while (System.nanoTime() < deadline && lines.size() < 2) {
            lines = Files.exists(out) ? Files.readAllLines(out) : List.of();
            Thread.sleep(100);
        }
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("order_id=o1") && lines.get(0).contains("window_start=1767261600000"), lines.get(0));
        assertTrue(lines.get(1).contains("order_id=o4") && lines.get(1).contains("window_end=1767261660000"), lines.get(1));
        stack.connect().deleteConnector("windowed-file");
    }

    @Test
    void withoutToleranceTheTaskFailsNamingTheField() throws Exception {
        String topic = "raw.strict";
        stack.createTopic(topic, 1);
        stack.connect().kafka().produce(topic, "{\"order_id\":\"o9\",\"status\":\"COMPLETED\",\"event_time\":\"later\"}");
        Map<String, String> config = ConnectorConfig.sink("FileStreamSink", topic, 1).with(
                "file", dir.resolve("strict.txt").toString(),
                "value.converter.schemas.enable", "false",
                "transforms", "window",
                "transforms.window.type", "io.orderflow.smt.window.TumblingWindow",
                "transforms.window.event.time.field", "event_time").toMap();
        assertEquals(201, stack.rest("PUT", "connectors/strict-file/config", ConnectStack.toJson(config)).statusCode());
        stack.connect().assertions().assertConnectorIsRunningAndTasksHaveFailed("strict-file", 1, "task should fail");
        String trace = stack.connect().connectorStatus("strict-file").tasks().get(0).trace();
        assertTrue(trace.contains("Event time field 'event_time' value 'later'"), trace);
        stack.connect().deleteConnector("strict-file");
    }
}
