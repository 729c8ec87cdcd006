package io.orderflow.common.metrics;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against Kafka's own PluginMetrics implementation and registry, as a 4.1+ worker hands them to each task. */
class PluginInstrumentsTest {

    @Test
    void twoTasksOfOneWorkerCountOnlyTheirOwnRecords() throws Exception {
        try (Metrics registry = new Metrics();
             PluginMetricsImpl task0 = new PluginMetricsImpl(registry, Map.of("connector", "lake", "task", "0"));
             PluginMetricsImpl task1 = new PluginMetricsImpl(registry, Map.of("connector", "lake", "task", "1"))) {
            PluginInstruments.Counter first = PluginInstruments.of(task0).counter("records-written-total", "Records");
            PluginInstruments.Counter second = PluginInstruments.of(task1).counter("records-written-total", "Records");
            first.add(5);
            second.add(2);
            assertEquals(5.0, value(registry, "records-written-total", "0"));
            assertEquals(2.0, value(registry, "records-written-total", "1"));
        }
    }

    @Test
    void gaugesAndTimersPublishWhatTheyAreGiven() throws Exception {
        try (Metrics registry = new Metrics();
             PluginMetricsImpl task = new PluginMetricsImpl(registry, Map.of("connector", "lake", "task", "0"))) {
            PluginInstruments instruments = PluginInstruments.of(task);
            instruments.gauge("open-files", "Open files", () -> 7);
            PluginInstruments.Timer timer = instruments.timer("commit-latency", "Commit");
            timer.record(10);
            timer.record(30);
            assertEquals(7L, ((Number) metric(registry, "open-files", "0")).longValue());
            assertEquals(20.0, value(registry, "commit-latency-avg-ms", "0"));
            assertEquals(30.0, value(registry, "commit-latency-max-ms", "0"));
        }
    }

    /**
     * A restarted task whose predecessor's metrics are still registered (seen in PipelineFaultsIT: the task FAILED
     * with "A metric named ... already exists"): it starts and counts; the names stay the predecessor's.
     */
    @Test
    void aTaskRestartedBeforeItsPredecessorsMetricsAreGoneStillStarts() throws Exception {
        try (Metrics registry = new Metrics();
             PluginMetricsImpl old = new PluginMetricsImpl(registry, Map.of("connector", "source", "task", "1"));
             PluginMetricsImpl restarted = new PluginMetricsImpl(registry, Map.of("connector", "source", "task", "1"))) {
            PluginInstruments.of(old).counter("events-emitted-total", "Events").add(9);
            PluginInstruments.of(old).timer("commit-latency", "Commit").record(5);
            PluginInstruments.Counter events = PluginInstruments.of(restarted).counter("events-emitted-total", "Events");
            PluginInstruments.of(restarted).timer("commit-latency", "Commit").record(7);
            events.add(2);
            assertEquals(9.0, value(registry, "events-emitted-total", "1"), "the name is still the predecessor's");
        }
    }

    @Test
    void withoutPluginMetricsEveryInstrumentIsANoOp() {
        PluginInstruments none = PluginInstruments.of(null);
        assertFalse(none.enabled());
        none.counter("x-total", "x").increment();
        none.timer("t", "t").record(1);
        none.gauge("g", "g", () -> 1);
        assertTrue(PluginInstruments.none() == none);
    }

    private static double value(Metrics registry, String name, String task) {
        return ((Number) metric(registry, name, task)).doubleValue();
    }

    private static Object metric(Metrics registry, String name, String task) {
        for (Map.Entry<MetricName, ? extends org.apache.kafka.common.Metric> entry : registry.metrics().entrySet()) {
            if (entry.getKey().name().equals(name) && task.equals(entry.getKey().tags().get("task"))) {
                return entry.getValue().metricValue();
            }
        }
        throw new AssertionError("no metric " + name + " of task " + task + " in " + registry.metrics().keySet());
    }
}
