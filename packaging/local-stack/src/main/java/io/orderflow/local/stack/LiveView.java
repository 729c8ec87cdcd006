package io.orderflow.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orderflow.local.LagReport;
import io.orderflow.testing.ConnectStack;
import io.orderflow.testing.PluginMetricsOverJmx;
import org.apache.kafka.clients.admin.Admin;

import java.net.URI;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One screen of the running stack, redrawn every second: connector and task states (a failed task's first error
 * line), orders/s produced, records/s and consumer lag per sink, lake files and raw rows, dead letters, and the
 * newest summary minutes. Everything comes from where an operator would look: the REST API, the plugins' JMX
 * metrics, the consumer groups and the warehouse.
 */
final class LiveView {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StackProcesses stack;
    private final Admin admin;
    private final WarehouseView warehouse;
    private final Map<String, Double> previous = new HashMap<>();
    private long previousNanos;

    LiveView(StackProcesses stack, Admin admin, WarehouseView warehouse) {
        this.stack = stack;
        this.admin = admin;
        this.warehouse = warehouse;
    }

    /** The screen as text, with the ANSI sequence that clears the terminal first. */
    String render(WarehouseView.Snapshot rows) {
        StringBuilder out = new StringBuilder("\033[H\033[2J");
        out.append("orderflow local stack   ").append(LocalTime.now().truncatedTo(ChronoUnit.SECONDS))
                .append("   REST ").append(stack.rest()).append("   Ctrl-C stops everything\n");
        out.append("logs: ").append(stack.logs()).append("/{broker,worker,s3proxy}.log\n\n");
        long now = System.nanoTime();
        double seconds = previousNanos == 0 ? 0 : (now - previousNanos) / 1e9;
        previousNanos = now;
        try {
            connectors(out);
        } catch (Exception e) {
            out.append("connectors: REST API not answering (").append(e.getMessage()).append(")\n");
        }
        try (PluginMetricsOverJmx jmx = PluginMetricsOverJmx.remote(stack.jmxPort)) {
            out.append('\n').append(String.format("%-16s %14s %12s%n", "", "per second", "total"));
            rate(out, "orders produced", jmx.task("order-source", "orders-emitted-total"), seconds);
            rate(out, "events produced", jmx.task("order-source", "events-emitted-total"), seconds);
            rate(out, "lake records", jmx.task("order-lake", "records-written-total"), seconds);
            rate(out, "summary records", jmx.task("order-summary", "records-aggregated-total"), seconds);
            out.append(String.format("%nlake: %s files committed, %s loaded; %d rows in %s%n",
                    whole(jmx.task("order-lake", "files-committed-total")), whole(jmx.task("order-lake", "files-loaded-total")),
                    rows.rawRows(), WarehouseView.RAW));
            // The worker's count: the records a sink refused and those it could not convert or transform.
            out.append(String.format("dead letters: lake %s, summary %s%n",
                    whole(jmx.taskErrors("order-lake", "deadletterqueue-produce-requests")),
                    whole(jmx.taskErrors("order-summary", "deadletterqueue-produce-requests"))));
        } catch (Exception e) {
            out.append("\nmetrics: JMX not answering yet (").append(e.getMessage()).append(")\n");
        }
        try {
            Map<String, Long> lag = new HashMap<>();
            for (LagReport.Row row : LagReport.collect(stack.rest(), admin)) {
                lag.merge(row.connector(), row.lag(), Long::sum);
            }
            out.append("consumer lag: ");
            lag.forEach((connector, records) -> out.append(connector).append(' ').append(records).append("   "));
            out.append('\n');
        } catch (Exception e) {
            out.append("consumer lag: not available yet\n");
        }
        out.append("\nnewest rows of ").append(WarehouseView.SUMMARY).append(rows.summaryMismatches() > 0
                ? " (" + rows.summaryMismatches() + " minutes still catching up with the raw table)" : "").append('\n');
        out.append(String.format("  %-17s %12s %14s %16s%n", "window_start", "total_orders", "total_revenue", "avg_order_value"));
        for (WarehouseView.SummaryRow row : rows.newest()) {
            out.append(String.format("  %-17s %12d %14s %16s%n", row.windowStart(), row.orders(), row.revenue(), row.average()));
        }
        return out.toString();
    }

    private void connectors(StringBuilder out) throws Exception {
        JsonNode all = JSON.readTree(get(stack.rest().resolve("/connectors?expand=status")));
        out.append(String.format("%-16s %-10s %s%n", "connector", "state", "tasks"));
        for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> connector = it.next();
            JsonNode status = connector.getValue().path("status");
            StringBuilder tasks = new StringBuilder();
            String firstError = null;
            for (JsonNode task : status.path("tasks")) {
                tasks.append(task.path("id").asText()).append(':').append(task.path("state").asText()).append(' ');
                if ("FAILED".equals(task.path("state").asText()) && firstError == null) {
                    firstError = task.path("trace").asText().lines().findFirst().orElse("");
                }
            }
            out.append(String.format("%-16s %-10s %s%n", connector.getKey(), status.path("connector").path("state").asText(), tasks));
            if (firstError != null) {
                out.append("    ").append(firstError, 0, Math.min(firstError.length(), 160)).append('\n');
            }
        }
    }

    private void rate(StringBuilder out, String what, Double total, double seconds) {
        double value = total == null ? 0 : total;
        Double before = previous.put(what, value);
        double perSecond = before == null || seconds == 0 ? 0 : (value - before) / seconds;
        out.append(String.format("%-16s %14.0f %12.0f%n", what, perSecond, value));
    }

    private static String whole(Double value) {
        return value == null ? "-" : Long.toString(value.longValue());
    }

    static String get(URI uri) {
        return ConnectStack.rest(uri, "GET", null).body();
    }

    /** The connectors' states, for the bounded run's checks. */
    static Map<String, String> states(URI rest) throws Exception {
        Map<String, String> states = new HashMap<>();
        JsonNode all = JSON.readTree(get(rest.resolve("/connectors?expand=status")));
        all.fields().forEachRemaining(c -> {
            StringBuilder state = new StringBuilder(c.getValue().path("status").path("connector").path("state").asText());
            c.getValue().path("status").path("tasks").forEach(t -> state.append(' ').append(t.path("state").asText()));
            states.put(c.getKey(), state.toString());
        });
        return states;
    }

    static List<String> failedTasks(URI rest) throws Exception {
        return states(rest).entrySet().stream().filter(e -> e.getValue().contains("FAILED")).map(Map.Entry::getKey).toList();
    }
}
