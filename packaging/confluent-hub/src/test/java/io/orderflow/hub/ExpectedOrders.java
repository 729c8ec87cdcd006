package io.orderflow.hub;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.source.config.OrderSourceTaskConfig;
import io.orderflow.source.event.OrderEvent;
import io.orderflow.source.event.OrderStatus;
import io.orderflow.source.generator.OrderEventStream;
import io.orderflow.testing.ConnectStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The order events a pipeline test expects, keyed {@code order_id/status}, and how the warehouse compares with them:
 * plain JDBC on the shipped tables, none of the connectors' code.
 */
final class ExpectedOrders {

    /** Amounts are read exactly, as JsonConverter reads them: never through a double. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final long MINUTE = 60_000;

    record Event(BigDecimal amount, String status, long eventTimeMs) {
    }

    /** How the raw table differs: events missing or with another amount, and rows beyond one per event. */
    record RawComparison(long lost, long duplicated) {
    }

    private ExpectedOrders() {
    }

    static String key(ConsumerRecord<?, byte[]> record) throws IOException {
        JsonNode payload = JSON.readTree(record.value()).path("payload");
        return payload.path("order_id").asText() + "/" + payload.path("status").asText();
    }

    /** An event as the order source wrote it with JsonConverter (schemas enabled). */
    static Event event(ConsumerRecord<?, byte[]> record) throws IOException {
        JsonNode payload = JSON.readTree(record.value()).path("payload");
        return new Event(payload.path("amount").decimalValue(), payload.path("status").asText(),
                payload.path("event_time").asLong());
    }

    /**
     * Every event of every task's deterministic stream of a running source connector, as its task configs define them;
     * none while the worker has no task configs for it yet.
     */
    static Map<String, Event> generated(URI worker, String connector) throws IOException {
        Map<String, Event> events = new HashMap<>();
        HttpResponse<String> tasks = ConnectStack.rest(worker.resolve("/connectors/" + connector + "/tasks"), "GET", null);
        if (tasks.statusCode() != 200) {
            return events;
        }
        for (JsonNode task : JSON.readTree(tasks.body())) {
            Map<String, String> config = new HashMap<>();
            task.path("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
            OrderEventStream stream = OrderEventStream.fromStart(new OrderSourceTaskConfig(config).freshGeneratorSettings());
            while (stream.hasNext()) {
                OrderEvent event = stream.next().event();
                events.put(event.orderId() + "/" + event.status(), new Event(event.amount(), event.status().name(), event.eventTimeMs()));
            }
        }
        return events;
    }

    /** The raw table {@code orders_raw} against the events: each must be there once, with its amount. */
    static RawComparison raw(Connection db, Map<String, Event> events) throws SQLException {
        Map<String, Integer> seen = new HashMap<>();
        Map<String, BigDecimal> amounts = new HashMap<>();
        try (ResultSet rs = db.createStatement().executeQuery("SELECT order_id, status, amount FROM orders_raw")) {
            while (rs.next()) {
                String key = rs.getString(1) + "/" + rs.getString(2);
                seen.merge(key, 1, Integer::sum);
                amounts.put(key, rs.getBigDecimal(3));
            }
        }
        long lost = 0;
        long duplicated = 0;
        for (Map.Entry<String, Event> event : events.entrySet()) {
            Integer count = seen.get(event.getKey());
            if (count == null || amounts.get(event.getKey()).compareTo(event.getValue().amount()) != 0) {
                lost++;
            } else if (count > 1) {
                duplicated += count - 1;
            }
        }
        duplicated += seen.keySet().stream().filter(k -> !events.containsKey(k)).count();
        return new RawComparison(lost, duplicated);
    }

    /**
     * Minutes of {@code orders_minute_summary} whose count or revenue differs from the COMPLETED events, or that
     * should not exist, or that are missing.
     */
    static long summaryMismatches(Connection db, Collection<Event> events) {
        TreeMap<Long, Long> counts = new TreeMap<>();
        TreeMap<Long, BigDecimal> revenue = new TreeMap<>();
        for (Event event : events) {
            if (event.status().equals(OrderStatus.COMPLETED.name())) {
                long window = Math.floorDiv(event.eventTimeMs(), MINUTE) * MINUTE;
                counts.merge(window, 1L, Long::sum);
                revenue.merge(window, event.amount(), BigDecimal::add);
            }
        }
        long mismatches = 0;
        Set<Long> stored = new HashSet<>();
        try (ResultSet rs = db.createStatement().executeQuery(
                "SELECT window_start, total_orders, total_revenue FROM orders_minute_summary")) {
            while (rs.next()) {
                long window = rs.getTimestamp(1).getTime();
                stored.add(window);
                if (!Long.valueOf(rs.getLong(2)).equals(counts.get(window))
                        || revenue.get(window) == null || rs.getBigDecimal(3).compareTo(revenue.get(window)) != 0) {
                    mismatches++;
                }
            }
        } catch (SQLException noTableYet) {
            return counts.size();
        }
        return mismatches + counts.keySet().stream().filter(w -> !stored.contains(w)).count();
    }

    /** Where a test's warehouse is: a fresh connection each time. */
    @FunctionalInterface
    interface Warehouse {
        Connection connect() throws SQLException;
    }

    /**
     * Waits until the raw table holds exactly these events, the summary their exact minutes, and every task of the
     * sinks runs; fails with what differed last and the sinks' states.
     */
    static void awaitWarehouse(Warehouse warehouse, Map<String, Event> events, InstalledWorker worker, List<String> sinks,
                               Duration patience, String what) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try (Connection db = warehouse.connect()) {
                RawComparison raw = raw(db, events);
                long summary = summaryMismatches(db, events.values());
                boolean running = sinks.stream().allMatch(sink -> worker.allTasks(sink, "RUNNING"));
                last = raw + ", summary minutes wrong: " + summary + ", all tasks running: " + running;
                if (raw.lost() + raw.duplicated() + summary == 0 && running) {
                    return;
                }
            } catch (SQLException tablesNotThereYet) {
                last = tablesNotThereYet.getMessage();
            }
            Thread.sleep(1_000);
        }
        StringBuilder states = new StringBuilder();
        sinks.forEach(sink -> states.append('\n').append(worker.status(sink)));
        throw new AssertionError(what + ": " + last + states);
    }
}
